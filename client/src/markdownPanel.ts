/**
 * A read-only panel showing Markdown rendered by VS Code's own Markdown engine (`markdown.api.render`
 * of the built-in Markdown extension), themed with the editor's CSS variables. Its file links open
 * the file at the line (markdownLinks.ts): the Markdown preview of a virtual document cannot.
 * One panel per key (e.g. "explain"), reused and revealed by later calls.
 */
import * as vscode from 'vscode';
import { Commands } from './constants';
import { fileLinksToCommands } from './markdownLinks';

const panels = new Map<string, vscode.WebviewPanel>();

/** Renders `markdown` in the panel `key`; throws when the Markdown engine is unavailable. */
export async function showMarkdownPanel(key: string, title: string, markdown: string): Promise<vscode.WebviewPanel> {
  const body = await vscode.commands.executeCommand<string>('markdown.api.render', fileLinksToCommands(markdown, Commands.openLocation));
  if (typeof body !== 'string') throw new Error('the Markdown engine returned nothing');
  let panel = panels.get(key);
  if (!panel) {
    panel = vscode.window.createWebviewPanel(`airflowDagAccess.${key}`, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      // No scripts; only our open-location command may run from a link.
      enableCommandUris: [Commands.openLocation],
      enableFindWidget: true,
    });
    panels.set(key, panel);
    panel.onDidDispose(() => panels.delete(key));
  }
  panel.title = title;
  panel.webview.html = page(panel.webview, title, body);
  panel.reveal(undefined, true);
  return panel;
}

function page(webview: vscode.Webview, title: string, body: string): string {
  const csp = `default-src 'none'; style-src 'unsafe-inline' ${webview.cspSource}; img-src ${webview.cspSource} https: data:;`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: var(--vscode-markdown-font-family, var(--vscode-font-family)); font-size: var(--vscode-markdown-font-size, 14px); line-height: 1.5; color: var(--vscode-foreground); padding: 0 20px 20px; max-width: 60em; }
  a { color: var(--vscode-textLink-foreground); text-decoration: none; }
  a:hover { color: var(--vscode-textLink-activeForeground); text-decoration: underline; }
  code { font-family: var(--vscode-editor-font-family); font-size: 0.92em; background: var(--vscode-textCodeBlock-background); padding: 1px 4px; border-radius: 3px; }
  ul { padding-left: 1.4em; margin: 0.2em 0 0.8em; }
  p { margin: 0.6em 0 0.2em; }
  table { border-collapse: collapse; } th, td { border: 1px solid var(--vscode-panel-border); padding: 2px 8px; text-align: left; }
</style></head><body>${body}</body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
