/** Helpers for the extension-host suite (runs inside VS Code: the `vscode` API is available). */
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'airflow-dag-access.airflow-dag-access';

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  await ext.activate();
  return ext;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'no workspace folder open (the runner opens a copy of examples/)');
  return f;
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, rel);
}

export async function openDoc(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Position `offset` characters into the first occurrence of `needle` in the document. */
export function positionOf(doc: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `"${needle}" not found in ${doc.uri.fsPath}`);
  return doc.positionAt(i + offset);
}

export async function poll<T>(fn: () => T | Promise<T>, what: string | (() => string), timeoutMs = 20000, intervalMs = 100): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Wait until the file's diagnostics contain one matching pred; returns it. */
export function waitForDiagnostic(uri: vscode.Uri, pred: (d: vscode.Diagnostic) => boolean, what: string, timeoutMs = 20000): Promise<vscode.Diagnostic> {
  return poll(() => vscode.languages.getDiagnostics(uri).find(pred), () => `${what} (diagnostics now: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))})`, timeoutMs);
}

/** Hover contents as plain text. */
export function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

/** A contributed command id by its title (package.json contributes.commands), e.g. 'Show Sync Plan'. */
export function commandByTitle(ext: vscode.Extension<unknown>, title: string): string {
  const cmds = ((ext.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } }).contributes?.commands) ?? [];
  const c = cmds.find((x) => x.title === title || x.title.endsWith(title));
  assert.ok(c, `package.json contributes no command titled "${title}" (has: ${cmds.map((x) => x.title).join(', ') || 'none'})`);
  return c.command;
}

/** Labels of all tabs of all groups (text tabs also give their document URI). */
export function tabSnapshot(): { label: string; uri?: vscode.Uri }[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => ({
    label: t.label,
    uri: t.input instanceof vscode.TabInputText ? t.input.uri : undefined,
  }));
}

/**
 * Record what VS Code showed (diagnostics, hover) into $ADA_E2E_OBSERVED, so the node:test wrapper
 * can check that Neovim gets the same answers from `airflow-access lsp --stdio`.
 */
export function observe(key: string, value: unknown): void {
  const file = process.env.ADA_E2E_OBSERVED;
  if (!file) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs');
  const all = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  all[key] = value;
  fs.writeFileSync(file, JSON.stringify(all, null, 2));
}
