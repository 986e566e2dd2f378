/**
 * The end-to-end proof run on every database: plan → apply → re-plan is empty; only the configured
 * roles' per-DAG grants (plus created roles/resources and the audit row) change; a second config
 * with cleanup revokes; each snapshot rolls back to exactly the rows before it.
 */
import * as assert from 'node:assert/strict';
import { openDatabase } from '../../server/src/db/connect';
import { readDbState, type DbState } from '../../server/src/db/state';
import type { Db } from '../../server/src/db/types';
import { applyPlan } from '../../server/src/sync/apply';
import { planSync } from '../../server/src/sync/plan';
import { rollbackSnapshot } from '../../server/src/sync/rollback';
import type { WorkspaceDag } from '../../server/src/sync/types';
import { makeConfig } from '../helpers/dbConfig';
import { diffDumps, dumpAll, type Dump } from '../helpers/dbDump';
import { tempDir } from '../helpers/dbServers';

/** Workspace view of the DB's DAGs: deployed tags plus `ada-a` on even and `ada-b` on odd DAGs. */
export function workspaceFor(state: DbState): WorkspaceDag[] {
  const ids = [...new Set([...state.dags.map((d) => d.dagId), ...state.inactiveDagIds])].sort();
  const tags = new Map(state.dags.map((d) => [d.dagId, d.tags]));
  return ids.map((dagId, i) => ({ dagId, tags: [...(tags.get(dagId) ?? []), i % 2 ? 'ada-b' : 'ada-a'], file: `/ws/${dagId}.py`, hasAccessControl: false }));
}

const configA = (version: string | null) =>
  makeConfig(
    [
      { name: 'ada_team_a', tags: ['ada-a'], dag: ['can_read', 'can_edit'], dagRun: ['can_read', 'can_create'] },
      { name: 'ada_team_b', tags: ['ada-b'], dag: ['can_read'], cleanup: true },
      { name: 'Op', tags: ['ada-a'], dag: ['can_delete'] }, // built-in: must stay untouched
    ],
    { version },
  );
/** Second config: team_a moves to ada-b (cleanup revokes its ada-a grants). */
const configB = (version: string | null) =>
  makeConfig(
    [
      { name: 'ada_team_a', tags: ['ada-b'], dag: ['can_read'], cleanup: true },
      { name: 'ada_team_b', tags: ['ada-b'], dag: ['can_read'], cleanup: true },
    ],
    { version },
  );

/** Assert that `after` differs from `before` only in rows a sync may touch. */
async function assertOnlyOwnedRows(db: Db, before: Dump, after: Dump, owned: string[]): Promise<void> {
  const state = await readDbState(db);
  const ownedIds = new Set(state.roles.filter((r) => owned.includes(r.name)).map((r) => r.id));
  const changed = new Map([...diffDumps(before, after), ...diffDumps(after, before)]);
  for (const [table, rows] of changed) {
    if (table === 'ab_permission_view_role') {
      for (const r of rows) assert.ok(ownedIds.has(Number(JSON.parse(r).role_id)), `grant row of a role the config does not own changed: ${r}`);
    } else if (table === 'ab_role') {
      for (const r of rows) assert.ok(owned.includes(JSON.parse(r).name), `unexpected role change: ${r}`);
    } else if (table === 'ab_view_menu') {
      for (const r of rows) assert.match(JSON.parse(r).name, /^DAG( Run)?:/, `unexpected resource change: ${r}`);
    } else if (table !== 'ab_permission_view' && table !== 'log') {
      assert.fail(`table ${table} changed: ${rows.slice(0, 2).join(' | ')}`);
    }
  }
}

/** PostgreSQL: the grant table's foreign keys (oid, name, definition). */
async function pgForeignKeys(db: Db): Promise<{ oid: string; key: string }[]> {
  const rows = await db.query("SELECT oid::text AS oid, conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated AS key FROM pg_constraint WHERE conrelid = 'ab_permission_view_role'::regclass AND contype = 'f' ORDER BY conname");
  return rows.map((r) => ({ oid: String(r.oid), key: String(r.key) }));
}

/**
 * `bulkMinGrants: 1` (PostgreSQL): every grant insert takes the bulk path (foreign keys dropped and
 * re-added); the scenario then also checks that the keys come back exactly as the schema had them.
 */
export async function runScenario(url: string, opts: { bulkMinGrants?: number } = {}): Promise<{ added: number; revoked: number }> {
  const snapDir = tempDir();
  const db = await openDatabase({ url, env: {} });
  const bulk = opts.bulkMinGrants;
  try {
    const fks0 = bulk !== undefined ? await pgForeignKeys(db) : [];
    const state0 = await readDbState(db);
    const ws = workspaceFor(state0);
    const version = state0.schema.dagRunResources ? '2.10' : null;
    const opts = { tagSource: 'workspace' as const, workspaceDags: ws };
    const owned = ['ada_team_a', 'ada_team_b'];
    const dump0 = await dumpAll(db);

    const planA = planSync(state0, configA(version), opts);
    assert.ok(!planA.empty, 'first plan has changes');
    assert.ok(!planA.addGrants.some((g) => g.role === 'Op' || g.role === 'Admin'), 'built-in roles untouched');
    const resA = await applyPlan(db, planA, { snapshotDir: snapDir, auditUser: 'test', bulkMinGrants: bulk });
    if (bulk !== undefined) {
      const fks1 = await pgForeignKeys(db);
      assert.deepEqual(fks1.map((k) => k.key), fks0.map((k) => k.key), 'the foreign keys are back with the same names and definitions');
      assert.ok(fks0.length > 0 && fks1.every((k, i) => k.oid !== fks0[i].oid), 'the bulk path ran (keys re-created)');
    }
    assert.equal(resA.applied, true);
    assert.equal(resA.summary.added, planA.summary.add, 'every planned grant was written');
    const dump1 = await dumpAll(db);
    await assertOnlyOwnedRows(db, dump0, dump1, owned);
    const again = planSync(await readDbState(db), configA(version), opts);
    assert.equal(again.empty, true, `re-plan is empty (got ${again.summary.add} add, ${again.summary.revoke} revoke)`);
    const steady = await applyPlan(db, again, { snapshotDir: snapDir });
    assert.equal(steady.rowsWritten, 0, 'steady re-run writes nothing');

    const planB = planSync(await readDbState(db), configB(version), opts);
    assert.ok(planB.revokeGrants.length > 0, 'cleanup revokes the moved role grants');
    assert.ok(planB.revokeGrants.every((g) => owned.includes(g.role) && /^DAG( Run)?:/.test(g.resource)));
    const resB = await applyPlan(db, planB, { snapshotDir: snapDir, bulkMinGrants: bulk });
    assert.equal(resB.summary.revoked, planB.summary.revoke);
    const dump2 = await dumpAll(db);
    await assertOnlyOwnedRows(db, dump1, dump2, owned);
    assert.equal(planSync(await readDbState(db), configB(version), opts).empty, true);

    // Roll both back: exact rows return (the audit rows in `log` are the only trace).
    const noLog = (d: Dump) => new Map([...d].filter(([t]) => t !== 'log'));
    await rollbackSnapshot(db, resB.snapshotFile!);
    assert.deepEqual(await dumpAll(db, { exclude: ['log'] }), noLog(dump1), 'rollback B restores exactly the revoked rows');
    await rollbackSnapshot(db, resA.snapshotFile!);
    assert.deepEqual(await dumpAll(db, { exclude: ['log'] }), noLog(dump0), 'rollback A restores the original DB');
    return { added: resA.summary.added, revoked: resB.summary.revoked };
  } finally {
    await db.close();
  }
}
