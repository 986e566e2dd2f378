/**
 * Language features as VS Code sees them: diagnostics, hover, completion and the quick fix, for
 * the example workspace (a copy of examples/ opened by the runner).
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as vscode from 'vscode';
import { activateExtension, hoverText, observe, openDoc, poll, positionOf, waitForDiagnostic } from './helpers';

const TYPO = 'marketing_analyst_edt';
const FIXED = 'marketing_analyst_edit';

suite('language features (vscode API)', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('the mistyped tag is a warning in marketing_leads.py', async () => {
    const editor = await openDoc('dags/marketing_leads.py');
    const d = await waitForDiagnostic(editor.document.uri, (x) => x.message.includes(TYPO), `a diagnostic mentioning ${TYPO}`);
    observe('typoDiagnostic', { message: d.message, severity: vscode.DiagnosticSeverity[d.severity], code: typeof d.code === 'object' ? d.code.value : d.code,
      range: { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } } });
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning, `severity: ${vscode.DiagnosticSeverity[d.severity]}`);
    assert.ok(editor.document.getText(d.range).includes(TYPO), `range covers "${editor.document.getText(d.range)}", not the tag`);
    assert.ok(d.message.includes(FIXED), `message should suggest ${FIXED}: "${d.message}"`);
  });

  test('hover on analytics_reporting_edit shows the role and its permissions', async () => {
    const editor = await openDoc('dags/analytics_reporting.py');
    const pos = positionOf(editor.document, '"analytics_reporting_edit"', 5);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos);
    const text = hoverText(hovers);
    observe('tagHover', { line: pos.line, character: pos.character, text });
    assert.match(text, /analytics_reporting(?!_edit)/, `hover does not name the role analytics_reporting:\n${text}`);
    for (const p of ['can_read', 'can_edit', 'can_delete']) assert.ok(text.includes(p), `hover lacks ${p}:\n${text}`);
  });

  test('completion inside tags=[...] offers mapped tags with the role they grant', async () => {
    const editor = await openDoc('dags/analytics_reporting.py');
    const pos = positionOf(editor.document, '"reporting"', 1); // just inside the quotes
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, pos, undefined, 100);
    const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    const labels = list.items.map(label);
    for (const tag of [FIXED, 'finance_read']) assert.ok(labels.includes(tag), `completion lacks ${tag}; got ${labels.slice(0, 30).join(', ')}`);
    const item = list.items.find((i) => label(i) === FIXED)!;
    const described = [item.detail, typeof item.label === 'string' ? '' : `${item.label.detail ?? ''} ${item.label.description ?? ''}`,
      typeof item.documentation === 'string' ? item.documentation : item.documentation?.value].join(' ');
    assert.match(described, /marketing_analyst(?!_edit)/, `completion item ${FIXED} does not name the role it grants: ${described}`);
  });

  test('the quick fix replaces the mistyped tag (and the warning goes away)', async () => {
    const editor = await openDoc('dags/marketing_leads.py');
    const uri = editor.document.uri;
    const d = await waitForDiagnostic(uri, (x) => x.message.includes(TYPO), `a diagnostic mentioning ${TYPO}`);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a): a is vscode.CodeAction => 'edit' in a && !!a.edit && a.title.includes(FIXED));
    assert.ok(fix, `no quick fix mentioning ${FIXED}; offered: ${actions.map((a) => a.title).join(' | ') || 'none'}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind is ${fix.kind?.value}`);
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'applyEdit refused the fix');
      const text = editor.document.getText();
      assert.ok(text.includes(`"${FIXED}"`) && !text.includes(TYPO), `document after the fix:\n${text}`);
      await poll(() => !vscode.languages.getDiagnostics(uri).some((x) => x.message.includes(TYPO)), 'the typo warning to disappear');
    } finally {
      // Leave the workspace as it was for the other tests.
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.ok(!editor.document.isDirty && editor.document.getText().includes(TYPO), 'revert failed');
  });

  test('when the server process dies, the client restarts it and hovers work again', async function () {
    this.timeout(60000);
    const serverPids = (): number[] => {
      // The client forks the server from this extension host process.
      const r = spawnSync('pgrep', ['-P', String(process.pid), '-f', 'dist/server\\.js']);
      return r.status === 0 ? r.stdout.toString().trim().split('\n').map(Number).filter((n) => n > 0) : [];
    };
    const before = await poll(() => (serverPids().length ? serverPids() : null), 'the language server process');
    for (const pid of before) process.kill(pid, 'SIGKILL');
    const after = await poll(() => serverPids().filter((p) => !before.includes(p)).length ? serverPids() : null, 'a new server process', 30000);
    assert.ok(after.every((p) => !before.includes(p)), 'the old process is gone');
    const editor = await openDoc('dags/analytics_reporting.py');
    const pos = positionOf(editor.document, '"analytics_reporting_edit"', 5);
    const text = await poll(async () => {
      const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos));
      return /can_edit/.test(t) ? t : null;
    }, 'a hover from the restarted server', 30000);
    assert.match(text, /analytics_reporting/);
  });
});
