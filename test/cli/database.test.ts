import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import { needsShared } from '../helpers/paths';
import { cleanEnv, cliPath, copyExamples, copyFixture, errorLines, runCli, sqliteUrl, tempDir } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('airflow-access plan on the Airflow 2.10 fixture (read-only)', { skip: built || needsShared }, () => {
  test('the slice: plan --db sqlite:////ABS --config examples/airflow-access.yaml prints grants to add and changes nothing', async () => {
    const root = copyExamples();
    const { file, url } = copyFixture('airflow-2.10.x.sqlite');
    const before = sha(file);
    const r = await runCli(['plan', '--db', url, '--config', path.join(root, 'airflow-access.yaml')], { cwd: tempDir() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\+ role "analytics_reporting"/);
    assert.match(r.stdout, /^Plan: \d+ to add(?: \(\d+ of them copied from base roles\))?, \d+ to revoke/m);
    assert.equal(sha(file), before, 'plan must not write');
  });

  test('--format json is the documented plan; --format sql is one transaction; --detailed-exitcode exits 1 on changes', async () => {
    const root = copyExamples();
    const { url } = copyFixture('airflow-2.10.x.sqlite');
    const j = await runCli(['plan', '--db', url, '--format', 'json', '-q'], { cwd: root });
    assert.equal(j.code, 0, j.stderr);
    const plan = JSON.parse(j.stdout);
    assert.equal(plan.format, 'airflow-dag-access/plan@1');
    assert.equal(plan.target.dialect, 'sqlite');
    assert.ok(Array.isArray(plan.addGrants) && plan.addGrants.length > 0);
    assert.ok(Array.isArray(plan.revokeGrants));
    assert.equal(typeof plan.summary.add, 'number');
    assert.equal(j.stderr, '', '-q silences progress');
    const s = await runCli(['plan', '--db', url, '--format', 'sql'], { cwd: root });
    assert.match(s.stdout, /^BEGIN IMMEDIATE;$/m);
    assert.match(s.stdout, /^COMMIT;$/m);
    const d = await runCli(['plan', '--db', url, '--detailed-exitcode'], { cwd: root });
    assert.equal(d.code, 1);
  });
});

describe('airflow-access demo-db → plan → sync → rollback → drift', { skip: built }, () => {
  test('the full cycle on a demo database the CLI creates', async () => {
    const root = copyExamples();
    const dbFile = path.join(tempDir(), 'airflow.db');
    const url = sqliteUrl(dbFile);
    const created = await runCli(['demo-db', dbFile], { cwd: root });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created .*airflow\.db/);
    const again = await runCli(['demo-db', dbFile], { cwd: root });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists \(add --force/);

    const plan = await runCli(['plan', '--db', url, '--json'], { cwd: root });
    const planned = JSON.parse(plan.stdout);
    assert.ok(planned.summary.add > 0);

    const drift = await runCli(['drift', '--db', url], { cwd: root });
    assert.equal(drift.code, 1, drift.stderr);
    assert.match(drift.stdout, /^Drift: /m);

    const refused = await runCli(['sync', '--db', url], { cwd: root });
    assert.equal(refused.code, 2);
    assert.equal(errorLines(refused.stderr).length, 1);

    const before = sha(dbFile);
    const snapDir = path.join(tempDir(), 'snaps');
    const applied = await runCli(['sync', '--db', url, '--yes', '--snapshot-dir', snapDir], { cwd: root });
    assert.equal(applied.code, 0, applied.stderr);
    const snap = /^Snapshot: (.+)$/m.exec(applied.stdout)?.[1];
    assert.ok(snap && fs.existsSync(snap), applied.stdout);
    assert.ok(snap.startsWith(snapDir));

    const empty = await runCli(['plan', '--db', url, '--json', '--detailed-exitcode'], { cwd: root });
    assert.equal(empty.code, 0, 'a second plan is empty');
    assert.equal(JSON.parse(empty.stdout).empty, true);
    const noop = await runCli(['sync', '--db', url, '--yes'], { cwd: root });
    assert.match(noop.stdout, /Nothing to do/);
    const clean = await runCli(['drift', '--db', url, '--json'], { cwd: root });
    assert.equal(clean.code, 0, clean.stdout);
    assert.equal(JSON.parse(clean.stdout).count, 0);

    // The same snapshot on a copy of the database: refused unless --other-target says it is the same one.
    const copy = path.join(tempDir(), 'copy.db');
    fs.copyFileSync(dbFile, copy);
    const elsewhere = await runCli(['rollback', snap, '--db', sqliteUrl(copy), '--yes'], { cwd: root });
    assert.equal(elsewhere.code, 3, elsewhere.stderr);
    assert.match(elsewhere.stderr, /was taken on .*airflow\.db, not .*copy\.db; nothing was changed\. .*--other-target/);
    const forced = await runCli(['rollback', snap, '--db', sqliteUrl(copy), '--yes', '--other-target'], { cwd: root });
    assert.equal(forced.code, 0, forced.stderr);

    const rolled = await runCli(['rollback', snap, '--db', url, '--yes'], { cwd: root });
    assert.equal(rolled.code, 0, rolled.stderr);
    const replan = await runCli(['plan', '--db', url, '--json'], { cwd: root });
    assert.equal(JSON.parse(replan.stdout).summary.add, planned.summary.add, 'rollback restores the state before the sync');
    void before;
  });

  test('sync says what it applied once: "Applied plan <id>: …" with the counts, the word not doubled', async () => {
    const root = copyExamples();
    const dbFile = path.join(tempDir(), 'airflow.db');
    await runCli(['demo-db', dbFile, '-q'], { cwd: root });
    const planned = JSON.parse((await runCli(['plan', '--db', sqliteUrl(dbFile), '--json', '-q'], { cwd: root })).stdout);
    const r = await runCli(['sync', '--db', sqliteUrl(dbFile), '--yes', '--no-color', '-q', '--snapshot-dir', path.join(tempDir(), 'snaps')], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /Applied: Applied/);
    const applied = r.stdout.split('\n').filter((l) => /Applied/.test(l));
    assert.equal(applied.length, 1, r.stdout);
    assert.match(applied[0], new RegExp(`^Applied plan ${planned.planId}: ${planned.summary.add} grant\\(s\\) added, \\d+ revoked, \\d+ role\\(s\\) and \\d+ resource\\(s\\) created\\.$`));
  });

  test('generate-sync-dag writes a Python DAG from a saved plan', async () => {
    const root = copyExamples();
    const dbFile = path.join(tempDir(), 'airflow.db');
    await runCli(['demo-db', dbFile], { cwd: root });
    const planFile = path.join(tempDir(), 'plan.json');
    const p = await runCli(['plan', '--db', sqliteUrl(dbFile), '--format', 'json', '-o', planFile], { cwd: root });
    assert.equal(p.code, 0, p.stderr);
    const out = path.join(root, 'dags', 'airflow_access_sync.py');
    const g = await runCli(['generate-sync-dag', '--plan', planFile, '--out', out], { cwd: root });
    assert.equal(g.code, 0, g.stderr);
    const py = fs.readFileSync(out, 'utf8');
    assert.match(py, /airflow_dag_access_sync/);
    assert.match(py, /DAG|dag/);
    const bad = await runCli(['generate-sync-dag'], { cwd: root });
    assert.equal(bad.code, 2);
    const badId = path.join(root, 'dags', 'bad_id.py');
    const g2 = await runCli(['generate-sync-dag', '--plan', planFile, '--dag-id', 'bad id!', '--out', badId], { cwd: root });
    assert.equal(g2.code, 2, g2.stderr);
    assert.match(errorLines(g2.stderr)[0], /^airflow-access generate-sync-dag: --dag-id "bad id!" is not a valid dag_id/);
    assert.equal(fs.existsSync(badId), false);
  });
});

describe('airflow-access: database errors never show the password', { skip: built }, () => {
  test('unreachable PostgreSQL with an inline password: one line, exit 3, password redacted', async () => {
    const root = copyExamples();
    const r = await runCli(['plan', '--db', 'postgresql://airflow:S3cretPw@127.0.0.1:1/airflow'], { cwd: root, timeoutMs: 30_000 });
    assert.equal(r.code, 3, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /S3cretPw/);
    const last = errorLines(r.stderr).at(-1)!;
    assert.match(last, /^airflow-access plan: /);
  });

  test('--password-env names a variable that must exist; its value is never printed', async () => {
    const root = copyExamples();
    const missing = await runCli(['plan', '--db', 'postgresql://airflow@127.0.0.1:1/airflow', '--password-env', 'NOPE_PW'], { cwd: root });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /NOPE_PW: that environment variable is not set/);
    const r = await runCli(['plan', '--db', 'postgresql://airflow@127.0.0.1:1/airflow', '--password-env', 'MY_PW'], { cwd: root, env: cleanEnv({ MY_PW: 'Hunter2Pw' }) });
    assert.equal(r.code, 3);
    assert.doesNotMatch(r.stdout + r.stderr, /Hunter2Pw/);
  });

  test('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN is used when --db is omitted', async () => {
    const root = copyExamples();
    const dbFile = path.join(tempDir(), 'airflow.db');
    await runCli(['demo-db', dbFile], { cwd: root });
    const r = await runCli(['plan', '--json'], { cwd: root, env: cleanEnv({ AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: sqliteUrl(dbFile) }) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).target.dialect, 'sqlite');
  });
});

describe('plan --tag-source workspace and a DAG file Airflow cannot import', { skip: built }, () => {
  test('the DAG of a file with a syntax error is left out with a warning naming the file; demo-db does not deploy it', async () => {
    const root = copyExamples();
    const broken = path.join(root, 'dags', 'broken.py');
    fs.writeFileSync(broken, 'from airflow import DAG\n\nwith DAG("broken_dag", tags=["analytics_reporting_edit"]) as dag\n    pass\n');
    const dbFile = path.join(tempDir(), 'airflow.db');
    const created = await runCli(['demo-db', dbFile, '-q'], { cwd: root });
    assert.equal(created.code, 0, created.stderr);
    const url = sqliteUrl(dbFile);
    const ws = await runCli(['plan', '--db', url, '--tag-source', 'workspace', '--json'], { cwd: root });
    assert.equal(ws.code, 0, ws.stderr);
    const plan = JSON.parse(ws.stdout) as { createResources: string[]; addGrants: { resource: string }[]; warnings: { code: string; message: string }[] };
    assert.ok(!plan.createResources.includes('DAG:broken_dag'), 'no resource for a DAG Airflow never loads');
    assert.ok(!plan.addGrants.some((g) => g.resource === 'DAG:broken_dag'));
    const w = plan.warnings.find((x) => x.code === 'dag-not-importable');
    assert.match(w?.message ?? '', /DAG "broken_dag" is left out \(.*broken\.py\): Airflow cannot import this file \(line 3: .*\): it registers none of its DAGs, and no grant from this file applies\./);
    const db = await runCli(['plan', '--db', url, '--json'], { cwd: root });
    assert.ok(!JSON.parse(db.stdout).addGrants.some((g: { resource: string }) => g.resource === 'DAG:broken_dag'), 'demo-db did not deploy it');
  });
});

describe('explain a DAG that is deployed but not in the workspace', { skip: built }, () => {
  test('says it is deployed, with its tags, and that --root must point at its source (exit 2)', async () => {
    const root = copyExamples();
    const dbFile = path.join(tempDir(), 'airflow.db');
    assert.equal((await runCli(['demo-db', dbFile, '-q'], { cwd: root })).code, 0);
    // A DAG another team deployed: in the database, not in this checkout.
    const unknown = await runCli(['explain', 'prod_only_dag', '--db', sqliteUrl(dbFile)], { cwd: root });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no DAG "prod_only_dag"/, 'not deployed either: the plain message');
    const db = await openDatabase({ url: sqliteUrl(dbFile), env: {} });
    await db.run("INSERT INTO dag (dag_id, is_paused, is_active, max_active_tasks, has_task_concurrency_limits) VALUES ('prod_only_dag', 0, 1, 16, 0)");
    await db.run("INSERT INTO dag_tag (name, dag_id) VALUES ('finance_read', 'prod_only_dag')");
    await db.close();
    const r = await runCli(['explain', 'prod_only_dag', '--db', sqliteUrl(dbFile)], { cwd: root });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /DAG "prod_only_dag" is deployed in sqlite:\/\/\/.*airflow\.db \(tags: finance_read\) but its file is not in .*: point --root at the DAGs folder it comes from/);
  });
});
