/**
 * Roll Back a Sync through the bundled server: the editor's sync writes its snapshot where the CLI
 * writes them (<root>/.airflow-access/snapshots), the list names the database and previews the rows,
 * and the rollback restores the database; a file that is not one of the listed snapshots is refused.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/db/demo';
import type { ApplyRequest, ListSnapshotsRequest, PlanRequest, RollbackRequest, StatusNotification } from '../../server/src/protocol';
import { dumpAll } from '../helpers/dbDump';
import { copyExamples, LspClient } from '../helpers/lspClient';

const DEPLOYED = [
  { dagId: 'analytics_reporting_dag', tags: ['reporting', 'analytics', 'analytics_reporting_edit'] },
  { dagId: 'finance_ledger', tags: ['finance', 'finance_read', 'analytics_reporting_edit'] },
  { dagId: 'marketing_analyst_dag', tags: ['marketing', 'analytics', 'marketing_analyst_edit'] },
  { dagId: 'platform_maintenance', tags: ['platform'] },
];

describe('Roll Back a Sync', () => {
  let root: string;
  let dbFile: string;
  let client: LspClient;
  const dump = async () => {
    const db = await openDatabase({ url: `sqlite:///${dbFile}`, env: {} });
    try {
      return await dumpAll(db, { exclude: ['log'] });
    } finally {
      await db.close();
    }
  };

  before(async () => {
    root = copyExamples();
    dbFile = path.join(root, '.airflow', 'airflow.db');
    await createDemoDatabase(dbFile, { dags: DEPLOYED });
    client = await LspClient.start({ folders: [root], settings: { database: { url: `sqlite:///${dbFile}` } } });
    await client.waitForNotification<StatusNotification.Params>('airflowDagAccess/status', (p) => p.folders.some((f) => f.db.state === 'connected'));
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('an editor sync is listed with what rolling it back does, and rolling it back restores the database', async () => {
    const before = await dump();
    assert.deepEqual((await client.request<ListSnapshotsRequest.Result>('airflowDagAccess/listSnapshots', {})).snapshots, []);
    const plan = await client.request<PlanRequest.Result>('airflowDagAccess/plan', {});
    const applied = await client.request<ApplyRequest.Result>('airflowDagAccess/apply', { planId: plan.planId });
    assert.ok(applied.snapshotFile?.startsWith(path.join(root, '.airflow-access', 'snapshots') + path.sep), `the CLI's snapshot folder: ${applied.snapshotFile}`);
    assert.notDeepEqual(await dump(), before);

    const list = await client.request<ListSnapshotsRequest.Result>('airflowDagAccess/listSnapshots', {});
    assert.equal(list.target, `the SQLite database ${dbFile}`);
    assert.equal(list.snapshots.length, 1);
    const s = list.snapshots[0]!;
    assert.equal(s.file, applied.snapshotFile);
    assert.equal(s.pending, false);
    assert.equal(s.removes.grants, applied.summary.added);
    assert.equal(s.removes.roles, applied.summary.createdRoles);
    assert.match(s.preview, /^Rolling back plan \w+ /);
    assert.match(s.preview, /- finance_auditor {2}can_read {2}DAG:finance_ledger {3}\(added by the sync: removed\)/);

    const r = await client.request<RollbackRequest.Result>('airflowDagAccess/rollback', { file: s.file });
    assert.equal(r.neverCommitted, false);
    assert.match(r.message, /^Rolled back plan /);
    assert.deepEqual(await dump(), before, 'every FAB row as before the sync');
  });

  test('a file that is not a listed snapshot of this database is refused', async () => {
    const stray = path.join(root, 'stray.json');
    fs.writeFileSync(stray, '{}');
    const err = await client.request('airflowDagAccess/rollback', { file: stray }).then(
      () => null,
      (e: { code: number; message: string }) => e,
    );
    assert.ok(err);
    assert.equal(err.code, -32803);
    assert.match(err.message, /^No snapshot .*stray\.json of the SQLite database/);
  });
});
