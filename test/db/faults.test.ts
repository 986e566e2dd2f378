/**
 * Fault tests: a connection killed mid-apply leaves the DB exactly as before; a cancelled apply
 * rolls back; two concurrent applies serialize and both end correct.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import * as fs from 'fs';
import * as mysql from 'mysql2/promise';
import { Client } from 'pg';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import type { MysqlDb } from '../../server/src/db/mysql';
import type { PostgresDb } from '../../server/src/db/postgres';
import { readDbState } from '../../server/src/db/state';
import type { Db } from '../../server/src/db/types';
import { applyPlan } from '../../server/src/sync/apply';
import { rollbackSnapshot } from '../../server/src/sync/rollback';
import { planSync } from '../../server/src/sync/plan';
import { makeConfig } from '../helpers/dbConfig';
import { dumpAll } from '../helpers/dbDump';
import { MY_HOST, PG_HOST, PG_USER, createMariaDb, createPgDb, needsMaria, needsPg, seedSchema, tempDir, type TempDb } from '../helpers/dbServers';
import { airflowSchemaDdl } from '../../server/src/db/airflowSchema';

const dags = Array.from({ length: 40 }, (_, i) => ({ dagId: `dag_${i}`, tags: [i % 2 ? 'team-b' : 'team-a'] }));
const config = makeConfig([
  { name: 'team_a', tags: ['team-a'], dag: ['can_read', 'can_edit'], dagRun: ['can_create'] },
  { name: 'team_b', tags: ['team-b'], dag: ['can_read'] },
]);

/** A PG database with the project's schema (same DDL as SQLite works on PG for these tables). */
async function pgWithSchema(): Promise<TempDb> {
  const ddl = airflowSchemaDdl('sqlite', '2.10').map((s) => s.replace(/id INTEGER NOT NULL,/g, 'id SERIAL NOT NULL,'));
  return seedSchema(await createPgDb(), ddl, '2.10', dags);
}

/** A SQLite demo database in `dir`, or a PostgreSQL one with the same schema and DAGs (dropped by the caller). */
async function sqliteOrPg(dialect: 'sqlite' | 'postgres', dir: string): Promise<{ url: string; target: TempDb | null }> {
  if (dialect === 'postgres') {
    const target = await pgWithSchema();
    return { url: target.url, target };
  }
  const file = path.join(dir, 'a.db');
  await createDemoDatabase(file, { dags });
  return { url: `sqlite:///${file}`, target: null };
}

/** Full table dumps of a fresh connection equal `before`. */
async function assertUnchanged(url: string, before: Awaited<ReturnType<typeof dumpAll>>): Promise<void> {
  const check = await openDatabase({ url, env: {} });
  try {
    assert.deepEqual(await dumpAll(check), before);
  } finally {
    await check.close();
  }
}

/**
 * After a failed apply, the same connection (the language server keeps one per folder) sees nothing of
 * it and can sync again: the transaction was rolled back, not left open or aborted.
 */
async function assertConnectionReusable(db: Db, before: Awaited<ReturnType<typeof dumpAll>>, repair?: string): Promise<void> {
  assert.deepEqual(await dumpAll(db), before, `${db.dialect}: the failed apply's own connection still sees its writes`);
  if (repair) await db.run(repair);
  const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
  const r = await applyPlan(db, plan, { snapshotDir: tempDir() });
  assert.equal(r.applied, true);
  assert.equal(planSync(await readDbState(db), config, { tagSource: 'db' }).empty, true, `${db.dialect}: a second apply on the same connection completes`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('PostgreSQL: backend killed mid-apply (after its writes, waiting on a lock) leaves the DB exactly as before', { skip: needsPg }, async () => {
  const t = await pgWithSchema();
  const db = (await openDatabase({ url: t.url, env: {} })) as PostgresDb;
  const blocker = new Client({ host: PG_HOST, user: PG_USER, database: t.name });
  await blocker.connect();
  try {
    const before = await dumpAll(db);
    const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
    const pid = await db.backendPid();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE log IN SHARE ROW EXCLUSIVE MODE'); // the audit insert (last statement) waits here
    const steps: string[] = [];
    // Settle immediately so the rejection (which may come before we assert on it) is never unhandled.
    const applying = applyPlan(db, plan, { snapshotDir: tempDir(), onProgress: (m) => steps.push(m) }).then(() => null, (e: Error) => e);
    await waitFor(async () => (await blocker.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = $2', [pid, 'Lock'])).rowCount === 1, 'apply to block');
    assert.ok(steps.some((s) => s.startsWith('add ')), 'grants were already written when the connection died');
    await blocker.query('SELECT pg_terminate_backend($1)', [pid]);
    const err = await applying;
    assert.ok(err && /connection.*lost|rolled back/i.test(err.message) && !err.message.includes('\n'), String(err?.message));
    await blocker.query('ROLLBACK');
    await assertUnchanged(t.url, before);
  } finally {
    await blocker.end();
    await db.close();
    await t.drop();
  }
});

test('MariaDB: connection killed mid-apply leaves the DB exactly as before', { skip: needsMaria }, async () => {
  const t = await createMariaDb('2.10', dags);
  const db = (await openDatabase({ url: t.url, env: {} })) as MysqlDb;
  const blocker = await mysql.createConnection({ host: MY_HOST, user: 'root', database: t.name });
  try {
    const before = await dumpAll(db);
    const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
    const id = await db.threadId();
    await blocker.query('START TRANSACTION');
    await blocker.query('SELECT * FROM log FOR UPDATE');
    await blocker.query("INSERT INTO log (dttm, event) VALUES (CURRENT_TIMESTAMP, 'blocker')"); // holds the insert gap lock
    const applying = applyPlan(db, plan, { snapshotDir: tempDir() }).then(() => null, (e: Error) => e);
    await waitFor(async () => {
      const [rows] = await blocker.query('SELECT state FROM information_schema.processlist WHERE id = ?', [id]);
      return (rows as { state: string }[]).some((r) => /lock|update/i.test(r.state ?? ''));
    }, 'apply to block');
    await blocker.query(`KILL ${Number(id)}`);
    const err = await applying;
    assert.ok(err && !err.message.includes('\n'), 'apply failed with one line');
    await blocker.query('ROLLBACK');
    await assertUnchanged(t.url, before);
  } finally {
    await blocker.end();
    await db.close();
    await t.drop();
  }
});

test('SQLite: cancelling mid-apply (after some statements) rolls back everything', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'a.db');
  await createDemoDatabase(file, { dags });
  const db = await openDatabase({ url: `sqlite:///${file}`, env: {} });
  try {
    const before = await dumpAll(db);
    const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
    const ac = new AbortController();
    await assert.rejects(
      applyPlan(db, plan, { snapshotDir: dir, signal: ac.signal, onProgress: (m) => (m.startsWith('add ') ? ac.abort() : undefined) }),
      /cancelled/,
    );
    assert.deepEqual(await dumpAll(db), before);
    assert.equal(fs.existsSync(`${file}.lock`), false, 'no stale lock directory');
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite and PostgreSQL: an apply that fails after its snapshot was written leaves no snapshot behind, and nothing changes', async (t) => {
  // The audit row is the apply's last statement: a trigger refusing it fails the apply after every
  // grant and the snapshot were written. A snapshot left behind would later "roll back" grants that
  // were never added, removing the same grants made since by someone else.
  const refuse: Record<'sqlite' | 'postgres', string[]> = {
    sqlite: [`CREATE TRIGGER refuse_audit BEFORE INSERT ON log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`],
    postgres: [
      `CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`,
      `CREATE TRIGGER refuse_audit BEFORE INSERT ON log FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
    ],
  };
  for (const dialect of ['sqlite', 'postgres'] as const) {
    await t.test(dialect, { skip: dialect === 'postgres' ? needsPg : false }, async () => {
      const dir = tempDir();
      const { url, target } = await sqliteOrPg(dialect, dir);
      const db = await openDatabase({ url, env: {} });
      try {
        for (const sql of refuse[dialect]) await db.run(sql);
        const before = await dumpAll(db);
        const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
        assert.ok(plan.addGrants.length > 0);
        const snapshots = path.join(dir, 'snapshots');
        const steps: string[] = [];
        await assert.rejects(applyPlan(db, plan, { snapshotDir: snapshots, bulkMinGrants: 1, onProgress: (m) => steps.push(m) }), /audit refused/);
        assert.ok(steps.some((m) => m.startsWith('Snapshot written')), 'the snapshot had been written');
        assert.deepEqual(fs.existsSync(snapshots) ? fs.readdirSync(snapshots) : [], [], 'no snapshot left');
        assert.ok(steps.some((m) => /removed: nothing was committed/.test(m)));
        await assertUnchanged(url, before);
        await assertConnectionReusable(db, before, dialect === 'sqlite' ? 'DROP TRIGGER refuse_audit' : 'DROP TRIGGER refuse_audit ON log');
      } finally {
        await db.close();
        await target?.drop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

test('SQLite: a snapshot is rolled back only on the database it was taken on, unless told otherwise', async () => {
  const dir = tempDir();
  const [fileA, fileB] = [path.join(dir, 'a.db'), path.join(dir, 'b.db')];
  await createDemoDatabase(fileA, { dags });
  const a = await openDatabase({ url: `sqlite:///${fileA}`, env: {} });
  try {
    const plan = planSync(await readDbState(a), config, { tagSource: 'db' });
    const applied = await applyPlan(a, plan, { snapshotDir: dir });
    await a.close();
    // b.db: a copy of a.db after the sync, as a second Airflow deployment with the same grants.
    fs.copyFileSync(fileA, fileB);
    const b = await openDatabase({ url: `sqlite:///${fileB}`, env: {} });
    try {
      const before = await dumpAll(b);
      await assert.rejects(rollbackSnapshot(b, applied.snapshotFile!), /was taken on .*a\.db, not .*b\.db; nothing was changed\. .*--other-target/);
      assert.deepEqual(await dumpAll(b), before);
      const r = await rollbackSnapshot(b, applied.snapshotFile!, { otherTarget: true });
      assert.ok(r.removed > 0, 'told otherwise, it rolls back');
    } finally {
      await b.close();
    }
  } finally {
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite and PostgreSQL: a snapshot that cannot be written fails the apply and nothing changes', async (t) => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    await t.test(dialect, { skip: dialect === 'postgres' ? needsPg : false }, async () => {
      const dir = tempDir();
      const blocker = path.join(dir, 'not-a-dir');
      fs.writeFileSync(blocker, 'a file where the snapshot folder should be');
      const { url, target } = await sqliteOrPg(dialect, dir);
      const db = await openDatabase({ url, env: {} });
      try {
        const before = await dumpAll(db);
        const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
        // bulkMinGrants 1: on PostgreSQL the snapshot is written while the bulk insert runs.
        await assert.rejects(applyPlan(db, plan, { snapshotDir: path.join(blocker, 'snapshots'), bulkMinGrants: 1 }), /Cannot write the rollback snapshot in .*not-a-dir.*\(ENOTDIR\); nothing was applied/);
        await assertUnchanged(url, before);
        await assertConnectionReusable(db, before);
      } finally {
        await db.close();
        await target?.drop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

async function concurrent(url: string): Promise<void> {
  const a = await openDatabase({ url, env: {} });
  const b = await openDatabase({ url, env: {} });
  try {
    const plan = planSync(await readDbState(a), config, { tagSource: 'db' });
    const [ra, rb] = await Promise.all([applyPlan(a, plan, { snapshotDir: tempDir() }), applyPlan(b, plan, { snapshotDir: tempDir() })]);
    assert.equal(ra.applied && rb.applied, true);
    // Exactly one of them wrote the grants; the other found them done.
    assert.deepEqual([ra.summary.added, rb.summary.added].sort((x, y) => x - y), [0, plan.summary.add]);
    assert.equal(planSync(await readDbState(a), config, { tagSource: 'db' }).empty, true);
  } finally {
    await a.close();
    await b.close();
  }
}

test('PostgreSQL: two concurrent applies serialize and both end correct', { skip: needsPg }, async () => {
  const t = await pgWithSchema();
  try {
    await concurrent(t.url);
  } finally {
    await t.drop();
  }
});

test('MariaDB: two concurrent applies serialize and both end correct', { skip: needsMaria }, async () => {
  const t = await createMariaDb('3.0', dags);
  try {
    await concurrent(t.url);
  } finally {
    await t.drop();
  }
});

test('SQLite: two concurrent applies (two connections) serialize and both end correct', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.db');
  await createDemoDatabase(file, { dags, airflowVersion: '3.0' });
  try {
    await concurrent(`sqlite:///${file}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a plan made before someone else changed the DB is refused, nothing applied', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'd.db');
  await createDemoDatabase(file, { dags });
  const db: Db = await openDatabase({ url: `sqlite:///${file}`, env: {} });
  try {
    const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
    await db.run("INSERT INTO dag (dag_id, is_paused, is_active, max_active_tasks, has_task_concurrency_limits) VALUES ('late', 0, 1, 16, 0)");
    await db.run("INSERT INTO dag_tag (name, dag_id) VALUES ('team-a', 'late')");
    const before = await dumpAll(db);
    await assert.rejects(applyPlan(db, plan, { snapshotDir: dir }), /changed since plan/);
    assert.deepEqual(await dumpAll(db), before);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
