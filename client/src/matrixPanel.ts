/**
 * The access matrix webview panel: one per workspace folder. The page (media/matrixView.js and
 * .css) gets the matrix once as compact arrays and renders only the visible rows; the panel answers
 * its messages: open the explanation of a cell, export CSV / Markdown, refresh.
 */
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import type { MatrixRequest } from '../../server/src/protocol';
import { matrixHtml } from './matrixHtml';

/** What the page sends. */
export type MatrixViewMessage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'open'; dag: number; role: number | null }
  | { type: 'export'; format: 'csv' | 'md' };

export interface MatrixPanelHandlers {
  load(token: vscode.CancellationToken): Promise<MatrixRequest.Result>;
  open(dag: MatrixRequest.Result['dags'][number], role: string | null): Promise<void>;
  export(format: 'csv' | 'md'): Promise<void>;
  /** Fires when the folder's index or config changed: the matrix is computed again (debounced). */
  changed?: vscode.Event<unknown>;
}

/** The page's model: everything but the DAGs' URIs, which stay here (the page names DAGs by index). */
export function pageModel(m: MatrixRequest.Result) {
  return { roles: m.roles, builtin: m.builtin, folded: m.folded, foldedLine: m.foldedLine, dagIds: m.dags.map((d) => d.dagId), tags: m.tags, teams: m.teams, notImported: m.notImported, codes: m.codes, note: m.note ?? null };
}

export class MatrixPanel implements vscode.Disposable {
  private static readonly open = new Map<string, MatrixPanel>();
  private data: MatrixRequest.Result | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: vscode.CancellationTokenSource | undefined;

  /** Shows the folder's panel (reusing an open one, which then reloads). */
  static show(key: string, title: string, extensionUri: vscode.Uri, handlers: MatrixPanelHandlers): MatrixPanel {
    const existing = MatrixPanel.open.get(key);
    if (existing) {
      existing.panel.reveal();
      void existing.reload();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel('airflowDagAccess.matrix', title, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
    });
    const p = new MatrixPanel(key, panel, handlers);
    const media = (f: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', f)).toString();
    panel.webview.html = matrixHtml({ cspSource: panel.webview.cspSource, nonce: crypto.randomBytes(16).toString('base64'), script: media('matrixView.js'), style: media('matrixView.css'), title });
    MatrixPanel.open.set(key, p);
    return p;
  }

  private constructor(
    private readonly key: string,
    readonly panel: vscode.WebviewPanel,
    private readonly handlers: MatrixPanelHandlers,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      // Failures are reported by the handlers (an error message); nothing more to do here.
      panel.webview.onDidReceiveMessage((m: MatrixViewMessage) => this.onMessage(m).catch(() => undefined)),
    );
    if (handlers.changed) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      this.disposables.push(
        handlers.changed(() => {
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => void this.reload().catch(() => undefined), 500);
        }),
        { dispose: () => timer && clearTimeout(timer) },
      );
    }
  }

  private async onMessage(m: MatrixViewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
      case 'refresh':
        return this.reload();
      case 'open': {
        const dag = this.data?.dags[m.dag];
        if (dag) await this.handlers.open(dag, m.role === null ? null : (this.data?.roles[m.role] ?? null));
        return;
      }
      case 'export':
        return this.handlers.export(m.format);
    }
  }

  private async reload(): Promise<void> {
    this.loading?.cancel();
    const cts = (this.loading = new vscode.CancellationTokenSource());
    try {
      const data = await this.handlers.load(cts.token);
      if (cts.token.isCancellationRequested) return;
      this.data = data;
      await this.panel.webview.postMessage({ type: 'data', title: this.panel.title, model: pageModel(data) });
    } finally {
      cts.dispose();
      if (this.loading === cts) this.loading = undefined;
    }
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loading?.cancel();
    MatrixPanel.open.delete(this.key);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
