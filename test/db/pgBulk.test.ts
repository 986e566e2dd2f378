/**
 * PostgreSQL bulk grant inserts (server/src/sync/pgBulkGrants.ts): a large sync drops the two
 * foreign keys of ab_permission_view_role, inserts, and adds them back unchanged; whenever that
 * cannot be done safely it steps aside for the ordinary insert, and a failed re-validation rolls
 * the whole transaction back. Grants by ids are copied (COPY) when the id column has a default,
 * inserted otherwise; both ways are checked.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'crypto';
import { Client } from 'pg';
import { openDatabase } from '../../server/src/db/connect';
import type { Db } from '../../server/src/db/types';
import { planAndApply } from '../../server/src/sync/apply';
import { insertGrantsBulk, type BulkInsert } from '../../server/src/sync/pgBulkGrants';
import { planSync } from '../../server/src/sync/plan';
import { readDbState } from '../../server/src/db/state';
import { rollbackSnapshot } from '../../server/src/sync/rollback';
import { insertGrantsById } from '../../server/src/sync/idStatements';
import { contextForScript } from '../../server/src/sync/steps';
import { makeConfig } from '../helpers/dbConfig';
import { dumpAll } from '../helpers/dbDump';
import { PG_HOST, PG_USER, createPgDb, needsPg, tempDir, type TempDb } from '../helpers/dbServers';
import { SYNTHETIC_ACTIONS, buildDb, roleOf, tagOf } from '../helpers/syntheticDb';

const DAGS = 2_000;
const ROLES = 2;
/** Every DAG carries both tags, so each role gets 3 actions × 2,000 DAGs: 12,000 grants. */
const GRANTS = DAGS * ROLES * SYNTHETIC_ACTIONS.length;
const config = makeConfig(Array.from({ length: ROLES }, (_, r) => ({ name: roleOf(r), tags: [tagOf(r)], dag: SYNTHETIC_ACTIONS as never, cleanup: true })));

interface Fk {
  oid: string;
  name: string;
  def: string;
  valid: boolean;
}

async function foreignKeys(db: Db): Promise<Fk[]> {
  const rows = await db.query(
    "SELECT oid::text AS oid, conname AS name, pg_get_constraintdef(oid) AS def, convalidated AS valid FROM pg_constraint WHERE conrelid = 'ab_permission_view_role'::regclass AND contype = 'f' ORDER BY conname",
  );
  return rows.map((r) => ({ oid: String(r.oid), name: String(r.name), def: String(r.def), valid: r.valid === true }));
}

const withoutOid = (fks: Fk[]) => fks.map(({ name, def, valid }) => ({ name, def, valid }));

/** Run `fn` on a fresh synthetic database (connection closed and database dropped afterwards). */
async function withSyntheticPg(fn: (db: Db, t: TempDb) => Promise<void>): Promise<void> {
  const t = await syntheticPg();
  const db = await openDatabase({ url: t.url, env: {} });
  try {
    await fn(db, t);
  } finally {
    await db.close();
    await t.drop();
  }
}

async function syntheticPg(): Promise<TempDb> {
  const t = await createPgDb();
  const db = await openDatabase({ url: t.url, env: {} });
  try {
    await buildDb(db, DAGS, ROLES);
  } finally {
    await db.close();
  }
  return t;
}

/** 6,000 (permission-view, role) pairs for role `team_0<r>`: enough for the bulk path. */
async function grantPairs(db: Db, r: number): Promise<{ pv: number[]; role: number[] }> {
  const pv = (await db.query('SELECT id FROM ab_permission_view ORDER BY id LIMIT 6000')).map((x) => Number(x.id));
  const role = Number((await db.query('SELECT id FROM ab_role WHERE name = ?', [roleOf(r)]))[0].id);
  return { pv, role: pv.map(() => role) };
}

async function sync(db: Db, opts: { lockTimeoutMs?: number } = {}) {
  return planAndApply(db, (state) => planSync(state, config, { tagSource: 'db' }), { snapshotDir: tempDir(), ...opts });
}

test('PostgreSQL: a 12,000-grant sync drops and re-adds the same foreign keys, re-plans empty and rolls back exactly', { skip: needsPg }, async () =>
  withSyntheticPg(async (db) => {
    const before = await foreignKeys(db);
    assert.equal(before.length, 2);
    const dump0 = await dumpAll(db, { exclude: ['log'] });
    const { plan, result } = await sync(db);
    assert.equal(plan.summary.add, GRANTS);
    assert.equal(result?.summary.added, GRANTS);
    const after = await foreignKeys(db);
    assert.deepEqual(withoutOid(after), withoutOid(before), 'same names, definitions and validated state');
    assert.notDeepEqual(after.map((k) => k.oid), before.map((k) => k.oid), 'the keys were re-created (the bulk path ran)');
    // The re-added keys are enforced: a grant pointing at no permission is refused.
    await assert.rejects(db.run('INSERT INTO ab_permission_view_role (permission_view_id, role_id) VALUES (999999, 1)'), /foreign key/i);
    assert.equal((await sync(db)).result, null, 'a second sync plans nothing');
    await rollbackSnapshot(db, result!.snapshotFile!);
    assert.deepEqual(await dumpAll(db, { exclude: ['log'] }), dump0, 'rollback restores the original rows');
  }),
);

test('PostgreSQL: a reader holding the grant table makes the bulk path step aside within a second, not the 30 s lock timeout; the sync still applies', { skip: needsPg }, async () =>
  withSyntheticPg(async (db, t) => {
    const reader = new Client({ host: PG_HOST, user: PG_USER, database: t.name });
    await reader.connect();
    try {
      const before = await foreignKeys(db);
      // Like a webserver request inside a long transaction: ACCESS SHARE on the table until it ends.
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM ab_permission_view_role');
      const started = Date.now();
      const { result } = await sync(db); // the default lock timeout: 30 s
      // Waiting for the table would also hold every later reader (the webserver) behind the ALTER.
      assert.ok(Date.now() - started < 15_000, `gave up on the table lock quickly (${Date.now() - started} ms)`);
      assert.equal(result?.summary.added, GRANTS, 'every grant written by the ordinary insert');
      assert.equal((await db.query("SELECT current_setting('lock_timeout') AS t"))[0].t, '0', 'outside the sync, the session setting is untouched');
      assert.deepEqual(await foreignKeys(db), before, 'keys untouched (same oids)');
      await reader.query('COMMIT');
      assert.equal(Number((await db.query('SELECT count(*) AS n FROM ab_permission_view_role'))[0].n) >= GRANTS, true);
    } finally {
      await reader.end();
    }
  }),
);

/** The bulk path's insert of `pairs`: as a COPY (pairs given) or as the plain INSERT only. */
function bulkInsert(pairs: { pv: number[]; role: number[] }, copy: boolean): BulkInsert {
  return { stmt: () => insertGrantsById(contextForScript('postgres'), pairs, { plain: true }), pairs: copy ? pairs : undefined };
}

/** Count the COPYs `db` sends (the bulk path's grants by ids). */
function countCopies(db: Db): { n: number } {
  const seen = { n: 0 };
  const copy = db.copyFrom!.bind(db);
  db.copyFrom = (sql, data) => {
    seen.n++;
    return copy(sql, data);
  };
  return seen;
}

for (const copy of [true, false]) {
  const how = copy ? 'COPY' : 'INSERT';
  test(`PostgreSQL: a pair that already exists makes the bulk ${how} undo itself and step aside`, { skip: needsPg }, async () =>
    withSyntheticPg(async (db) => {
      const before = await foreignKeys(db);
      const pairs = await grantPairs(db, 0);
      const count = async (x: Db) => Number((await x.query('SELECT count(*) AS n FROM ab_permission_view_role'))[0].n);
      const n0 = await count(db);
      const copies = countCopies(db);
      await db.transaction(async (tx) => {
        // As if Airflow granted one of them between the sync's read and its lock.
        await tx.run('INSERT INTO ab_permission_view_role (permission_view_id, role_id) VALUES (?, ?)', [pairs.pv[100], pairs.role[100]]);
        const r = await insertGrantsBulk(tx, pairs.pv.length, () => [bulkInsert(pairs, copy)]);
        assert.equal(r, null);
        assert.equal(await count(tx), n0 + 1, 'the failed insert left nothing behind');
        assert.deepEqual(await foreignKeys(tx), before, 'keys restored by the savepoint (same oids)');
        assert.equal((await tx.query('SELECT 1 AS x'))[0].x, 1, 'the connection is usable after the failed insert');
      });
      assert.equal(copies.n, copy ? 1 : 0);
    }),
  );

  test(`PostgreSQL: a grant that fails the re-added foreign key rolls the whole transaction back, keys included (${how})`, { skip: needsPg }, async () =>
    withSyntheticPg(async (db) => {
      const before = await foreignKeys(db);
      const dump0 = await dumpAll(db);
      const pairs = await grantPairs(db, 1);
      pairs.pv.push(987654); // no such permission: only the re-validation can catch it
      pairs.role.push(pairs.role[0]);
      await assert.rejects(
        db.transaction((tx) => insertGrantsBulk(tx, pairs.pv.length, () => [bulkInsert(pairs, copy)])),
        /foreign key/i,
      );
      assert.deepEqual(await foreignKeys(db), before, 'the original keys are back (same oids)');
      assert.deepEqual(await dumpAll(db), dump0, 'no row changed');
    }),
  );
}

test('PostgreSQL: grants are copied when the id column has a default, inserted with nextval() when it has none; same rows either way', { skip: needsPg }, async () => {
  const grantsOf = async (db: Db) => (await db.query('SELECT permission_view_id AS pv, role_id AS r FROM ab_permission_view_role ORDER BY 1, 2')).map((x) => `${x.pv}:${x.r}`);
  const results: string[][] = [];
  for (const withDefault of [true, false]) {
    await withSyntheticPg(async (db) => {
      // The FAB provider's ORM can create the table without a server default (a client-side Sequence).
      if (!withDefault) await db.run('ALTER TABLE ab_permission_view_role ALTER COLUMN id DROP DEFAULT');
      const copies = countCopies(db);
      const { result } = await sync(db);
      assert.equal(result?.summary.added, GRANTS);
      assert.equal(copies.n, withDefault ? 1 : 0, withDefault ? 'copied' : 'inserted');
      const ids = await db.query('SELECT count(DISTINCT id) AS n, count(*) AS m, max(id) AS top FROM ab_permission_view_role');
      assert.equal(Number(ids[0].n), Number(ids[0].m), 'distinct ids');
      const seq = await db.query("SELECT last_value AS v FROM ab_permission_view_role_id_seq");
      assert.equal(Number(seq[0].v), Number(ids[0].top), 'ids taken from the sequence');
      const dflt = await db.query("SELECT column_default AS d FROM information_schema.columns WHERE table_name = 'ab_permission_view_role' AND column_name = 'id'");
      assert.equal(dflt[0].d === null, !withDefault, 'the column default is as it was');
      results.push(await grantsOf(db));
    });
  }
  assert.deepEqual(results[0], results[1]);
});

test('PostgreSQL: a sync user that does not own the table gets the ordinary insert, and the keys stay', { skip: needsPg }, async () => {
  const t = await syntheticPg();
  const user = `ada_user_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ host: PG_HOST, user: PG_USER, database: t.name });
  await admin.connect();
  await admin.query(`CREATE ROLE ${user} LOGIN`);
  await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${user}`);
  await admin.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${user}`);
  const db = await openDatabase({ url: `postgresql://${user}@${PG_HOST}:5432/${t.name}`, env: {} });
  try {
    const before = await foreignKeys(db);
    const { result } = await sync(db);
    assert.equal(result?.summary.added, GRANTS);
    assert.deepEqual(await foreignKeys(db), before, 'keys untouched (same oids)');
    assert.equal(planSync(await readDbState(db), config, { tagSource: 'db' }).empty, true);
  } finally {
    await db.close();
    await admin.query(`DROP OWNED BY ${user}`);
    await admin.end();
    await t.drop();
    const c = new Client({ host: PG_HOST, user: PG_USER, database: 'postgres' });
    await c.connect();
    await c.query(`DROP ROLE IF EXISTS ${user}`);
    await c.end();
  }
});
