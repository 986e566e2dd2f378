/**
 * Teams that run the MWAA tag-sync DAG point the CLI at it: every command works from
 * `--config dags/permission_sync.py` (and from the flat list shape), and without airflow-access.yaml
 * the DAG file is found and named in one line on stderr.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { cliPath, runCli, tempDir } from './cliRunner';
import { fixturesDir } from '../helpers/paths';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;
const CONFIG = ['--config', 'dags/permission_sync.py'];

/** A copy of test/fixtures/mwaa and a demo database with its DAGs deployed. */
async function workspace(): Promise<{ root: string; db: string }> {
  const root = path.join(tempDir(), 'ws');
  fs.cpSync(path.join(fixturesDir, 'mwaa'), root, { recursive: true });
  const file = path.join(root, '..', 'airflow.db');
  const r = await runCli(['demo-db', file, ...CONFIG, '-q'], { cwd: root });
  assert.equal(r.code, 0, r.stderr);
  return { root, db: `sqlite:///${file}` };
}

describe('the MWAA sync DAG as --config', { skip: built }, () => {
  let ws: { root: string; db: string };
  before(async () => { ws = await workspace(); });

  test('check: no config error, exit 0', async () => {
    const r = await runCli(['check', ...CONFIG, '-q', '--fail-on', 'warning'], { cwd: ws.root });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /ADA090|loadConfigFileAsync/);
  });

  test('explain: the tag grant of the sync DAG\'s role, located in the .py file', async () => {
    const r = await runCli(['explain', 'analytics_reporting_dag', ...CONFIG, '-q'], { cwd: ws.root });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {25}via tag "analytics_reporting_edit" \(permission_sync\.py:\d+\): read, edit, delete$/m);
  });

  test('matrix: both roles as columns', async () => {
    const r = await runCli(['matrix', ...CONFIG, '-q', '--format', 'csv'], { cwd: ws.root });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.split('\n')[0], /analytics_reporting,marketing_analyst$/);
  });

  test('plan, sync, drift, re-plan: the grants land and a second run has nothing to do', async () => {
    const plan = await runCli(['plan', ...CONFIG, '--db', ws.db, '-q', '--json'], { cwd: ws.root });
    assert.equal(plan.code, 0, plan.stderr);
    const grants = (JSON.parse(plan.stdout) as { addGrants: { role: string; action: string; resource: string }[] }).addGrants
      .filter((g) => g.resource.startsWith('DAG:')).map((g) => `${g.role} ${g.action} ${g.resource}`).sort();
    assert.deepEqual(grants, [
      'analytics_reporting can_delete DAG:analytics_reporting_dag', 'analytics_reporting can_edit DAG:analytics_reporting_dag', 'analytics_reporting can_read DAG:analytics_reporting_dag',
      'marketing_analyst can_delete DAG:marketing_analyst_dag', 'marketing_analyst can_edit DAG:marketing_analyst_dag', 'marketing_analyst can_read DAG:marketing_analyst_dag',
    ]);
    const sync = await runCli(['sync', ...CONFIG, '--db', ws.db, '--yes', '-q', '--snapshot-dir', path.join(ws.root, '..', 'snap')], { cwd: ws.root });
    assert.equal(sync.code, 0, sync.stderr);
    const drift = await runCli(['drift', ...CONFIG, '--db', ws.db, '-q'], { cwd: ws.root });
    assert.equal(drift.code, 0, drift.stdout + drift.stderr);
    const again = await runCli(['plan', ...CONFIG, '--db', ws.db, '-q', '--detailed-exitcode'], { cwd: ws.root });
    assert.equal(again.code, 0, again.stdout);
  });

  test('without --config and without airflow-access.yaml: the sync DAG is found, one notice line names it', async () => {
    const r = await runCli(['check'], { cwd: ws.root });
    assert.equal(r.code, 0, r.stderr);
    const notices = r.stderr.split('\n').filter((l) => l.includes('role_mappings'));
    assert.deepEqual(notices, ['No airflow-access.yaml: using the role_mappings list of dags/permission_sync.py.']);
    const plan = await runCli(['plan', '--db', ws.db, '-q', '--detailed-exitcode'], { cwd: ws.root });
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  });

  test('the flat list shape plans the same grants', async () => {
    const nested = await runCli(['plan', ...CONFIG, '--db', ws.db, '-q', '--format', 'sql'], { cwd: ws.root });
    const flat = await runCli(['plan', '--config', 'flat-role-mappings.yaml', '--db', ws.db, '-q', '--format', 'sql'], { cwd: ws.root });
    assert.equal(flat.code, 0, flat.stderr);
    assert.equal(flat.stdout.replace(/plan [0-9a-f]{16}/g, 'plan X'), nested.stdout.replace(/plan [0-9a-f]{16}/g, 'plan X'));
  });
});

describe('airflow-access migrate-config', { skip: built }, () => {
  test('writes airflow-access.yaml v1: roles in order, do_cleanup -> cleanup, comments; the result is the config from then on', async () => {
    const { root, db } = await workspace();
    const r = await runCli(['migrate-config', 'dags/permission_sync.py'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.trim(), 'Wrote airflow-access.yaml (2 roles from dags/permission_sync.py). It is the config from now on; the role_mappings in permission_sync.py are no longer read.');
    const text = fs.readFileSync(path.join(root, 'airflow-access.yaml'), 'utf8');
    assert.match(text, /^# Converted from the role_mappings literal in permission_sync\.py by airflow-access migrate-config\.$/m);
    assert.match(text, /^# - cleanup: the seed DAG first deleted every per-DAG grant of the role/m);
    const body = text.slice(text.indexOf('version: 1'));
    assert.equal(body, [
      'version: 1', 'airflow:', '  auth_manager: fab', 'roles:',
      '  analytics_reporting:', '    tags: [analytics_reporting_edit]', '    dag_permissions: [can_read, can_edit, can_delete]', '    cleanup: true # was do_cleanup', '    base_role: Viewer # new: a missing role is created from this role',
      '  marketing_analyst:', '    tags: [marketing_analyst_edit]', '    dag_permissions: [can_read, can_edit, can_delete]', '    cleanup: true # was do_cleanup', '    base_role: Viewer # new: a missing role is created from this role',
      '',
    ].join('\n'));
    // The migrated file plans exactly what the sync DAG did.
    const fromDag = await runCli(['plan', ...CONFIG, '--db', db, '-q', '--format', 'sql'], { cwd: root });
    const fromYaml = await runCli(['plan', '--config', 'airflow-access.yaml', '--root', 'dags', '--db', db, '-q', '--format', 'sql'], { cwd: root });
    assert.equal(fromYaml.code, 0, fromYaml.stderr);
    assert.equal(fromYaml.stdout.replace(/plan [0-9a-f]{16}/g, 'plan X'), fromDag.stdout.replace(/plan [0-9a-f]{16}/g, 'plan X'));
    // No overwrite without --force.
    const again = await runCli(['migrate-config', 'dags/permission_sync.py'], { cwd: root });
    assert.equal(again.code, 2);
    assert.equal(again.stderr, 'airflow-access migrate-config: airflow-access.yaml already exists: add --force to overwrite it, or --out FILE\n');
  });

  test('a broken role_mappings: located errors, exit 3, nothing written; a v1 file: exit 2', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'sync.py'), 'role_mappings = [\n    ("sales_team", "sales_edit"),\n]\n');
    const r = await runCli(['migrate-config', 'sync.py'], { cwd: dir });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^sync\.py:2:5: error role_mappings entry 1 is a list; each entry must have one of two shapes:\n {2}nested/);
    assert.match(r.stderr, /airflow-access migrate-config: sync\.py has 1 error\(s\); nothing was written\n$/);
    assert.equal(fs.existsSync(path.join(dir, 'airflow-access.yaml')), false);
    fs.writeFileSync(path.join(dir, 'v1.yaml'), 'version: 1\nroles: {a: {tags: [x]}}\n');
    const v1 = await runCli(['migrate-config', 'v1.yaml'], { cwd: dir });
    assert.equal(v1.code, 2);
    assert.match(v1.stderr, /v1\.yaml is already an airflow-access\.yaml \(version 1\): nothing to migrate/);
  });
});

describe('airflow-access generate-sync-dag --replace', { skip: built }, () => {
  test('same dag_id, schedule, start date and role_mappings as the DAG it replaces; still readable as the config', async () => {
    const { root, db } = await workspace();
    const r = await runCli(['generate-sync-dag', '--replace', 'dags/permission_sync.py', '--out', 'dags/permission_sync.py'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.trim(), 'Wrote dags/permission_sync.py: drop-in for dags/permission_sync.py (dag_id manage_dag_permissions, schedule "*/15 * * * *", 2 role(s))');
    const text = fs.readFileSync(path.join(root, 'dags', 'permission_sync.py'), 'utf8');
    assert.match(text, /^ {8}dag_id="manage_dag_permissions",\n {8}schedule="\*\/15 \* \* \* \*",\n {8}start_date=pendulum\.datetime\(2026, 1, 1, tz="UTC"\),$/m);
    assert.doesNotMatch(text, /from airflow import DAG, settings/, 'none of the old code is kept');
    // The generated file is itself a valid config with the same plan.
    const plan = await runCli(['plan', ...CONFIG, '--db', db, '-q', '--json'], { cwd: root });
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal((JSON.parse(plan.stdout) as { addGrants: { resource: string }[] }).addGrants.filter((g) => g.resource.startsWith('DAG:')).length, 6);
  });

  test('a schedule that is not a literal: exit 3 naming the line; --schedule overrides; --db does not apply', async () => {
    const dir = tempDir();
    const src = fs.readFileSync(path.join(fixturesDir, 'mwaa', 'dags', 'permission_sync.py'), 'utf8');
    assert.ok(src.includes('schedule="*/15 * * * *"'));
    fs.writeFileSync(path.join(dir, 'sync.py'), src.replace('schedule="*/15 * * * *"', 'schedule=timedelta(minutes=15)'));
    const r = await runCli(['generate-sync-dag', '--replace', 'sync.py'], { cwd: dir });
    assert.equal(r.code, 3);
    assert.equal(r.stderr, 'airflow-access generate-sync-dag: sync.py: line 53: the schedule (timedelta(minutes=15)) is not a string literal or None; pass --schedule\n');
    const ok = await runCli(['generate-sync-dag', '--replace', 'sync.py', '--schedule', '@hourly', '-q'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^ {8}schedule="@hourly",$/m);
    const usage = await runCli(['generate-sync-dag', '--replace', 'sync.py', '--db', 'sqlite:///x.db'], { cwd: dir });
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--replace takes the config and dag_id from sync\.py; --db does not apply/);
  });
});
