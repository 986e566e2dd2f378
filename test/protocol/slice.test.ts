import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { CancellationTokenSource, type CodeAction, type CompletionList, type Diagnostic, type Hover, type Location } from 'vscode-languageserver-protocol/node';
import { copyExamples, fileUri, LspClient } from '../helpers/lspClient';
import { repoRoot } from '../helpers/paths';

describe('language server over stdio (bundled dist/server.js), pull diagnostics', () => {
  let root: string;
  let client: LspClient;
  let marketingUri: string;
  const marketing = () => path.join(root, 'dags', 'marketing_leads.py');
  /** 0-based line of the first config line mentioning `needle`. */
  const configLine = (needle: string) => fs.readFileSync(path.join(root, 'airflow-access.yaml'), 'utf8').split('\n').findIndex((l) => l.includes(needle));

  before(async () => {
    root = copyExamples();
    client = await LspClient.start({ folders: [root] });
    marketingUri = await client.open(marketing());
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('initialize advertises pull diagnostics, hover, completion, code actions', () => {
    const caps = client.initializeResult.capabilities;
    assert.ok(caps.diagnosticProvider);
    assert.equal(caps.hoverProvider, true);
    assert.ok(caps.completionProvider);
    assert.ok(caps.codeActionProvider);
    assert.equal(client.initializeResult.serverInfo?.name, 'airflow-dag-access');
    assert.equal(client.initializeResult.serverInfo?.version, JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  });

  test('the mistyped tag gets ADA001 at the string literal, with a docs link', async () => {
    const items = await client.pullDiagnostics(marketingUri);
    const d = items.find((x) => x.code === 'ADA001');
    assert.ok(d, `no ADA001 in ${JSON.stringify(items)}`);
    assert.match(d.message, /marketing_analyst_edt/);
    assert.match(d.message, /Did you mean 'marketing_analyst_edit'\?/);
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 10, character: 36 }, end: { line: 10, character: 59 } });
    assert.match(d.codeDescription!.href, /diagnostics\.md#ada001$/);
  });

  test('the quick fix replaces the tag with the closest mapped tag, versioned', async () => {
    const items = await client.pullDiagnostics(marketingUri);
    const d = items.find((x) => x.code === 'ADA001')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: marketingUri },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.isPreferred)!;
    assert.equal(fix.title, "Replace with 'marketing_analyst_edit' (grants marketing_analyst)");
    const change = (fix.edit!.documentChanges as { textDocument: { uri: string; version: number }; edits: { range: unknown; newText: string }[] }[])[0];
    assert.deepEqual(change.textDocument, { uri: marketingUri, version: 1 });
    assert.deepEqual(change.edits, [{ range: { start: { line: 10, character: 37 }, end: { line: 10, character: 58 } }, newText: 'marketing_analyst_edit' }]);
    assert.ok(actions.some((a) => a.title === "Remove tag 'marketing_analyst_edt'"));
  });

  test('hover on a mapped tag names the role, its permissions and the config location', async () => {
    const uri = await client.open(path.join(root, 'dags', 'analytics_reporting.py'));
    const text = fs.readFileSync(path.join(root, 'dags', 'analytics_reporting.py'), 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes('"analytics_reporting_edit"'));
    const character = text[line].indexOf('analytics_reporting_edit');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*Tag `analytics_reporting_edit`\*\* grants:/);
    assert.match(value, /role `analytics_reporting`: can_read, can_edit, can_delete/);
    assert.match(value, new RegExp(`airflow-access\\.yaml:${configLine('analytics_reporting_edit') + 1}\\]`));
  });

  test('hover on the dag_id shows the effective access with default roles', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: marketingUri }, position: { line: 6, character: 14 } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*DAG `marketing_analyst_dag`\*\*/);
    // The default roles reach it only through their DAG-wide permissions: one row, not one each.
    assert.match(value, /^Default roles \(DAG-wide, every DAG\): Admin, Op, User: read, edit, delete \(runs: [a-z_, ]+\) · Viewer: read \(runs: read, menu_access\)$/m);
    assert.doesNotMatch(value, /^\*\*(Admin|Op|User|Viewer)\*\*/m);
    assert.doesNotMatch(value, /<\/?[a-z][^>]*>|^\|/im, 'no HTML and no table: renders the same in every client');
    // Its tag is misspelt and the config roles are created without Viewer's DAG-wide read: no custom role.
    assert.match(value, /^No custom role reaches this DAG: only the default roles\.$/m);
  });

  test('completion inside tags=[...] offers mapped tags with the role they grant', async () => {
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: marketingUri }, position: { line: 10, character: 37 } });
    const item = list.items.find((i) => i.label === 'marketing_analyst_edit');
    assert.ok(item, JSON.stringify(list.items.map((i) => i.label)));
    assert.match(item.detail!, /grants marketing_analyst \(can_read, can_edit, can_delete\)/);
  });

  test('definition from a tag jumps to its entry in the config YAML', async () => {
    const uri = fileUri(path.join(root, 'dags', 'analytics_reporting.py'));
    const text = fs.readFileSync(path.join(root, 'dags', 'analytics_reporting.py'), 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes('"analytics_reporting_edit"'));
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: { line, character: text[line].indexOf('analytics_reporting_edit') } });
    assert.equal(locations.length, 1);
    assert.equal(locations[0].uri, fileUri(path.join(root, 'airflow-access.yaml')));
    assert.equal(locations[0].range.start.line, configLine('analytics_reporting_edit'));
  });

  test('a config change refreshes diagnostics, semantic tokens and code lenses: mapping the tag clears ADA001', async () => {
    const cfg = path.join(root, 'airflow-access.yaml');
    const cfgUri = await client.open(cfg);
    const refreshes = client.refreshCount;
    const tokenRefreshes = () => client.refreshes.get('workspace/semanticTokens/refresh') ?? 0;
    const tokensBefore = tokenRefreshes();
    const lensRefreshes = () => client.refreshes.get('workspace/codeLens/refresh') ?? 0;
    const lensesBefore = lensRefreshes();
    const text = fs.readFileSync(cfg, 'utf8').replace('tags: [marketing_analyst_edit]', 'tags: [marketing_analyst_edit, marketing_analyst_edt]');
    await client.change(cfgUri, 2, text);
    await client.waitFor(() => client.refreshCount > refreshes, 'workspace/diagnostic/refresh');
    // The tag is mapped now: the editor must colour it again.
    await client.waitFor(() => tokenRefreshes() > tokensBefore, 'workspace/semanticTokens/refresh');
    await client.waitFor(() => lensRefreshes() > lensesBefore, 'workspace/codeLens/refresh');
    const items = await client.pullDiagnostics(marketingUri);
    assert.equal(items.filter((d: Diagnostic) => d.code === 'ADA001').length, 0);
    await client.change(cfgUri, 3, fs.readFileSync(cfg, 'utf8'));
  });

  test('a config schema error is reported at its YAML range', async () => {
    const cfg = path.join(root, 'airflow-access.yaml');
    const cfgUri = fileUri(cfg);
    const text = fs.readFileSync(cfg, 'utf8').replace('dag_permissions: [can_read]', 'dag_permissions: [can_reed]');
    await client.change(cfgUri, 4, text);
    const items = await client.pullDiagnostics(cfgUri);
    const d = items.find((x) => x.severity === 1);
    assert.ok(d, JSON.stringify(items));
    assert.equal(d.code, 'ADA022');
    assert.match(d.message, /can_reed/);
    const line = text.split('\n').findIndex((l) => l.includes('can_reed'));
    const character = text.split('\n')[line].indexOf('can_reed');
    assert.deepEqual(d.range, { start: { line, character }, end: { line, character: character + 'can_reed'.length } });
    // "Did you mean 'can_read'?" comes with its quick fix in the editor.
    assert.match(d.message, /Did you mean 'can_read'\?/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: cfgUri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix?.title, "Replace with 'can_read'", JSON.stringify(actions));
    const edit = (fix!.edit!.documentChanges as { edits: { range: unknown; newText: string }[] }[])[0].edits[0];
    assert.deepEqual(edit, { range: d.range, newText: 'can_read' });
    await client.change(cfgUri, 5, fs.readFileSync(cfg, 'utf8'));
  });

  test('while the config does not parse (mid-typing), DAGs keep the answers of its last valid version, and a sync is refused', async () => {
    const cfg = path.join(root, 'airflow-access.yaml');
    const cfgUri = fileUri(cfg);
    const good = fs.readFileSync(cfg, 'utf8');
    const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort();
    const before = codes(await client.pullDiagnostics(marketingUri));
    await client.change(cfgUri, 6, `${good}  half_typed: [\n`);
    const cfgItems = await client.pullDiagnostics(cfgUri);
    assert.ok(cfgItems.some((d) => d.code === 'ADA090' && /YAML/.test(d.message)), JSON.stringify(cfgItems));
    assert.deepEqual(codes(await client.pullDiagnostics(marketingUri)), before, 'the DAG file keeps its findings');
    const text = fs.readFileSync(marketing(), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('marketing_analyst_edt'));
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: marketingUri }, position: { line, character: text.split('\n')[line]!.indexOf('marketing_analyst_edt') + 3 } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /grants no role \(not in airflow-access\.yaml\)/);
    assert.match(value, /airflow-access\.yaml has errors: this uses its last valid version/);
    await assert.rejects(client.request('airflowDagAccess/plan', {}), (e: { message: string }) => /airflow-access\.yaml has 1 error\(s\): fix them first/.test(e.message));
    await client.change(cfgUri, 7, good);
    const after = await client.request<Hover>('textDocument/hover', { textDocument: { uri: marketingUri }, position: { line, character: text.split('\n')[line]!.indexOf('marketing_analyst_edt') + 3 } });
    assert.doesNotMatch((after.contents as { value: string }).value, /last valid version/);
  });

  test('a cancelled request answers RequestCancelled', async () => {
    const cts = new CancellationTokenSource();
    const pending = client.request('airflowDagAccess/test/wait', { ms: 10000 }, cts);
    setImmediate(() => cts.cancel());
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
  });

  test('a handler exception answers an error and the server keeps serving', async () => {
    await assert.rejects(client.request('airflowDagAccess/test/throw', {}), (e: { code?: number; message: string }) => e.code === -32603 && /deliberate failure/.test(e.message));
    await assert.rejects(client.request('textDocument/hover', { position: { line: 0, character: 0 } }));
    const items = await client.pullDiagnostics(marketingUri);
    assert.ok(items.some((d) => d.code === 'ADA001'));
  });
});
