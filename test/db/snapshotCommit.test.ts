/**
 * A snapshot on disk says whether its sync committed, on every dialect: written as `.pending.json`,
 * renamed once COMMIT returned. A process killed in between (before or after COMMIT) leaves a pending
 * snapshot; `rollback` of it asks the database (audit row, or the rows themselves) and is a clear
 * no-op when the sync never committed; the next sync into the same folder settles it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { airflowSchemaDdl } from '../../server/src/db/airflowSchema';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import { readDbState } from '../../server/src/db/state';
import type { Db } from '../../server/src/db/types';
import { applyPlan } from '../../server/src/sync/apply';
import { planSync } from '../../server/src/sync/plan';
import { rollbackSnapshot } from '../../server/src/sync/rollback';
import { buildSnapshot, readSnapshot, writeSnapshot } from '../../server/src/sync/snapshot';
import { makeConfig } from '../helpers/dbConfig';
import { dumpAll } from '../helpers/dbDump';
import { createMariaDb, createPgDb, needsMaria, needsPg, seedSchema, tempDir, type TempDb } from '../helpers/dbServers';

const dags = Array.from({ length: 12 }, (_, i) => ({ dagId: `dag_${i}`, tags: [i % 2 ? 'team-b' : 'team-a'] }));
const config = makeConfig([
  { name: 'team_a', tags: ['team-a'], dag: ['can_read', 'can_edit'] },
  { name: 'team_b', tags: ['team-b'], dag: ['can_read'] },
]);

type Dialect = 'sqlite' | 'postgres' | 'mysql';
const skips: Record<Dialect, string | false> = { sqlite: false, postgres: needsPg, mysql: needsMaria };

async function target(dialect: Dialect, dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const file = path.join(dir, 'a.db');
    await createDemoDatabase(file, { dags });
    return { url: `sqlite:///${file}`, drop: async () => undefined };
  }
  let t: TempDb;
  if (dialect === 'postgres') {
    const ddl = airflowSchemaDdl('sqlite', '2.10').map((s) => s.replace(/id INTEGER NOT NULL,/g, 'id SERIAL NOT NULL,'));
    t = await seedSchema(await createPgDb(), ddl, '2.10', dags);
  } else t = await createMariaDb('2.10', dags);
  return { url: t.url, drop: () => t.drop() };
}

/** `fn` on a fresh database of `dialect` with the example DAGs, and the snapshot folder to use; all removed after. */
async function withTarget(dialect: Dialect, fn: (db: Db, snapshots: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const t = await target(dialect, dir);
  const db = await openDatabase({ url: t.url, env: {} });
  try {
    await fn(db, path.join(dir, 'snapshots'));
  } finally {
    await db.close();
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What a sync killed after writing its snapshot and before COMMIT leaves: the pending snapshot, no change. */
function neverCommitted(db: Db, snapshots: string, plan: ReturnType<typeof planSync>): string {
  const written = writeSnapshot(snapshots, buildSnapshot({ planId: plan.planId, dialect: db.dialect, target: db.label, changes: plan, deleted: [] }));
  assert.ok(written.endsWith('.pending.json'));
  return asLeftByKilledProcess(written);
}

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** Make a snapshot look like the one a killed process left: pending name, its writer gone. */
function asLeftByKilledProcess(file: string): string {
  const snap = readSnapshot(file);
  snap.writer = { pid: deadPid(), host: snap.writer!.host };
  const pending = file.replace(/\.json$/, '.pending.json');
  fs.writeFileSync(pending, JSON.stringify(snap));
  if (pending !== file) fs.rmSync(file, { force: true });
  return pending;
}

const withoutLog = (d: Awaited<ReturnType<typeof dumpAll>>) => new Map([...d].filter(([k]) => k !== 'log'));

for (const dialect of ['sqlite', 'postgres', 'mysql'] as const) {
  test(`${dialect}: a committed sync's snapshot is renamed from .pending.json only after COMMIT`, { skip: skips[dialect] }, async () => {
    await withTarget(dialect, async (db, snapshots) => {
      const seen: string[] = [];
      const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
      const r = await applyPlan(db, plan, {
        snapshotDir: snapshots,
        onProgress: (m) => {
          if (m === 'Committing') seen.push(...fs.readdirSync(snapshots));
        },
      });
      assert.ok(seen.length === 1 && seen[0]!.endsWith('.pending.json'), `pending while the transaction is open: ${seen.join(', ')}`);
      assert.ok(r.snapshotFile && !r.snapshotFile.endsWith('.pending.json'), `committed name after: ${r.snapshotFile}`);
      assert.deepEqual(fs.readdirSync(snapshots), [path.basename(r.snapshotFile!)]);
    });
  });

  test(`${dialect}: rollback of the snapshot of a sync killed before COMMIT is a clear no-op`, { skip: skips[dialect] }, async () => {
    await withTarget(dialect, async (db, snapshots) => {
      const before = await dumpAll(db);
      const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
      assert.ok(plan.addGrants.length > 0);
      const pending = neverCommitted(db, snapshots, plan);
      const r = await rollbackSnapshot(db, pending);
      assert.equal(r.neverCommitted, true);
      assert.match(r.message, /^Nothing to roll back: the sync of plan \w+ never committed/);
      assert.equal(fs.existsSync(pending), false, 'the snapshot of a sync that never committed is removed');
      assert.deepEqual(await dumpAll(db), before, 'nothing changed, not even an audit row');
    });
  });

  test(`${dialect}: a sync killed after COMMIT but before renaming its snapshot can still be rolled back, and the next sync settles both kinds`, { skip: skips[dialect] }, async () => {
    await withTarget(dialect, async (db, snapshots) => {
      const before = await dumpAll(db);
      const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
      const r = await applyPlan(db, plan, { snapshotDir: snapshots });
      const committedName = r.snapshotFile!;
      const pending = asLeftByKilledProcess(committedName);
      // Rollback asks the database, finds the sync committed, and undoes it.
      const rb = await rollbackSnapshot(db, pending);
      assert.ok(!rb.neverCommitted && rb.removed > 0, rb.message);
      assert.deepEqual(withoutLog(await dumpAll(db)), withoutLog(before), 'back to the state before the sync');
      assert.ok(fs.existsSync(committedName) && !fs.existsSync(pending), 'the snapshot now has its committed name');

      // Both kinds left by killed processes; the next sync into the folder settles them.
      const committedLeft = await applyPlanViaKilled(db, snapshots);
      const otherPlan = planSync(await readDbState(db), makeConfig([{ name: 'team_c', tags: ['team-b'] }]), { tagSource: 'db' });
      const never = neverCommitted(db, snapshots, otherPlan);
      // A half-written temp snapshot of a process killed before it could rename it (so before COMMIT).
      const host = os.hostname().replace(/[^A-Za-z0-9.-]/g, '_');
      const halfWritten = path.join(snapshots, `airflow-access-x-0000.pending.json.${host}-${deadPid()}.tmp`);
      fs.writeFileSync(halfWritten, '{"format": "airflow-dag-acc');
      const lines: string[] = [];
      const third = planSync(await readDbState(db), makeConfig([{ name: 'team_c', tags: ['team-a'] }]), { tagSource: 'db' });
      await applyPlan(db, third, { snapshotDir: snapshots, onProgress: (m) => lines.push(m) });
      assert.equal(fs.existsSync(never), false, 'the never-committed snapshot was removed');
      assert.equal(fs.existsSync(halfWritten), false, 'the half-written temp snapshot of a killed sync was removed');
      assert.ok(lines.some((l) => /removed: its sync was killed before committing/.test(l)), lines.join('\n'));
      assert.ok(lines.some((l) => /did commit; kept for rollback/.test(l)), lines.join('\n'));
      assert.deepEqual(fs.readdirSync(snapshots).filter((f) => f.endsWith('.pending.json')), []);
      assert.ok(fs.existsSync(committedLeft.replace(/\.pending\.json$/, '.json')), 'the committed one got its committed name');
    });
  });
}

/** Apply the config's plan and leave its snapshot as a killed process would (committed, still pending). */
async function applyPlanViaKilled(db: Db, snapshots: string): Promise<string> {
  const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
  const r = await applyPlan(db, plan, { snapshotDir: snapshots });
  return asLeftByKilledProcess(r.snapshotFile!);
}

test('sqlite without a log table: whether a killed sync committed is read from the rows', async () => {
  const dir = tempDir();
  const t = await target('sqlite', dir);
  const db = await openDatabase({ url: t.url, env: {} });
  try {
    await db.run('DROP TABLE log');
    const snapshots = path.join(dir, 'snapshots');
    const before = await dumpAll(db);
    const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
    const never = neverCommitted(db, snapshots, plan);
    assert.equal((await rollbackSnapshot(db, never)).neverCommitted, true);
    const r = await applyPlan(db, plan, { snapshotDir: snapshots });
    const left = asLeftByKilledProcess(r.snapshotFile!);
    const rb = await rollbackSnapshot(db, left);
    assert.ok(!rb.neverCommitted && rb.removed > 0);
    assert.deepEqual(await dumpAll(db), before);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
