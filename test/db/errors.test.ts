/** Connection errors are one clear line without the password; names that look like SQL are stored literally. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import { detectSchema, schemaProblem } from '../../server/src/db/schema';
import { testConnection } from '../../server/src/db/testConnection';
import { readDbState } from '../../server/src/db/state';
import { applyPlan } from '../../server/src/sync/apply';
import { planToSql } from '../../server/src/sync/format';
import { planSync } from '../../server/src/sync/plan';
import { makeConfig } from '../helpers/dbConfig';
import { dumpAll } from '../helpers/dbDump';
import { MY_HOST, createMariaDb, createPgDb, needsMaria, needsPg, tempDir } from '../helpers/dbServers';
import { seedAirflowMetadata } from '../../server/src/sync/demo';
import { airflowSchemaDdl } from '../../server/src/db/airflowSchema';

const SECRET = 's3cr3t-P@ss:w/rd';

function oneLineNoSecret(e: unknown): boolean {
  const m = (e as Error).message;
  return !m.includes('\n') && !m.includes(SECRET) && !m.includes('s3cr3t') && m.length < 300;
}

test('MariaDB wrong password: one line, names the target, no password', { skip: needsMaria }, async () => {
  await assert.rejects(openDatabase({ url: `mysql+pymysql://ada_nobody:${encodeURIComponent(SECRET)}@${MY_HOST}:3306/airflow`, env: {} }), (e: Error) => {
    assert.ok(oneLineNoSecret(e), e.message);
    assert.match(e.message, /Authentication failed .*wrong user or password/);
    return true;
  });
});

test('unreachable host (PostgreSQL and MySQL): one line', async () => {
  for (const url of [`postgresql+psycopg2://airflow:${SECRET}@127.0.0.1:1/airflow`, `mysql://airflow:${SECRET}@127.0.0.1:1/airflow`]) {
    await assert.rejects(openDatabase({ url, env: {}, connectTimeoutMs: 2000 }), (e: Error) => {
      assert.ok(oneLineNoSecret(e), e.message);
      assert.match(e.message, /Cannot reach .*127\.0\.0\.1:1.*refused/);
      return true;
    });
  }
});

test('PostgreSQL: a port that closes the connection at once (firewall, another service) is "cannot reach", in every sslmode', async () => {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    for (const query of ['', '?sslmode=disable', '?sslmode=prefer', '?sslmode=require']) {
      await assert.rejects(openDatabase({ url: `postgresql://airflow:${SECRET}@127.0.0.1:${port}/airflow${query}`, env: {}, connectTimeoutMs: 2000 }), (e: Error & { code?: string }) => {
        assert.ok(oneLineNoSecret(e), e.message);
        assert.equal(e.code, 'unreachable', `${query}: ${e.message}`);
        assert.match(e.message, /^Cannot reach PostgreSQL airflow@127\.0\.0\.1:\d+\/airflow: the connection was closed before the server answered/);
        return true;
      });
    }
  } finally {
    server.close();
  }
});

test('unknown host name: one line', async () => {
  await assert.rejects(openDatabase({ url: `postgresql://u:${SECRET}@no-such-host.invalid/airflow`, env: {}, connectTimeoutMs: 3000 }), (e: Error) => {
    assert.ok(oneLineNoSecret(e), e.message);
    assert.match(e.message, /Cannot reach/);
    return true;
  });
});

test('missing SQLite file and a non-database file: one line each', async () => {
  const dir = tempDir();
  await assert.rejects(openDatabase({ url: `sqlite:///${dir}/nope.db`, env: {} }), /SQLite database not found: .*nope\.db$/);
  fs.writeFileSync(path.join(dir, 'junk.db'), 'this is not sqlite'.repeat(100));
  await assert.rejects(openDatabase({ url: `sqlite:///${dir}/junk.db`, env: {} }), (e: Error) => !e.message.includes('\n'));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an Airflow 3 DB without FAB tables is named as such: no FAB provider, set airflow.auth_manager, nothing to sync', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'nofab.db');
  execFileSync('sqlite3', [file, 'CREATE TABLE dag (dag_id VARCHAR(250) PRIMARY KEY, is_stale BOOLEAN NOT NULL DEFAULT 1); CREATE TABLE dag_tag (name VARCHAR(100), dag_id VARCHAR(250));']);
  const db = await openDatabase({ url: `sqlite:///${file}`, env: {} });
  try {
    const s = await detectSchema(db);
    assert.equal(s.airflowMajor, 3);
    assert.equal(s.fabTables, false);
    assert.match(schemaProblem(s)!, /^This is an Airflow 3 database without the FAB provider \(ab_role, .*ab_permission_view_role missing\): its auth manager is not FAB/);
    assert.match(schemaProblem(s)!, /nothing to sync\. Set airflow\.auth_manager in airflow-access\.yaml to simple, keycloak or aws/);
    await assert.rejects(readDbState(db), /Airflow 3 database without the FAB provider/);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const NASTY_ROLE = "r'); DROP TABLE ab_role; --";
const LOOKALIKE_ADMIN = 'Аdmin'; // Cyrillic А
const nastyDags = [
  { dagId: "x'; DELETE FROM dag; --", tags: ["t' OR '1'='1"] },
  { dagId: 'ünïcødé_dag', tags: ['équipe', "t' OR '1'='1"] },
  { dagId: 'back\\slash_dag', tags: ['back\\slash'] },
  { dagId: 'plain', tags: ['other'] },
];
const nastyConfig = makeConfig([
  { name: NASTY_ROLE, tags: ["t' OR '1'='1"], dag: ['can_read', 'can_edit'] },
  { name: LOOKALIKE_ADMIN, tags: ['équipe', 'back\\slash'], dag: ['can_read'] },
  { name: 'admin', tags: ['other'], dag: ['can_read'] }, // lower-case: a different role from Admin
]);

async function nastyScenario(url: string): Promise<void> {
  const db = await openDatabase({ url, env: {} });
  try {
    const before = await dumpAll(db);
    const plan = planSync(await readDbState(db), nastyConfig, { tagSource: 'db' });
    await applyPlan(db, plan, { snapshotDir: tempDir() });
    const state = await readDbState(db);
    const names = state.roles.map((r) => r.name);
    assert.ok(names.includes(NASTY_ROLE) && names.includes(LOOKALIKE_ADMIN), `roles stored literally: ${names.join(' | ')}`);
    assert.deepEqual(state.dags.map((d) => d.dagId).sort(), nastyDags.map((d) => d.dagId).sort(), 'no DAG row lost');
    const after = await dumpAll(db);
    const adminId = state.roles.find((r) => r.name === 'Admin')!.id;
    const adminRows = (d: typeof before) => (d.get('ab_permission_view_role') ?? []).filter((r) => JSON.parse(r).role_id === adminId);
    assert.deepEqual(adminRows(after), adminRows(before), 'Admin untouched by look-alike names');
    assert.equal(planSync(state, nastyConfig, { tagSource: 'db' }).empty, true);
    const idx = new Map(state.roles.map((r) => [r.id, r.name]));
    const res = new Map(state.resources.map((r) => [r.id, r.name]));
    const pv = new Map(state.permissionViews.map((p) => [p.id, res.get(p.resourceId)]));
    const of = (role: string) => state.grants.filter((g) => idx.get(g.roleId) === role).map((g) => pv.get(g.permissionViewId)).filter((n) => n!.startsWith('DAG:'));
    assert.deepEqual([...new Set(of(NASTY_ROLE))].sort(), ["DAG:x'; DELETE FROM dag; --", 'DAG:ünïcødé_dag']);
    assert.deepEqual([...new Set(of(LOOKALIKE_ADMIN))].sort(), ['DAG:back\\slash_dag', 'DAG:ünïcødé_dag']);
  } finally {
    await db.close();
  }
}

test('SQLite: injection-looking and look-alike names are stored literally; SQL script matches apply', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'n.db');
  await createDemoDatabase(file, { dags: nastyDags });
  fs.copyFileSync(file, path.join(dir, 'script.db'));
  try {
    await nastyScenario(`sqlite:///${file}`);
    // The offline script on a copy gives the same end state (re-plan empty).
    const db2 = await openDatabase({ url: `sqlite:///${dir}/script.db`, env: {} });
    const plan = planSync(await readDbState(db2), nastyConfig, { tagSource: 'db' });
    await db2.close();
    execFileSync('sqlite3', ['-bail', path.join(dir, 'script.db')], { input: planToSql(plan) });
    execFileSync('sqlite3', ['-bail', path.join(dir, 'script.db')], { input: planToSql(plan) }); // twice: idempotent
    const db3 = await openDatabase({ url: `sqlite:///${dir}/script.db`, env: {} });
    assert.equal(planSync(await readDbState(db3), nastyConfig, { tagSource: 'db' }).empty, true);
    await db3.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL: injection-looking and look-alike names stored literally; psql runs the SQL script', { skip: needsPg }, async () => {
  const t = await createPgDb();
  try {
    const db = await openDatabase({ url: t.url, env: {} });
    for (const s of airflowSchemaDdl('sqlite', '3.0')) await db.run(s.replace(/id INTEGER NOT NULL,/g, 'id SERIAL NOT NULL,'));
    await db.transaction((tx) => seedAirflowMetadata(tx, '3.0', nastyDags));
    const plan = planSync(await readDbState(db), nastyConfig, { tagSource: 'db' });
    await db.close();
    execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-U', new URL(t.url).username, '-d', t.name], { input: planToSql(plan), stdio: ['pipe', 'ignore', 'pipe'] });
    const db2 = await openDatabase({ url: t.url, env: {} });
    assert.equal(planSync(await readDbState(db2), nastyConfig, { tagSource: 'db' }).empty, true, 'script applied the whole plan');
    await db2.close();
  } finally {
    await t.drop();
  }
  const t2 = await createPgDb();
  try {
    const db = await openDatabase({ url: t2.url, env: {} });
    for (const s of airflowSchemaDdl('sqlite', '2.10')) await db.run(s.replace(/id INTEGER NOT NULL,/g, 'id SERIAL NOT NULL,'));
    await db.transaction((tx) => seedAirflowMetadata(tx, '2.10', nastyDags));
    await db.close();
    await nastyScenario(t2.url);
  } finally {
    await t2.drop();
  }
});

test('MariaDB: injection-looking and look-alike names stored literally (case-insensitive collation)', { skip: needsMaria }, async () => {
  const t = await createMariaDb('2.10', nastyDags);
  try {
    await nastyScenario(t.url);
  } finally {
    await t.drop();
  }
});

test('testConnection: ok with details on a demo DB; one-line failure otherwise', async () => {
  const dir = tempDir();
  const file = path.join(dir, 't.db');
  await createDemoDatabase(file, { airflowVersion: '3.0', dags: [{ dagId: 'a', tags: [] }] });
  const ok = await testConnection({ url: `sqlite:///${file}`, env: {} });
  assert.equal(ok.ok, true, ok.message);
  assert.deepEqual(ok.details, { dialect: 'sqlite', airflowMajor: 3, fabTables: true, dagRunResources: true, dagCount: 1 });
  const bad = await testConnection({ url: `postgresql://u:${SECRET}@127.0.0.1:1/x`, env: {} });
  assert.equal(bad.ok, false);
  assert.ok(oneLineNoSecret({ message: bad.message }));
  fs.rmSync(dir, { recursive: true, force: true });
});
