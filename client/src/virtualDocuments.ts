/**
 * Read-only documents the extension shows (sync plan, drift, explanations, access matrix). They
 * live in memory under the `airflow-dag-access:` scheme; updating one refreshes its open editor.
 * The last path segment is the tab title; reports are `.md`, plans have their own language
 * (PLAN_LANGUAGE, set when shown).
 */
import * as vscode from 'vscode';
import { VIRTUAL_SCHEME } from './constants';

export class VirtualDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(VIRTUAL_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /**
   * The URI of `path` (e.g. `plan/dags.md`). Folder segments are reduced to word characters; the
   * last one, the tab title, keeps spaces and punctuation (`Sync plan — SQLite airflow.db`).
   */
  uriOf(path: string): vscode.Uri {
    const segments = path.split('/');
    const title = titleSegment(segments.pop() ?? '');
    return vscode.Uri.from({ scheme: VIRTUAL_SCHEME, path: '/' + [...segments.map(sanitize), title].join('/') });
  }

  /** Stores `content` at `path` and returns the document's URI; an open editor of it refreshes. */
  set(path: string, content: string): vscode.Uri {
    const uri = this.uriOf(path);
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    return uri;
  }

  /** True while `uri` is open in VS Code (a tab, or a document an extension holds). */
  isOpen(uri: vscode.Uri): boolean {
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  }

  /**
   * Shows `content` in an editor beside the current one, reusing the editor group that already shows
   * one of our documents (repeated commands must not open group after group). A preview tab unless
   * `pin` (a plan stays open while a rollback preview is shown); `language` sets its language.
   */
  async showText(path: string, content: string, o: { language?: string; pin?: boolean } = {}): Promise<vscode.TextEditor> {
    const uri = this.set(path, content);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (o.language && doc.languageId !== o.language) doc = await vscode.languages.setTextDocumentLanguage(doc, o.language);
    const editors = vscode.window.visibleTextEditors;
    const reuse =
      editors.find((e) => e.document.uri.toString() === uri.toString()) ?? editors.find((e) => e.document.uri.scheme === VIRTUAL_SCHEME);
    // Beside the file being edited; with no editor open, in the editor area itself (not beside an empty group).
    const column = reuse?.viewColumn ?? (vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
    return vscode.window.showTextDocument(doc, { preview: !o.pin, viewColumn: column });
  }

  /** Shows markdown rendered (markdown preview), or as text when the preview is not available. */
  async showMarkdown(path: string, content: string): Promise<void> {
    const uri = this.set(path, content);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { viewColumn: vscode.ViewColumn.Beside });
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

function sanitize(segment: string): string {
  return segment.replace(/[^\w.-]+/g, '_') || '_';
}

/** A tab title as a path segment: no separators or control characters, readable otherwise. */
function titleSegment(title: string): string {
  return title.replace(/[\\/]/g, '∕').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || '_';
}
