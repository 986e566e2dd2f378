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

  test('an .airflowignore line that does not compile is listed at its line (ADA092), and cleared once fixed', async () => {
    const ignore = path.join(root, 'dags', '.airflowignore');
    const uri = fileUri(ignore);
    const original = fs.readFileSync(ignore, 'utf8');
    type Entry = WorkspaceFullDocumentDiagnosticReport | undefined;
    /** Pulls until `ok` holds; between pulls, waits for the server's next refresh (the rescan it does on the change). */
    const pullUntil = async (ok: (e: Entry) => boolean, previous: { uri: string; value: string }[] = []) => {
      for (let attempt = 0; ; attempt++) {
        const seen = client.refreshCount;
        const report = await pull(client, previous);
        const entry = report.items.find((r) => r.uri === uri) as Entry;
        if (ok(entry)) return { report, entry: entry! };
        if (attempt === 5) assert.fail(`no such report for ${uri}: ${JSON.stringify(entry)}; files: ${report.items.map((r) => r.uri).join(', ')}`);
        await client.waitFor(() => client.refreshCount > seen, 'workspace/diagnostic/refresh');
      }
    };
    const save = async (text: string) => {
      fs.writeFileSync(ignore, text);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    };
    await save('# comment\nscratch/(oops\n');
    const { report, entry } = await pullUntil((e) => !!e && e.kind === 'full' && e.items.length > 0);
    assert.deepEqual(entry.items.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [['ADA092', 1, 0, 13]]);
    assert.match(entry.items[0]!.message, /^invalid regexp pattern "scratch\/\(oops": .*This line ignores nothing/);
    // The document pull (an editor that opens the file) says the same.
    const doc = await client.request<{ items: { code: string }[] }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.deepEqual(doc.items.map((d) => d.code), ['ADA092']);
    await save(original);
    // Fixed: the file is reported once more, with no problem, so the editor clears it.
    const previous = report.items.map((r) => ({ uri: r.uri, value: r.resultId! }));
    const { entry: cleared } = await pullUntil((e) => !!e && e.kind === 'full' && e.items.length === 0, previous);
    assert.deepEqual(cleared.items, []);
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
