/**
 * The access matrix webview panel: one per workspace folder. The page (media/matrixView.js and
 * .css) gets the matrix once as compact arrays and renders only the visible rows; the panel answers
 * its messages: open the explanation of a cell, export CSV / Markdown, refresh.
 */
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import type { MatrixRequest } from '../../server/src/protocol';

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
}

/** The page's model: everything but the DAGs' URIs, which stay here (the page names DAGs by index). */
export function pageModel(m: MatrixRequest.Result) {
  return { roles: m.roles, builtin: m.builtin, folded: m.folded, foldedLine: m.foldedLine, dagIds: m.dags.map((d) => d.dagId), tags: m.tags, teams: m.teams, notImported: m.notImported, codes: m.codes };
}

export function matrixHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', f)).toString();
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('matrixView.css')}">
<title>${esc(title)}</title>
</head>
<body>
<header>
  <h1 id="title">${esc(title)}</h1>
  <input id="filter" type="search" placeholder="Filter: DAG, tag, team; or tag:x team:x role:x dag:x" aria-label="Filter DAGs and roles">
  <label><input id="unfold" type="checkbox"> Unfold default roles</label>
  <button id="exportCsv" title="Export the matrix as CSV (as airflow-access matrix --format csv)">Export CSV</button>
  <button id="exportMd" title="Export the matrix as Markdown (as airflow-access matrix)">Export Markdown</button>
  <button id="refresh" title="Compute the matrix again">Refresh</button>
  <span id="count" aria-live="polite"></span>
  <div class="legend" aria-label="Legend">
    <span><i class="g dag">R</i><i class="g dag">E</i><i class="g dag">D</i><i class="g dag">▸</i> read, edit, delete, DAG runs: per-DAG grant</span>
    <span><i class="g wide">R</i> DAG-wide (every DAG)</span>
    <span><i class="g reverted">E</i> reverted by access_control</span>
    <span><i class="g dag db">R</i> from the database only</span>
    <span><i class="g n">·</i> none</span>
    <span>Arrows move, Enter or click explains the pair</span>
  </div>
</header>
<div id="loading">Computing the access matrix…</div>
<div id="scroller" tabindex="0" role="grid" aria-label="Access matrix: DAGs × roles">
  <div id="head" role="row"></div>
  <div id="body" role="rowgroup"></div>
  <div id="empty" hidden>No DAG matches the filter.</div>
</div>
<script nonce="${nonce}" src="${media('matrixView.js')}"></script>
</body>
</html>`;
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
    panel.webview.html = matrixHtml(panel.webview, extensionUri, title);
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
