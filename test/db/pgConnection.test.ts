/**
 * The PostgreSQL connection (server/src/db/postgres.ts, pgCopy.ts): statements issued while
 * another runs wait in the connection's own queue (pg's is deprecated) and run in order; COPY FROM
 * STDIN copies rows, and a COPY that fails leaves the connection usable.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openDatabase } from '../../server/src/db/connect';
import { DbError } from '../../server/src/db/errors';
import type { Db } from '../../server/src/db/types';
import { createPgDb, needsPg } from '../helpers/dbServers';

async function withPg(fn: (db: Db) => Promise<void>): Promise<void> {
  const t = await createPgDb();
  const db = await openDatabase({ url: t.url, env: {} });
  try {
    await fn(db);
  } finally {
    await db.close();
    await t.drop();
  }
}

test('PostgreSQL: statements issued together run one at a time, in order, without pg\'s deprecated client queue', { skip: needsPg }, async () =>
  withPg(async (db) => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      await db.run('CREATE TABLE t (n int)');
      // Issued without waiting: pg would queue all but the first itself and warn from the third on.
      const all = await Promise.all([1, 2, 3, 4, 5].map((n) => db.run('INSERT INTO t (n) SELECT ? + count(*) * 10 FROM t', [n])));
      assert.deepEqual(all.map((r) => r.changes), [1, 1, 1, 1, 1]);
      const rows = await db.query('SELECT n FROM t ORDER BY n');
      assert.deepEqual(rows.map((r) => r.n), [1, 12, 23, 34, 45], 'each saw the rows of the ones before it');
      const failing = [db.query('SELECT 1 AS x'), db.query('SELECT * FROM no_such_table'), db.query('SELECT 3 AS x')];
      const settled = await Promise.allSettled(failing);
      assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled'], 'a failure affects only its own statement');
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings.filter((w) => /client\.query\(\)/.test(w)), []);
    } finally {
      process.off('warning', onWarning);
    }
  }),
);

test('PostgreSQL: the next statement is sent when the one before it completes, before that result is handed back', { skip: needsPg }, async () =>
  withPg(async (db) => {
    const first = db.query('SELECT 1 AS x');
    const second = db.query('SELECT pg_sleep(0.4) AS s');
    await first;
    // Hold this process (as parsing a large result does): the server runs the second meanwhile.
    const busy = Date.now();
    while (Date.now() - busy < 400) {
      // spin
    }
    const waited = Date.now();
    await second;
    assert.ok(Date.now() - waited < 300, `the second statement ran while this process was busy (waited ${Date.now() - waited} ms more)`);
  }),
);

test('PostgreSQL: COPY FROM STDIN copies the rows and counts one round trip; a failed COPY leaves the connection usable', { skip: needsPg }, async () =>
  withPg(async (db) => {
    await db.run('CREATE TABLE c (id serial PRIMARY KEY, a int NOT NULL, b int NOT NULL, UNIQUE (a, b))');
    const trips = db.roundTrips;
    const rows = Array.from({ length: 5000 }, (_, i) => `${i}\t${i % 7}\n`).join('');
    assert.equal((await db.copyFrom!('COPY c (a, b) FROM STDIN', rows)).changes, 5000);
    assert.equal(db.roundTrips - trips, 1);
    assert.deepEqual(await db.query('SELECT count(*)::int AS n, max(id) AS top FROM c'), [{ n: 5000, top: 5000 }], 'ids from the column default');
    // The statement fails before copying: the server drops the data sent with it.
    await assert.rejects(db.copyFrom!('COPY no_such_table (a) FROM STDIN', '1\n2\n'), (e: Error) => e instanceof DbError && /no_such_table/.test(e.message) && !e.message.includes('\n'));
    // A row fails midway (duplicate key, then a malformed row): nothing of that COPY stays.
    await assert.rejects(db.copyFrom!('COPY c (a, b) FROM STDIN', '9000\t1\n0\t0\n'), /duplicate key|unique/i);
    await assert.rejects(db.copyFrom!('COPY c (a, b) FROM STDIN', '9001\t1\nnot-a-number\t2\n'), /invalid input syntax/i);
    assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM c'), [{ n: 5000 }]);
    // Inside a transaction: a failed COPY fails the transaction, which rolls back whole.
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO c (a, b) VALUES (-1, -1)');
        await tx.copyFrom!('COPY c (a, b) FROM STDIN', '0\t0\n');
      }),
      /duplicate key|unique/i,
    );
    assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM c WHERE a < 0'), [{ n: 0 }]);
    assert.equal((await db.query('SELECT 1 AS x'))[0].x, 1);
  }),
);

test('PostgreSQL: a pg driver without the COPY methods fails the COPY before sending anything, and the connection stays usable', { skip: needsPg }, async () =>
  withPg(async (db) => {
    await db.run('CREATE TABLE c (a int PRIMARY KEY, b int)');
    const connection = (db as unknown as { client: { connection: Record<string, unknown> } }).client.connection;
    // Shadow the internal method on this connection only, as a pg release that renamed it would.
    connection.sendCopyFromChunk = undefined;
    try {
      await assert.rejects(db.copyFrom!('COPY c (a, b) FROM STDIN', '1\t1\n'), /cannot send COPY data/);
      assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM c'), [{ n: 0 }]);
      await db.run('INSERT INTO c (a, b) VALUES (?, ?)', [1, 1]);
      assert.deepEqual(await db.query('SELECT a, b FROM c'), [{ a: 1, b: 1 }]);
    } finally {
      delete connection.sendCopyFromChunk;
    }
  }),
);
