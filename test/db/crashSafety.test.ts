/**
 * SQLite crash safety, through the built CLI as a user runs it: SQLite's recovery rules are honoured
 * whichever driver this Node has (node:sqlite, or node-sqlite3-wasm with db/sqliteJournal.ts and
 * db/sqliteLockOwners.ts), a process killed at any phase of a sync leaves a database that native
 * SQLite (Python's sqlite3, what Airflow uses) and the next sync agree on, and a snapshot on disk
 * says whether its sync committed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { airflowSchemaDdl } from '../../server/src/db/airflowSchema';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import { cleanEnv, runCli, cliPath } from '../cli/cliRunner';
import { createMariaDb, createPgDb, needsMaria, needsPg, seedSchema, tempDir, type TempDb } from '../helpers/dbServers';

const python = spawnSync('python3', ['-c', 'import sqlite3, fcntl'], { stdio: 'ignore' }).status === 0;
const needsPython = python ? false : "needs python3 with sqlite3 (Airflow's SQLite stand-in, to crash a native writer and to check the file); skipped";
const needsCli = fs.existsSync(cliPath) ? false : `needs the built CLI (${cliPath}; npm run build); skipped`;
const skip = needsPython || needsCli;

const ROLES = ['team_a', 'team_b', 'team_c'];
const dags = Array.from({ length: 300 }, (_, i) => ({ dagId: `dag_${i}`, tags: [`${ROLES[i % 3]}_edit`] }));
const CONFIG = ['version: 1', 'roles:', ...ROLES.flatMap((r) => [`  ${r}:`, `    tags: [${r}_edit]`, '    dag_permissions: [can_read, can_edit]'])].join('\n') + '\n';

interface Ws {
  dir: string;
  root: string;
  file: string;
  url: string;
  snapshots: string;
}

async function workspace(): Promise<Ws> {
  const dir = tempDir();
  const root = path.join(dir, 'ws');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'airflow-access.yaml'), CONFIG);
  const file = path.join(dir, 'airflow.db');
  await createDemoDatabase(file, { dags });
  return { dir, root, file, url: `sqlite:///${file}`, snapshots: path.join(dir, 'snapshots') };
}

function py(code: string, ...args: string[]): string {
  const r = spawnSync('python3', ['-c', code, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** What native SQLite sees: integrity, role names, per-DAG grants of the config's roles, tables. */
function nativeView(file: string): { integrity: string; roles: string[]; grants: number; tables: string[] } {
  return JSON.parse(
    py(
      [
        'import sqlite3, sys, json',
        'c = sqlite3.connect(sys.argv[1])',
        'print(json.dumps({"integrity": c.execute("PRAGMA integrity_check").fetchone()[0],',
        '  "roles": [r[0] for r in c.execute("SELECT name FROM ab_role ORDER BY name")],',
        '  "grants": c.execute("SELECT count(*) FROM ab_permission_view_role pvr JOIN ab_role r ON r.id = pvr.role_id JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE r.name LIKE \'team_%\' AND v.name LIKE \'DAG:%\'").fetchone()[0],',
        '  "tables": [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = \'table\' ORDER BY name")]}))',
      ].join('\n'),
      file,
    ),
  );
}

/** A native writer (Python's sqlite3) that dies mid-transaction after its changes reached the file: a hot journal. */
function crashNativeWriter(file: string): void {
  spawnSync('python3', ['-c', [
    'import sqlite3, os, sys',
    'c = sqlite3.connect(sys.argv[1], isolation_level=None)',
    'c.execute("PRAGMA cache_size = 5")', // small cache: pages spill into the database file before COMMIT
    'c.execute("BEGIN")',
    'c.execute("CREATE TABLE half_written (x TEXT)")',
    'for i in range(3000): c.execute("INSERT INTO half_written VALUES (?)", ("x" * 200 + str(i),))',
    'c.execute("UPDATE ab_role SET name = name || \'_CRASHED\'")',
    'os.kill(os.getpid(), 9)',
  ].join('\n'), file]);
}

const sync = (ws: Ws, env: NodeJS.ProcessEnv = {}, extra: string[] = []) =>
  runCli(['sync', '--root', ws.root, '--db', ws.url, '--yes', '--snapshot-dir', ws.snapshots, '--lock-timeout', '20', ...extra], { env: cleanEnv(env) });
const plan = (ws: Ws, extra: string[] = []) => runCli(['plan', '--root', ws.root, '--db', ws.url, '-q', ...extra], { env: cleanEnv() });

test('SQLite: a crash journal left by a native writer is rolled back before the sync reads, as native SQLite would', { skip }, async () => {
  const ws = await workspace();
  try {
    crashNativeWriter(ws.file);
    assert.ok(fs.statSync(`${ws.file}-journal`).size > 0, 'the killed writer left its journal');
    const r = await sync(ws);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /-journal was left by an interrupted write; native SQLite rolled it back/);
    const v = nativeView(ws.file);
    assert.equal(v.integrity, 'ok');
    assert.ok(!v.tables.includes('half_written'), 'the uncommitted table is gone');
    assert.ok(!v.roles.some((n) => n.endsWith('_CRASHED')), `uncommitted role names are gone: ${v.roles.join(', ')}`);
    assert.equal(v.grants, 600, 'every grant of the config is there');
    assert.match((await plan(ws)).stdout, /No changes/);
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('SQLite: without a native SQLite to judge a journal, the wasm driver refuses to read or write and changes nothing', { skip: skip || (hasNodeSqlite() && 'node:sqlite follows the journal rules itself; the refusal is the wasm path only') }, async () => {
  const ws = await workspace();
  try {
    crashNativeWriter(ws.file);
    const db = fs.readFileSync(ws.file);
    const journal = fs.readFileSync(`${ws.file}-journal`);
    const r = await sync(ws, { AIRFLOW_ACCESS_PYTHON: path.join(ws.dir, 'no-such-python') });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /-journal exists: a program writing .* is in the middle of a transaction or was interrupted/);
    assert.match(r.stderr, /PRAGMA integrity_check/);
    assert.ok(fs.readFileSync(ws.file).equals(db), 'database file unchanged');
    assert.ok(fs.readFileSync(`${ws.file}-journal`).equals(journal), 'journal unchanged');
    // Native SQLite still recovers the old state from it.
    const v = nativeView(ws.file);
    assert.equal(v.integrity, 'ok');
    assert.equal(v.grants, 0);
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

function hasNodeSqlite(): boolean {
  try {
    require('node:sqlite');
    return true;
  } catch {
    return false;
  }
}

test('SQLite: a database in WAL mode is refused with a reason by the wasm driver (node:sqlite reads it)', { skip }, async () => {
  const ws = await workspace();
  try {
    // A native writer commits in WAL mode and dies before any checkpoint: the change lives only in the -wal file.
    spawnSync('python3', ['-c', [
      'import sqlite3, os, sys',
      'c = sqlite3.connect(sys.argv[1], isolation_level=None)',
      'c.execute("PRAGMA journal_mode = wal")',
      'c.execute("PRAGMA wal_autocheckpoint = 0")',
      'c.execute("UPDATE ab_role SET name = \'Viewer_from_wal\' WHERE name = \'Viewer\'")',
      'os.kill(os.getpid(), 9)',
    ].join('\n'), ws.file]);
    const r = await plan(ws, ['--format', 'json']);
    if (hasNodeSqlite()) {
      assert.equal(r.code, 0, r.stderr);
    } else {
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /is in WAL journal mode, which this Node's SQLite driver .* cannot open safely/);
    }
    assert.ok(nativeView(ws.file).roles.includes('Viewer_from_wal'), 'the WAL change is intact');
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

/** Run a sync and kill -9 it when its progress output shows `phase` (or after `delayMs`). Returns what it printed. */
function killedSync(ws: Ws, phase: string | null, delayMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'sync', '--root', ws.root, '--db', ws.url, '--yes', '--snapshot-dir', ws.snapshots], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const kill = () => child.kill('SIGKILL');
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (phase && err.includes(phase)) kill();
    });
    child.stdout.resume();
    const timer = phase ? null : setTimeout(kill, delayMs);
    child.on('close', () => {
      if (timer) clearTimeout(timer);
      resolve(err);
    });
  });
}

test('SQLite: a sync killed at each phase leaves a database that native SQLite and the next sync agree on, and honest snapshots', { skip }, async (t) => {
  const phases: (string | null)[] = ['Connecting', 'Locked', 'Applying plan', 'add ', 'Snapshot written', 'Committing', null, null];
  const delays = [0, 0, 0, 0, 0, 0, 200, 400];
  let leftLock = 0;
  let pendingLeft = 0;
  for (let i = 0; i < phases.length; i++) {
    const ws = await workspace();
    try {
      await killedSync(ws, phases[i], delays[i]);
      if (fs.existsSync(`${ws.file}.lock`)) leftLock++;
      const pending = fs.existsSync(ws.snapshots) ? fs.readdirSync(ws.snapshots).filter((f) => f.endsWith('.pending.json')) : [];
      pendingLeft += pending.length;
      const label = `kill at ${phases[i] ?? `${delays[i]} ms`}`;
      // Native SQLite (Airflow) sees a whole database, old or new.
      const mid = nativeView(ws.file);
      assert.equal(mid.integrity, 'ok', label);
      assert.ok(mid.grants === 0 || mid.grants === 600, `${label}: all or nothing, got ${mid.grants}`);
      // The next sync works (stale lock folder and journal recovered) and ends where a clean sync ends.
      const again = await sync(ws);
      assert.equal(again.code, 0, `${label}: ${again.stderr}`);
      const after = nativeView(ws.file);
      assert.equal(after.integrity, 'ok', label);
      assert.equal(after.grants, 600, label);
      assert.match((await plan(ws)).stdout, /No changes/, label);
      // No pending snapshot of a dead sync remains; each committed snapshot has its audit row.
      const files = fs.existsSync(ws.snapshots) ? fs.readdirSync(ws.snapshots) : [];
      assert.deepEqual(files.filter((f) => f.endsWith('.pending.json')), [], `${label}: pending snapshots settled`);
      const audited = py('import sqlite3, sys\nprint("\\n".join(r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT extra FROM log WHERE event = \'airflow-dag-access sync\'")))', ws.file);
      for (const f of files) assert.ok(audited.includes(f), `${label}: snapshot ${f} belongs to a committed sync`);
      assert.equal(files.length, audited.split('\n').filter(Boolean).length, `${label}: one snapshot per committed sync`);
    } finally {
      fs.rmSync(ws.dir, { recursive: true, force: true });
    }
  }
  t.diagnostic(`${phases.length} kills: ${leftLock} left a lock folder, ${pendingLeft} a pending snapshot`);
  // The kills did hit the dangerous moments (otherwise the test proves little).
  assert.ok(leftLock + pendingLeft > 0 || hasNodeSqlite(), 'at least one kill left a lock folder or a pending snapshot');
});

test('SQLite: a lock folder nobody is known to hold is named with how to clear it, never a bare "database is locked"', { skip: skip || (hasNodeSqlite() && 'node:sqlite does not use lock folders') }, async () => {
  const ws = await workspace();
  try {
    fs.mkdirSync(`${ws.file}.lock`);
    const r = await plan(ws, ['--lock-timeout', '1']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /\.lock exists: the lock folder of the embedded SQLite driver/);
    assert.ok(r.stderr.includes(`rmdir '${ws.file}.lock'`), r.stderr);
    fs.rmdirSync(`${ws.file}.lock`);
    assert.equal((await plan(ws)).code, 0);
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('SQLite: concurrent syncs wait for each other (none fails with "database is locked") and grant each row once', { skip }, async () => {
  for (let pair = 0; pair < 4; pair++) {
    const ws = await workspace();
    try {
      const [a, b] = await Promise.all([sync(ws), sync(ws)]);
      assert.equal(a.code, 0, `pair ${pair} first: ${a.stderr}`);
      assert.equal(b.code, 0, `pair ${pair} second: ${b.stderr}`);
      const v = nativeView(ws.file);
      assert.equal(v.integrity, 'ok');
      assert.equal(v.grants, 600);
      assert.match((await plan(ws)).stdout, /No changes/);
    } finally {
      fs.rmSync(ws.dir, { recursive: true, force: true });
    }
  }
});

test('--lock-timeout takes seconds and refuses anything else', { skip: needsCli }, async () => {
  const r = await runCli(['plan', '--db', 'sqlite:////nonexistent.db', '--lock-timeout', 'soon'], { env: cleanEnv() });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--lock-timeout soon: give a number of seconds between 0 and 86400/);
});

// The same kills on the server dialects: the server rolls the transaction back, and the snapshot the
// killed process left says so (settled by the next sync; docs/security.md).
for (const dialect of ['postgres', 'mysql'] as const) {
  test(`${dialect}: a sync killed after writing its snapshot leaves no snapshot that claims a commit`, { skip: needsCli || (dialect === 'postgres' ? needsPg : needsMaria) }, async (t) => {
    const dir = tempDir();
    const root = path.join(dir, 'ws');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'airflow-access.yaml'), CONFIG);
    let db: TempDb;
    if (dialect === 'postgres') {
      const ddl = airflowSchemaDdl('sqlite', '2.10').map((s) => s.replace(/id INTEGER NOT NULL,/g, 'id SERIAL NOT NULL,'));
      db = await seedSchema(await createPgDb(), ddl, '2.10', dags);
    } else db = await createMariaDb('2.10', dags);
    const ws: Ws = { dir, root, file: '', url: db.url, snapshots: path.join(dir, 'snapshots') };
    try {
      let pendingSeen = 0;
      const audits = async () => {
        const conn = await openDatabase({ url: db.url, env: {} });
        try {
          return (await conn.query<{ extra: string }>("SELECT extra FROM log WHERE event = 'airflow-dag-access sync' ORDER BY id")).map((r) => r.extra);
        } finally {
          await conn.close();
        }
      };
      for (const phase of ['Snapshot written', 'Committing', 'add ']) {
        const earlier = (await audits()).length;
        await killedSync(ws, phase, 0);
        pendingSeen += fs.existsSync(ws.snapshots) ? fs.readdirSync(ws.snapshots).filter((f) => f.endsWith('.pending.json')).length : 0;
        const again = await sync(ws);
        assert.equal(again.code, 0, again.stderr);
        const files = fs.readdirSync(ws.snapshots);
        assert.deepEqual(files.filter((f) => f.endsWith('.pending.json')), [], `${phase}: pending snapshots settled`);
        const extras = (await audits()).slice(earlier);
        for (const f of files) assert.ok(extras.some((e) => e.includes(f)), `${phase}: snapshot ${f} belongs to a committed sync`);
        assert.equal(files.length, extras.length, `${phase}: one snapshot per committed sync`);
        // Undo for the next round, so there is something to sync again.
        for (const f of files) await runCli(['rollback', path.join(ws.snapshots, f), '--db', db.url, '--yes', '-q'], { env: cleanEnv() });
        fs.rmSync(ws.snapshots, { recursive: true, force: true });
      }
      t.diagnostic(`${pendingSeen} of 3 kills left a pending snapshot`);
    } finally {
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
