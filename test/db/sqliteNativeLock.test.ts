/**
 * A sync and Airflow's own SQLite (here: Python's sqlite3, the same library Airflow uses) on one
 * database file never write at the same time, whichever SQLite driver this Node has: with
 * node-sqlite3-wasm the sync takes native SQLite's lock through Python (db/sqlitePosixLock.ts).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import { DbError } from '../../server/src/db/errors';
import { readDbState } from '../../server/src/db/state';
import { applyPlan } from '../../server/src/sync/apply';
import { planSync } from '../../server/src/sync/plan';
import { makeConfig } from '../helpers/dbConfig';
import { dumpAll } from '../helpers/dbDump';
import { tempDir } from '../helpers/dbServers';

const python = spawnSync('python3', ['-c', 'import sqlite3, fcntl'], { stdio: 'ignore' }).status === 0;
const needsPython = python ? false : 'needs python3 with sqlite3 and fcntl (Airflow\'s SQLite stand-in); skipped';

const dags = Array.from({ length: 30 }, (_, i) => ({ dagId: `dag_${i}`, tags: ['team-a'] }));
const config = makeConfig([{ name: 'team_a', tags: ['team-a'], dag: ['can_read', 'can_edit'] }]);

async function demo(): Promise<{ dir: string; file: string; url: string }> {
  const dir = tempDir();
  const file = path.join(dir, 'airflow.db');
  await createDemoDatabase(file, { dags });
  return { dir, file, url: `sqlite:///${file}` };
}

function integrity(file: string): string {
  return spawnSync('python3', ['-c', 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])', file], { encoding: 'utf8' }).stdout.trim();
}

test('a sync waits for a transaction Airflow holds, times out without writing, and Airflow then commits cleanly', { skip: needsPython }, async () => {
  const { dir, file, url } = await demo();
  // "Airflow": an open write transaction on the file, committed when told to.
  const airflow = spawn('python3', ['-c', [
    'import sqlite3, sys',
    'c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)',
    'c.execute("BEGIN EXCLUSIVE")',
    'c.execute("INSERT INTO log (dttm, event, owner) VALUES (\'2026-01-01\', \'airflow-write\', \'scheduler\')")',
    'print("held", flush=True)',
    'sys.stdin.readline()',
    'c.execute("COMMIT")',
    'print("committed", flush=True)',
  ].join('\n'), file], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  airflow.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const until = async (word: string) => {
    for (let i = 0; i < 500 && !out.includes(word); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(out.includes(word), `python said: ${out}`);
  };
  const db = await openDatabase({ url, env: {} });
  try {
    await until('held');
    const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
    assert.ok(plan.addGrants.length > 0);
    await assert.rejects(applyPlan(db, plan, { snapshotDir: dir, lockTimeoutMs: 700 }), (e: unknown) => e instanceof DbError && e.code === 'lock-timeout');
    airflow.stdin.end('go\n');
    await until('committed');
    assert.equal(integrity(file), 'ok');
    const after = await openDatabase({ url, env: {} });
    try {
      const rows = await after.query<{ n: number }>("SELECT count(*) AS n FROM log WHERE event = 'airflow-write'");
      assert.equal(Number(rows[0]!.n), 1, "Airflow's write is there");
      assert.equal(planSync(await readDbState(after), config, { tagSource: 'db' }).addGrants.length, plan.addGrants.length, 'the sync wrote nothing');
    } finally {
      await after.close();
    }
  } finally {
    airflow.kill();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('while a sync writes, Airflow\'s writers get "database is locked"; afterwards they write, and both changes are there', { skip: needsPython }, async () => {
  const { dir, file, url } = await demo();
  const tryWrite = () =>
    spawnSync('python3', ['-c', [
      'import sqlite3, sys',
      'c = sqlite3.connect(sys.argv[1], timeout=0.2, isolation_level=None)',
      'try:',
      '    c.execute("BEGIN IMMEDIATE")',
      '    c.execute("INSERT INTO log (dttm, event, owner) VALUES (\'2026-01-01\', \'airflow-write\', \'scheduler\')")',
      '    c.execute("COMMIT")',
      '    print("wrote")',
      'except sqlite3.OperationalError as e:',
      '    print("error:", e)',
    ].join('\n'), file], { encoding: 'utf8' }).stdout.trim();
  const db = await openDatabase({ url, env: {} });
  try {
    const before = await dumpAll(db);
    const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
    let during = '';
    await applyPlan(db, plan, { snapshotDir: dir, onProgress: (m) => (m.startsWith('add ') ? (during = tryWrite()) : undefined) });
    assert.equal(during, 'error: database is locked', 'Airflow could not write in the middle of the sync');
    assert.equal(tryWrite(), 'wrote', 'and can once the sync committed');
    assert.equal(integrity(file), 'ok');
    const state = await readDbState(db);
    assert.equal(planSync(state, config, { tagSource: 'db' }).empty, true, 'every grant of the sync is there');
    assert.notDeepEqual(await dumpAll(db), before);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('one connection, two write transactions (the wasm driver keeps its lock helper between them): Airflow is locked out during each and writes freely between them', { skip: needsPython }, async () => {
  const { dir, file, url } = await demo();
  const tryWrite = (event: string) =>
    spawnSync('python3', ['-c', [
      'import sqlite3, sys',
      'c = sqlite3.connect(sys.argv[1], timeout=0.2, isolation_level=None)',
      'try:',
      '    c.execute("BEGIN IMMEDIATE")',
      '    c.execute("INSERT INTO log (dttm, event, owner) VALUES (\'2026-01-01\', ?, \'scheduler\')", (sys.argv[2],))',
      '    c.execute("COMMIT")',
      '    print("wrote")',
      'except sqlite3.OperationalError as e:',
      '    print("error:", e)',
    ].join('\n'), file, event], { encoding: 'utf8' }).stdout.trim();
  const db = await openDatabase({ url, env: {}, preferWasm: true, forWrite: true });
  try {
    const answers: string[] = [];
    for (const round of ['first', 'second']) {
      await db.transaction(async (tx) => {
        await tx.run("INSERT INTO ab_role (name) VALUES (?)", [`role_${round}`]);
        answers.push(`during ${round}: ${tryWrite(`during-${round}`)}`);
      });
      answers.push(`after ${round}: ${tryWrite(`after-${round}`)}`);
    }
    assert.deepEqual(answers, [
      'during first: error: database is locked',
      'after first: wrote',
      'during second: error: database is locked',
      'after second: wrote',
    ]);
    const events = (await db.query<{ event: string }>("SELECT event FROM log WHERE owner = 'scheduler' ORDER BY id")).map((r) => r.event);
    assert.deepEqual(events, ['after-first', 'after-second']);
    assert.equal((await db.query("SELECT name FROM ab_role WHERE name LIKE 'role_%'")).length, 2);
    assert.equal(integrity(file), 'ok');
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
