/**
 * The extension's commands, run through the vscode API: every contributed command is registered,
 * "Show Sync Plan" shows the plan for the configured database, "Explain DAG Access" explains the
 * DAG at the cursor. (Sync Permissions itself, with its modal confirmation, is driven through the
 * UI in test/e2e/vscode.test.ts.)
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, commandByTitle, openDoc, poll, positionOf, tabSnapshot } from './helpers';
import { PLAN_LANGUAGE, VIRTUAL_SCHEME } from '../../../client/src/constants';

/** Text of open documents that are not the workspace's own files (plan previews, explanations). */
function generatedDocs(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((d) => !(d.uri.scheme === 'file' && /\.(py|ya?ml|json)$/.test(d.uri.fsPath)));
}

/**
 * Start a command without awaiting it: commands may end in a notification with buttons whose
 * promise settles only when the user answers. A rejection is kept for the failure message.
 */
function fire(command: string): { error?: unknown } {
  const state: { error?: unknown } = {};
  Promise.resolve(vscode.commands.executeCommand(command)).catch((e) => { state.error = e; });
  return state;
}

suite('commands (vscode API)', () => {
  let ext: vscode.Extension<unknown>;
  suiteSetup(async () => {
    ext = await activateExtension();
  });

  test('activation is quick and the server becomes ready (figures for the README)', async () => {
    const api = ext.exports as { activationMs?: number; serverReady?: Promise<number> } | undefined;
    assert.ok(api && typeof api.activationMs === 'number', 'activate() returns its timings');
    const ready = await api.serverReady!;
    assert.ok(ready >= 0, 'the language server failed to start');
    console.log(`activation: ${api.activationMs} ms in activate(), server ready ${ready} ms after activation`);
  });

  test('every contributed command is registered', async () => {
    const contributed = ((ext.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !all.has(c));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('Show Sync Plan shows the plan for the configured database', async function () {
    const url = vscode.workspace.getConfiguration('airflowDagAccess').get<string>('database.url');
    if (!url) this.skip();
    const before = new Set(generatedDocs().map((d) => d.uri.toString()));
    const run = fire(commandByTitle(ext, 'Show Sync Plan'));
    const plan = await poll(() => { if (run.error) throw run.error; return generatedDocs().find((d) => !before.has(d.uri.toString()) && d.getText().includes('analytics_reporting_dag')); },
      () => `a document showing the plan (open: ${generatedDocs().map((d) => d.uri.toString()).join(', ')})`);
    const text = plan.getText();
    assert.match(text, /^\s*\+.*analytics_reporting/m, `plan has no "+" line for analytics_reporting:\n${text}`);
    for (const p of ['can_read', 'can_edit', 'can_delete']) assert.ok(text.includes(p), `plan lacks ${p}:\n${text}`);
    // A document of its own language (coloured by the plan grammar), titled with the database.
    const typed = await poll(() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === plan.uri.toString() && d.languageId === PLAN_LANGUAGE),
      () => `the plan document in language ${PLAN_LANGUAGE} (it is ${plan.languageId})`);
    assert.match(typed.uri.path, /\/Sync plan — SQLite [^/]+$/);
  });

  test('Explain DAG Access explains the DAG at the cursor', async () => {
    const editor = await openDoc('dags/analytics_reporting.py');
    const pos = positionOf(editor.document, '"analytics_reporting_dag"', 3);
    editor.selection = new vscode.Selection(pos, pos);
    const tabsBefore = tabSnapshot().map((t) => `${t.label}|${t.uri}`);
    const docsBefore = new Set(generatedDocs().map((d) => d.uri.toString()));
    const run = fire(commandByTitle(ext, 'Explain DAG Access'));
    // A new tab (text document or preview) about analytics_reporting_dag.
    const shown = await poll(() => {
      if (run.error) throw run.error;
      const doc = generatedDocs().find((d) => !docsBefore.has(d.uri.toString()) && d.getText().includes('analytics_reporting_dag'));
      if (doc) return doc.getText();
      const tab = tabSnapshot().find((t) => !tabsBefore.includes(`${t.label}|${t.uri}`) && t.label.includes('analytics_reporting_dag'));
      return tab ? tab.label : undefined;
    }, () => `an explanation of analytics_reporting_dag (tabs: ${tabSnapshot().map((t) => t.label).join(', ')})`);
    // It opens as a rendered panel (a tab "Access: <dag>"); read the explanation's Markdown source.
    const text = shown.includes('\n')
      ? shown
      : (await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: VIRTUAL_SCHEME, path: '/explain/analytics_reporting_dag.md' }))).getText();
    assert.match(text, /analytics_reporting_dag/, `explanation is not about the DAG:\n${text}`);
    assert.match(text, /analytics_reporting(?!_(edit|dag))/, `explanation does not name the role:\n${text}`);
  });
});
