/**
 * The example workspace under the simple auth manager, through the bundled server with a demo database:
 * the sync is not offered (plan, drift refuse with one line, nothing is written), the hover on a dag_id
 * answers per role and user, the code lens counts the simple roles.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol/node';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import type { MatrixExportRequest, MatrixRequest, StatusNotification, TreeRequest } from '../../server/src/protocol';
import { copyExamples, fileUri, LspClient, positionOf } from '../helpers/lspClient';
import { fixturesDir } from '../helpers/paths';

const hoverText = (h: Hover | null) => (h ? (h.contents as { value: string }).value : '');

describe('simple auth manager through the language server (demo database configured)', () => {
  let root: string;
  let client: LspClient;
  let dbFile: string;
  let noSync: string | undefined;

  before(async () => {
    root = copyExamples();
    for (const f of ['airflow-access.yaml', 'airflow.cfg']) fs.copyFileSync(path.join(fixturesDir, 'auth-managers', 'simple', f), path.join(root, f));
    dbFile = path.join(root, '.airflow', 'airflow.db');
    await createDemoDatabase(dbFile, { dags: [{ dagId: 'finance_ledger', tags: ['finance_read'] }] });
    client = await LspClient.start({ folders: [root], settings: { database: { url: `sqlite:///${dbFile}` } } });
    const status = await client.waitForNotification<StatusNotification.Params>('airflowDagAccess/status', (p) => p.folders.some((f) => f.db.state === 'connected'));
    noSync = status.folders[0].db.noSync;
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the status says there is no FAB sync (not "in sync")', () => {
    assert.equal(noSync, 'simple auth manager: Airflow reads no FAB grants, so there is nothing to sync');
  });

  test('plan and drift are refused with the reason, and the database file is not touched', async () => {
    const before = fs.readFileSync(dbFile);
    for (const method of ['airflowDagAccess/plan', 'airflowDagAccess/drift']) {
      await assert.rejects(client.request(method, {}), (e: Error) => {
        assert.match(e.message, /airflow\.auth_manager is 'simple' \(airflow-access\.yaml:6\): Airflow reads no FAB grants under the simple auth manager, so nothing is planned or written; use the CLI with --force-fab/);
        return true;
      });
    }
    assert.deepEqual(fs.readFileSync(dbFile), before);
  });

  test('hover on finance_ledger: who reads, triggers, edits and deletes, per role and per user from airflow.cfg', async () => {
    const file = path.join(root, 'dags', 'finance_ledger.py');
    const text = fs.readFileSync(file, 'utf8');
    const uri = await client.open(file);
    const h = hoverText(await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'def finance_ledger', 6) }));
    assert.match(h, /\*\*Simple auth manager\*\*: .*\(users from airflow\.cfg:5\)/);
    assert.match(h, /\| peter \| viewer \| read \|/);
    assert.match(h, /\| ursula \| user \| read, trigger, edit, delete \|/);
    assert.match(h, /⚠ access_control has no effect under the simple auth manager/);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses[0].command?.title, '3 roles can edit · 4 can read');
  });
});

describe('an Airflow 3 metadata database without the FAB provider, through the language server', () => {
  let root: string;
  let client: LspClient;

  before(async () => {
    root = copyExamples();
    const dbFile = path.join(root, '.airflow', 'airflow.db');
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    fs.writeFileSync(dbFile, ''); // an empty file is an empty SQLite database
    const db = await openDatabase({ url: `sqlite:///${dbFile}`, env: {} });
    await db.run('CREATE TABLE dag (dag_id VARCHAR(250) PRIMARY KEY, is_stale BOOLEAN NOT NULL DEFAULT 0)');
    await db.run('CREATE TABLE dag_tag (name VARCHAR(100), dag_id VARCHAR(250))');
    await db.close();
    client = await LspClient.start({ folders: [root], settings: { database: { url: `sqlite:///${dbFile}` } } });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the status and the plan request say so, and no sync is offered', async () => {
    const status = await client.waitForNotification<StatusNotification.Params>('airflowDagAccess/status', (p) => p.folders.some((f) => f.db.state === 'error'));
    assert.match(status.folders[0].db.message ?? '', /^This is an Airflow 3 database without the FAB provider/);
    await assert.rejects(client.request('airflowDagAccess/plan', {}), (e: Error) => {
      assert.match(e.message, /^This is an Airflow 3 database without the FAB provider \(ab_role, .*\): its auth manager is not FAB .*Set airflow\.auth_manager in airflow-access\.yaml to simple, keycloak or aws/);
      return true;
    });
  });
});

describe('keycloak auth manager through the language server: the matrix and the tree say who decides', () => {
  let root: string;
  let client: LspClient;

  before(async () => {
    root = copyExamples();
    fs.copyFileSync(path.join(fixturesDir, 'auth-managers', 'keycloak', 'airflow-access.yaml'), path.join(root, 'airflow-access.yaml'));
    client = await LspClient.start({ folders: [root] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('MatrixRequest and its Markdown export carry the note; no role is listed', async () => {
    const m = await client.request<MatrixRequest.Result>('airflowDagAccess/matrix', {});
    assert.deepEqual(m.roles, []);
    assert.ok(m.dags.some((d) => d.dagId === 'finance_ledger'));
    assert.match(m.note ?? '', /^DAG access is decided by the Keycloak auth manager in Keycloak authorization services .*cannot be shown here/);
    const md = await client.request<MatrixExportRequest.Result>('airflowDagAccess/matrixExport', { format: 'md' });
    assert.ok(md.text.startsWith(m.note!), md.text);
  });

  test('TreeRequest carries the same note (the tree view shows it as its message)', async () => {
    const t = await client.request<TreeRequest.Result>('airflowDagAccess/tree', {});
    const m = await client.request<MatrixRequest.Result>('airflowDagAccess/matrix', {});
    assert.equal(t.note, m.note);
    assert.ok(t.dags.length > 0);
  });
});
