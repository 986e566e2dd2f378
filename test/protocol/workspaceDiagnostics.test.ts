/**
 * Problems of files that are not open (issue: finance_ledger's ADA008 appeared only once the file was
 * opened): workspace diagnostics list every DAG file and the config; unchanged files are reported as
 * unchanged on the next pull; diagnostics.mode "openFiles" turns it off.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { WorkspaceDiagnosticReport, WorkspaceFullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { copyExamples, fileUri, LspClient } from '../helpers/lspClient';

const pull = (client: LspClient, previousResultIds: { uri: string; value: string }[] = []) =>
  client.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds });

describe('workspace diagnostics', () => {
  let root: string;
  let client: LspClient;
  before(async () => {
    root = copyExamples();
    client = await LspClient.start({ folders: [root] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a DAG file that is not open has its problems listed (ADA008 on finance_ledger)', async () => {
    const report = await pull(client);
    const ledger = report.items.find((r) => r.uri === fileUri(path.join(root, 'dags', 'finance_ledger.py'))) as WorkspaceFullDocumentDiagnosticReport | undefined;
    assert.ok(ledger, `reported files: ${report.items.map((r) => r.uri).join(', ')}`);
    assert.equal(ledger.kind, 'full');
    assert.ok(ledger.items.some((d) => d.code === 'ADA008'), JSON.stringify(ledger.items.map((d) => d.code)));
    assert.ok(report.items.some((r) => r.uri === fileUri(path.join(root, 'airflow-access.yaml'))), 'the config is listed too');
    // Nothing changed: the next pull with the result ids says so for every file.
    const again = await pull(client, report.items.map((r) => ({ uri: r.uri, value: r.resultId! })));
    assert.deepEqual([...new Set(again.items.map((r) => r.kind))], ['unchanged']);
  });

  test('an open document is left to the document pull', async () => {
    const uri = await client.open(path.join(root, 'dags', 'finance_ledger.py'));
    const report = await pull(client);
    assert.ok(!report.items.some((r) => r.uri === uri));
  });
});

describe('workspace diagnostics off (diagnostics.mode: openFiles)', () => {
  let root: string;
  let client: LspClient;
  before(async () => {
    root = copyExamples();
    client = await LspClient.start({ folders: [root], settings: { diagnostics: { mode: 'openFiles' } } });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('no file is reported until it is opened', async () => {
    assert.deepEqual((await pull(client)).items, []);
  });
});
