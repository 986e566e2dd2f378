/**
 * Roll Back a Sync through the bundled server: the editor's sync writes its snapshot where the CLI
 * writes them (<root>/.airflow-access/snapshots), the list names the database and previews the rows,
 * and the rollback restores the database; a file that is not one of the listed snapshots is refused.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import type { ApplyRequest, ListSnapshotsRequest, PlanRequest, RollbackRequest } from '../../server/src/protocol';
import { dumpAll } from '../helpers/dbDump';
import { demoServer } from '../helpers/demoServer';

const DEPLOYED = [
  { dagId: 'analytics_reporting_dag', tags: ['reporting', 'analytics', 'analytics_reporting_edit'] },
  { dagId: 'finance_ledger', tags: ['finance', 'finance_read', 'analytics_reporting_edit'] },
  { dagId: 'marketing_analyst_dag', tags: ['marketing', 'analytics', 'marketing_analyst_edit'] },
  { dagId: 'platform_maintenance', tags: ['platform'] },
];

describe('Roll Back a Sync', () => {
  const ws = demoServer(DEPLOYED);
  const dump = async () => {
    const db = await openDatabase({ url: `sqlite:///${ws.dbFile}`, env: {} });
    try {
      return await dumpAll(db, { exclude: ['log'] });
    } finally {
      await db.close();
    }
  };

  test('an editor sync is listed with what rolling it back does, and rolling it back restores the database', async () => {
    const before = await dump();
    assert.deepEqual((await ws.client.request<ListSnapshotsRequest.Result>('airflowDagAccess/listSnapshots', {})).snapshots, []);
    const plan = await ws.client.request<PlanRequest.Result>('airflowDagAccess/plan', {});
    const applied = await ws.client.request<ApplyRequest.Result>('airflowDagAccess/apply', { planId: plan.planId });
    assert.ok(applied.snapshotFile?.startsWith(path.join(ws.root, '.airflow-access', 'snapshots') + path.sep), `the CLI's snapshot folder: ${applied.snapshotFile}`);
    assert.notDeepEqual(await dump(), before);

    const list = await ws.client.request<ListSnapshotsRequest.Result>('airflowDagAccess/listSnapshots', {});
    assert.equal(list.target, `the SQLite database ${ws.dbFile}`);
    assert.equal(list.snapshots.length, 1);
    const s = list.snapshots[0]!;
    assert.equal(s.file, applied.snapshotFile);
    assert.equal(s.pending, false);
    assert.equal(s.removes.grants, applied.summary.added);
    assert.equal(s.removes.roles, applied.summary.createdRoles);
    assert.match(s.preview, /^Rolling back plan \w+ /);
    assert.match(s.preview, /- finance_auditor {2}can_read {2}DAG:finance_ledger {3}\(added by the sync: removed\)/);

    const r = await ws.client.request<RollbackRequest.Result>('airflowDagAccess/rollback', { file: s.file });
    assert.equal(r.neverCommitted, false);
    assert.match(r.message, /^Rolled back plan /);
    assert.deepEqual(await dump(), before, 'every FAB row as before the sync');
  });

  test('a file that is not a listed snapshot of this database is refused', async () => {
    const stray = path.join(ws.root, 'stray.json');
    fs.writeFileSync(stray, '{}');
    const err = await ws.client.request('airflowDagAccess/rollback', { file: stray }).then(
      () => null,
      (e: { code: number; message: string }) => e,
    );
    assert.ok(err);
    assert.equal(err.code, -32803);
    assert.match(err.message, /^No snapshot .*stray\.json of the SQLite database/);
  });
});
