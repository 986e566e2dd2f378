/**
 * Code actions end to end: each test takes the action the editor would show, applies its edit to
 * the document text and checks the result. Every edit of an open document names its version.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { applyEdits, copyExamples, fileUri, LspClient, positionOf, exampleWorkspace } from '../helpers/lspClient';
import { fixturesDir } from '../helpers/paths';

function changes(a: CodeAction): TextDocumentEdit[] {
  return a.edit!.documentChanges as TextDocumentEdit[];
}

async function actions(client: LspClient, uri: string, range: Diagnostic['range'], diagnostics: Diagnostic[], only: string[]): Promise<CodeAction[]> {
  return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
}

describe('code actions, example workspace', () => {
  const ws = exampleWorkspace();
  const { file, text } = ws;

  test("refactor at a DAG: add a role's tag (the title names the role and its permissions)", async () => {
    const rel = 'dags/platform_maintenance.py';
    const uri = await ws.client.open(file(rel));
    const at = positionOf(text(rel), 'dag_id=');
    const list = await actions(ws.client, uri, { start: at, end: at }, [], ['refactor']);
    const add = list.find((a) => a.title === "Add tag 'finance_read' (grants finance_auditor can_read)");
    assert.ok(add, JSON.stringify(list.map((a) => a.title)));
    assert.equal(add.kind, 'refactor');
    assert.deepEqual(changes(add)[0].textDocument, { uri, version: 1 });
    assert.match(applyEdits(text(rel), changes(add)[0].edits), /tags=\["platform", "finance_read"\],/);
    // Not on a line of the call that is about something else (a schedule, access_control...).
    const lines = text(rel).split('\n');
    const other = lines.findIndex((l, i) => i > at.line && /^\s+\w+=/.test(l) && !/tags=|dag_id=/.test(l));
    assert.ok(other > 0, 'the probe file has another keyword line');
    const elsewhere = await actions(ws.client, uri, { start: { line: other, character: 6 }, end: { line: other, character: 6 } }, [], ['refactor']);
    assert.ok(!elsewhere.some((a) => a.title.startsWith('Add tag')), JSON.stringify(elsewhere.map((a) => a.title)));
  });

  test('ADA001 quick fixes: remove the unmapped tag; add it to the config as a new role', async () => {
    const rel = 'dags/marketing_leads.py';
    const uri = await ws.client.open(file(rel));
    const d = (await ws.client.pullDiagnostics(uri)).find((x) => x.code === 'ADA001')!;
    const list = await actions(ws.client, uri, d.range, [d], ['quickfix']);
    const remove = list.find((a) => a.title === "Remove tag 'marketing_analyst_edt'")!;
    assert.match(applyEdits(text(rel), changes(remove)[0].edits), /tags=\["marketing", "analytics"\],\n/);
    assert.deepEqual(remove.diagnostics, [d]);

    const addRole = list.find((a) => a.title.startsWith("Add 'marketing_analyst_edt' to airflow-access.yaml as role"))!;
    // 'edt' is not a suffix of permission_tag_pattern: the role is named after the whole tag, read-only.
    assert.equal(addRole.title, "Add 'marketing_analyst_edt' to airflow-access.yaml as role 'marketing_analyst_edt'");
    const [cfgEdit] = changes(addRole);
    assert.equal(cfgEdit.textDocument.uri, fileUri(file('airflow-access.yaml')));
    assert.equal(cfgEdit.textDocument.version, null, 'the config is not open: no version');
    const after = parse(applyEdits(text('airflow-access.yaml'), cfgEdit.edits)) as { roles: Record<string, { tags: string[]; dag_permissions: string[] }> };
    assert.deepEqual(after.roles.marketing_analyst_edt, { tags: ['marketing_analyst_edt'], dag_permissions: ['can_read'] });
    assert.equal(Object.keys(after.roles).length, 4, 'the other roles are untouched');
  });

  test('ADA006 quick fix replaces a deprecated action, against the edited (unsaved) text', async () => {
    const rel = 'dags/finance_ledger.py';
    const uri = await ws.client.open(file(rel));
    const edited = text(rel).replace('{"finance_auditor": {"can_read"}}', '{"finance_auditor": {"can_dag_read"}}');
    await ws.client.change(uri, 2, edited);
    const d = (await ws.client.pullDiagnostics(uri)).find((x) => x.code === 'ADA006')!;
    assert.ok(d);
    const [fix] = await actions(ws.client, uri, d.range, [d], ['quickfix']);
    assert.equal(fix.title, "Replace 'can_dag_read' with 'can_read'");
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(changes(fix)[0].textDocument, { uri, version: 2 });
    assert.match(applyEdits(edited, changes(fix)[0].edits), /access_control=\{"finance_auditor": \{"can_read"\}\},/);
  });
});

describe('code actions, multi-team workspace: migrate allow_producer_teams', () => {
  let root: string;
  let client: LspClient;

  before(async () => {
    root = copyExamples('multi-team');
    client = await LspClient.start({ folders: [root] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('ADA015 fix rewrites the keyword to access_control=AssetAccessControl(...) and adds the import', async () => {
    const file = path.join(root, 'dags', 'shared', 'assets.py');
    const uri = await client.open(file);
    // Without AssetAccessControl imported, the fix adds it to the existing import.
    const edited = fs.readFileSync(file, 'utf8')
      .replace('from airflow.sdk import Asset, AssetAccessControl', 'from airflow.sdk import Asset')
      .replace(/daily_sales = Asset\([^]*?\n\)\n/, '');
    await client.change(uri, 2, edited);
    const d = (await client.pullDiagnostics(uri)).find((x) => x.code === 'ADA015')!;
    assert.ok(d);
    assert.deepEqual(d.tags, [2], 'shown as deprecated');
    const fix = (await actions(client, uri, d.range, [d], ['quickfix'])).find((a) => a.isPreferred)!;
    assert.equal(fix.title, 'Migrate to access_control=AssetAccessControl(producer_teams=[...])');
    assert.deepEqual(changes(fix)[0].textDocument, { uri, version: 2 });
    const result = applyEdits(edited, changes(fix)[0].edits);
    assert.match(result, /^from airflow\.sdk import Asset, AssetAccessControl$/m);
    assert.match(result, /access_control=AssetAccessControl\(producer_teams=\["team_analytics"\]\),/);
    assert.doesNotMatch(result, /allow_producer_teams/);
  });
});

describe('code actions, seed role_mappings config', () => {
  let root: string;
  let client: LspClient;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-seed-'));
    fs.copyFileSync(path.join(fixturesDir, 'config', 'seed-role-mappings.yaml'), path.join(root, 'airflow-access.yaml'));
    client = await LspClient.start({ folders: [root] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('refactor: convert the seed role_mappings block to v1 YAML (replacing the whole open document)', async () => {
    const cfg = path.join(root, 'airflow-access.yaml');
    const uri = await client.open(cfg);
    const at = { line: 2, character: 4 };
    const list = await actions(client, uri, { start: at, end: at }, [], ['refactor']);
    const convert = list.find((a) => a.title === 'Convert role_mappings to the airflow-access v1 format')!;
    assert.ok(convert, JSON.stringify(list.map((a) => a.title)));
    assert.deepEqual(changes(convert)[0].textDocument, { uri, version: 1 });
    const v1 = parse(applyEdits(fs.readFileSync(cfg, 'utf8'), changes(convert)[0].edits)) as { version: number; roles: Record<string, { tags: string[]; dag_permissions: string[]; cleanup?: boolean }> };
    assert.equal(v1.version, 1);
    assert.deepEqual(v1.roles.finance_auditor.tags, ['finance_read']);
    assert.deepEqual(v1.roles.platform_engineer.dag_permissions, ['can_read', 'can_edit', 'can_delete']);
    assert.equal(v1.roles.finance_auditor.cleanup, false);
  });
});
