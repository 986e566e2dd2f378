/**
 * The editor's conversion of seed role_mappings uses the same code as `airflow-access migrate-config`:
 * the YAML conversion and the "write airflow-access.yaml" action for the MWAA sync DAG produce the
 * very text the CLI writes. The sync DAG is found as the config without any setting.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { applyEdits, fileUri, LspClient } from '../helpers/lspClient';
import { fixturesDir } from '../helpers/paths';
import { cliPath, runCli } from '../cli/cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;
const at = { line: 0, character: 0 };
const refactors = (client: LspClient, uri: string) =>
  client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [], only: ['refactor'] } });

describe('seed migration in the editor = migrate-config', { skip: built }, () => {
  let root: string;
  let client: LspClient;
  before(async () => {
    root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ada-mig-')), 'ws');
    fs.cpSync(path.join(fixturesDir, 'mwaa'), root, { recursive: true });
    client = await LspClient.start({ folders: [root] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(path.dirname(root), { recursive: true, force: true });
  });

  test('without airflow-access.yaml the editor uses the sync DAG and says so once', async () => {
    const shown = await client.waitForNotification<{ type: number; message: string }>('window/showMessage', (p) => p.message.includes('role_mappings'));
    assert.deepEqual(shown, { type: 3, message: 'Airflow DAG Access: No airflow-access.yaml: using the role_mappings list of dags/permission_sync.py.' });
    assert.equal(client.received<{ message: string }>('window/showMessage').filter((p) => p.message.includes('role_mappings')).length, 1);
  });

  test('the discovered sync DAG offers "Write airflow-access.yaml", with exactly the migrate-config text', async () => {
    const dag = path.join(root, 'dags', 'permission_sync.py');
    const uri = await client.open(dag);
    const list = await refactors(client, uri);
    const action = list.find((a) => a.title === 'Write airflow-access.yaml (v1) from this role_mappings list');
    assert.ok(action, JSON.stringify(list.map((a) => a.title)));
    const [create, edit] = action.edit!.documentChanges as [CreateFile, TextDocumentEdit];
    assert.deepEqual([create.kind, create.uri], ['create', fileUri(path.join(root, 'airflow-access.yaml'))]);
    const cli = await runCli(['migrate-config', 'dags/permission_sync.py', '--out', '-', '-q'], { cwd: root });
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(applyEdits('', edit.edits), cli.stdout);
  });

  test('a seed YAML file: the convert action replaces it with the migrate-config text', async () => {
    const yamlRoot = path.join(path.dirname(root), 'yaml');
    fs.mkdirSync(yamlRoot);
    const cfg = path.join(yamlRoot, 'airflow-access.yaml');
    fs.copyFileSync(path.join(fixturesDir, 'mwaa', 'flat-role-mappings.yaml'), cfg);
    const yamlClient = await LspClient.start({ folders: [yamlRoot] });
    try {
      const uri = await yamlClient.open(cfg);
      const convert = (await refactors(yamlClient, uri)).find((a) => a.title === 'Convert role_mappings to the airflow-access v1 format')!;
      assert.ok(convert);
      const edits = (convert.edit!.documentChanges as TextDocumentEdit[])[0].edits;
      const converted = applyEdits(fs.readFileSync(cfg, 'utf8'), edits);
      const cli = await runCli(['migrate-config', cfg, '--out', '-', '-q'], { cwd: yamlRoot });
      assert.equal(converted, cli.stdout);
      assert.match(converted, /^ {4}cleanup: true # was do_cleanup$/m);
    } finally {
      await yamlClient.stop();
    }
  });
});
