/**
 * Multi-root: examples/ and examples/multi-team/ open as two workspace folders, the second nested in
 * the first. Each has its own config and index; an edit to one config leaves the other folder alone.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic, Hover, SymbolInformation } from 'vscode-languageserver-protocol/node';
import { copyExamples, fileUri, LspClient, positionOf } from '../helpers/lspClient';

const has = (ds: Diagnostic[], code: string) => ds.some((d) => d.code === code);

describe('multi-root workspace: examples/ and examples/multi-team/', () => {
  let root: string;
  let inner: string;
  let client: LspClient;
  const outerCfg = () => path.join(root, 'airflow-access.yaml');
  const innerCfg = () => path.join(inner, 'airflow-access.yaml');
  const reporting = () => path.join(root, 'dags', 'analytics_reporting.py');
  const produce = () => path.join(inner, 'dags', 'analytics', 'produce_sales.py');
  const score = () => path.join(inner, 'dags', 'analytics', 'score_features.py');

  before(async () => {
    root = copyExamples();
    inner = path.join(root, 'multi-team');
    // Drop the outer config's own exclusion of multi-team/**: the nested folder must be left out anyway.
    fs.writeFileSync(outerCfg(), fs.readFileSync(outerCfg(), 'utf8').replace(/^dags:\n(?: {2}.*\n)+/m, ''));
    assert.doesNotMatch(fs.readFileSync(outerCfg(), 'utf8'), /multi-team/);
    client = await LspClient.start({ folders: [root, inner] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function configChanged(file: string, version: number, text: string): Promise<void> {
    const refreshes = client.refreshCount;
    await client.change(fileUri(file), version, text);
    await client.waitFor(() => client.refreshCount > refreshes, 'workspace/diagnostic/refresh');
  }

  test('each folder indexes its own DAGs: the nested folder is not indexed twice', async () => {
    const all = await client.request<SymbolInformation[]>('workspace/symbol', { query: '' });
    const names = all.map((s) => s.name).sort();
    assert.deepEqual(names, ['analytics_reporting_dag', 'finance_ledger', 'marketing_analyst_dag', 'platform_maintenance', 'produce_sales', 'score_features', 'train_model']);
    const cfg = fs.readFileSync(outerCfg(), 'utf8');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: fileUri(outerCfg()) }, position: positionOf(cfg, 'analytics_reporting_edit', 2) });
    assert.match((hover.contents as { value: string }).value, /Used by 2 DAG\(s\): \[analytics_reporting_dag\].*\[finance_ledger\]/);
  });

  test('diagnostics follow the config of the file’s own folder', async () => {
    const produceUri = await client.open(produce());
    const scoreUri = await client.open(score());
    const reportingUri = await client.open(reporting());
    // multi-team config: multi_team with teams, so the blocked ML -> analytics event is reported.
    const scoreDiags = await client.pullDiagnostics(scoreUri);
    assert.ok(has(scoreDiags, 'ADA017'), JSON.stringify(scoreDiags));
    assert.match(scoreDiags.find((d) => d.code === 'ADA017')!.message, /\(team_ml\) to DAG 'score_features' \(team_analytics\) are blocked/);
    assert.ok(!has(await client.pullDiagnostics(produceUri), 'ADA010'), 'its tag grants analytics_reporting in the multi-team config');
    // The outer config is v2.10 without teams: no asset rule, and its own tag mapping applies.
    assert.ok(!has(await client.pullDiagnostics(reportingUri), 'ADA010'));
    const outerCfgDiags = await client.pullDiagnostics(fileUri(outerCfg()));
    assert.ok(!has(outerCfgDiags, 'ADA018'));
  });

  test('a config edit in one folder changes only that folder’s diagnostics', async () => {
    const produceUri = fileUri(produce());
    const reportingUri = fileUri(reporting());
    const innerText = fs.readFileSync(innerCfg(), 'utf8');
    await client.open(innerCfg());
    // The multi-team config stops mapping the tag: produce_sales loses its custom role...
    await configChanged(innerCfg(), 2, innerText.replace('tags: [analytics_reporting_edit]', 'tags: [something_else]'));
    assert.ok(has(await client.pullDiagnostics(produceUri), 'ADA010'));
    // ...while the same tag still grants analytics_reporting in the outer folder.
    assert.ok(!has(await client.pullDiagnostics(reportingUri), 'ADA010'));
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: reportingUri }, position: positionOf(fs.readFileSync(reporting(), 'utf8'), '"analytics_reporting_edit"', 2) });
    assert.match((hover.contents as { value: string }).value, /role `analytics_reporting`: can_read, can_edit, can_delete/);

    // And the other way round.
    const outerText = fs.readFileSync(outerCfg(), 'utf8');
    await client.open(outerCfg());
    await configChanged(innerCfg(), 3, innerText);
    await configChanged(outerCfg(), 2, outerText.replace('tags: [analytics_reporting_edit]', 'tags: [something_else]'));
    assert.ok(has(await client.pullDiagnostics(reportingUri), 'ADA010'));
    assert.ok(!has(await client.pullDiagnostics(produceUri), 'ADA010'));
  });
});

describe('multi-root workspace: a folder opened and closed inside an open one', () => {
  let root: string;
  let inner: string;
  let client: LspClient;
  const outerCfg = () => path.join(root, 'airflow-access.yaml');
  const score = () => path.join(inner, 'dags', 'analytics', 'score_features.py');
  const folders = (dirs: string[]) => dirs.map((d) => ({ uri: fileUri(d), name: path.basename(d) }));

  before(async () => {
    root = copyExamples();
    inner = path.join(root, 'multi-team');
    fs.writeFileSync(outerCfg(), fs.readFileSync(outerCfg(), 'utf8').replace(/^dags:\n(?: {2}.*\n)+/m, ''));
    client = await LspClient.start({ folders: [root] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Workspace symbol names, polled until `ok` (the rescan after a folder change is asynchronous). */
  async function symbolsUntil(ok: (names: string[]) => boolean, what: string): Promise<string[]> {
    let names: string[] = [];
    for (let i = 0; i < 100; i++) {
      names = (await client.request<SymbolInformation[]>('workspace/symbol', { query: '' })).map((s) => s.name).sort();
      if (ok(names)) return names;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${what}: ${JSON.stringify(names)}`);
  }
  const once = (names: string[]) => names.filter((n) => n === 'score_features').length === 1;

  test('the outer folder hands the inner folder’s files over when it opens, and takes them back when it closes', async () => {
    const uri = await client.open(score());
    await symbolsUntil(once, 'the outer folder indexes score_features');
    // The outer config has no teams: no cross-team rule on the file.
    assert.ok(!has(await client.pullDiagnostics(uri), 'ADA017'));

    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: folders([inner]), removed: [] } });
    await client.waitFor(() => client.logs.some((l) => l.includes(`${inner}:`)), 'the inner folder opened');
    const names = await symbolsUntil((n) => once(n) && n.includes('produce_sales'), 'each inner DAG once, from the inner folder');
    assert.equal(names.filter((n) => n === 'produce_sales').length, 1);
    // The file now follows the inner config (multi_team with teams).
    let diags = await client.pullDiagnostics(uri);
    for (let i = 0; i < 50 && !has(diags, 'ADA017'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      diags = await client.pullDiagnostics(uri);
    }
    assert.ok(has(diags, 'ADA017'), JSON.stringify(diags));

    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: folders([inner]) } });
    await symbolsUntil(once, 'the outer folder indexes score_features again, once');
    diags = await client.pullDiagnostics(uri);
    for (let i = 0; i < 50 && has(diags, 'ADA017'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      diags = await client.pullDiagnostics(uri);
    }
    assert.ok(!has(diags, 'ADA017'));
  });
});
