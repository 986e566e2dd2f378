/**
 * Read-only documents the extension shows (sync plan, drift, explanations, access matrix). They
 * live in memory under the `airflow-dag-access:` scheme; updating one refreshes its open editor.
 * The path's extension picks the language: `.diff` for plans, `.md` for reports.
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

  /** Stores `content` at `path` (e.g. `plan/dags.diff`) and returns the document's URI. */
  set(path: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: VIRTUAL_SCHEME, path: '/' + path.split('/').map(sanitize).join('/') });
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    return uri;
  }

  /**
   * Shows `content` in a preview editor beside the current one, reusing the editor group that
   * already shows one of our documents (repeated commands must not open group after group).
   */
  async showText(path: string, content: string): Promise<vscode.TextEditor> {
    const uri = this.set(path, content);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editors = vscode.window.visibleTextEditors;
    const reuse =
      editors.find((e) => e.document.uri.toString() === uri.toString()) ?? editors.find((e) => e.document.uri.scheme === VIRTUAL_SCHEME);
    return vscode.window.showTextDocument(doc, { preview: true, viewColumn: reuse?.viewColumn ?? vscode.ViewColumn.Beside });
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
