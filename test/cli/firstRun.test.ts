/**
 * What a new user sees on a first run (issue 21): the words of drift, rollback and plan, one form for
 * every error line, a suggestion for a mistyped command, and what check says when the config is
 * missing or has errors.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import { cliPath, copyExamples, errorLines, runCli, sqliteUrl, tempDir } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;

/** Give `role` the per-DAG grant (action on DAG:dagId) directly in the database, as a hand edit would. */
async function grantByHand(url: string, role: string, action: string, dagId: string): Promise<void> {
  const db = await openDatabase({ url, env: {} });
  try {
    const [pv] = await db.query<{ id: number }>(
      'SELECT pv.id FROM ab_permission_view pv JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE p.name = ? AND v.name = ?',
      [action, `DAG:${dagId}`],
    );
    const [r] = await db.query<{ id: number }>('SELECT id FROM ab_role WHERE name = ?', [role]);
    assert.ok(pv && r, `no permission ${action} on DAG:${dagId} or no role ${role}`);
    await db.run('INSERT INTO ab_permission_view_role (id, permission_view_id, role_id) VALUES ((SELECT MAX(id) + 1 FROM ab_permission_view_role), ?, ?)', [pv.id, r.id]);
  } finally {
    await db.close();
  }
}

async function syncedDemo(root: string): Promise<string> {
  const url = sqliteUrl(path.join(tempDir(), 'airflow.db'));
  const created = await runCli(['demo-db', url.slice('sqlite:///'.length), '-q'], { cwd: root });
  assert.equal(created.code, 0, created.stderr);
  const synced = await runCli(['sync', '--db', url, '--yes', '-q', '--snapshot-dir', path.join(tempDir(), 'snaps')], { cwd: root });
  assert.equal(synced.code, 0, synced.stderr);
  return url;
}

describe('drift names the role\'s own cleanup setting', { skip: built }, () => {
  test('cleanup: false says sync keeps the grant, cleanup: true says sync revokes it (text and JSON)', async () => {
    const root = copyExamples();
    const url = await syncedDemo(root);
    await grantByHand(url, 'finance_auditor', 'can_read', 'platform_maintenance'); // cleanup: false
    await grantByHand(url, 'analytics_reporting', 'can_read', 'platform_maintenance'); // cleanup: true
    const r = await runCli(['drift', '--db', url, '-q', '--no-color'], { cwd: root });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('- ')), [
      '- analytics_reporting: can_read on DAG:platform_maintenance  (in the database: not explained by the config; the role has cleanup: true, so sync revokes it)',
      '- finance_auditor: can_read on DAG:platform_maintenance  (in the database: not explained by the config; the role has cleanup: false, so sync keeps it)',
    ]);
    const j = await runCli(['drift', '--db', url, '--json', '-q'], { cwd: root });
    const report = JSON.parse(j.stdout) as { unexplained: { role: string; reason: string }[] };
    assert.equal(report.unexplained.find((u) => u.role === 'finance_auditor')?.reason, 'not explained by the config; the role has cleanup: false, so sync keeps it');
  });
});

describe('rollback says its result once', { skip: built }, () => {
  test('one line naming the plan and both counts', async () => {
    const root = copyExamples();
    const url = sqliteUrl(path.join(tempDir(), 'airflow.db'));
    await runCli(['demo-db', url.slice('sqlite:///'.length), '-q'], { cwd: root });
    const snaps = path.join(tempDir(), 'snaps');
    const synced = await runCli(['sync', '--db', url, '--yes', '-q', '--snapshot-dir', snaps], { cwd: root });
    assert.equal(synced.code, 0, synced.stderr);
    const snap = path.join(snaps, fs.readdirSync(snaps)[0]);
    const r = await runCli(['rollback', snap, '--db', url, '--yes', '-q'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Rolled back plan [0-9a-f]{16}: removed \d+ row\(s\), restored \d+ grant\(s\)\.\n$/);
  });
});

describe('plan warns about access_control only when it leaves out a grant the plan adds (as check and explain)', { skip: built }, () => {
  test('ops_cleanup: its only tag grant is in its access_control: no warning from plan, no ADA008 from check', async () => {
    const root = tempDir('ada-ops-');
    fs.mkdirSync(path.join(root, 'dags'));
    fs.writeFileSync(
      path.join(root, 'airflow-access.yaml'),
      'version: 1\nairflow:\n  version: "2.10"\nroles:\n  ops_engineers:\n    tags: [ops_engineers_read]\n    dag_permissions: [can_read]\n    cleanup: true\n  platform_admins:\n    tags: [platform_admins_edit]\n    dag_permissions: [can_read, can_edit]\n',
    );
    const dag = (id: string, tags: string[], ac: string) =>
      `from airflow import DAG\n\nwith DAG(dag_id="${id}", tags=${JSON.stringify(tags)}, access_control=${ac}) as dag:\n    pass\n`;
    fs.writeFileSync(path.join(root, 'dags', 'ops_cleanup.py'), dag('ops_cleanup', ['ops_engineers_read'], '{"ops_engineers": {"can_read"}}'));
    // platform_admins' tag grant is not in this access_control: that one Airflow does revoke.
    fs.writeFileSync(path.join(root, 'dags', 'ops_report.py'), dag('ops_report', ['ops_engineers_read', 'platform_admins_edit'], '{"ops_engineers": {"can_read"}}'));
    const dbFile = path.join(tempDir(), 'airflow.db');
    assert.equal((await runCli(['demo-db', dbFile, '-q'], { cwd: root })).code, 0);
    const plan = await runCli(['plan', '--db', sqliteUrl(dbFile), '--tag-source', 'workspace', '-q', '--no-color'], { cwd: root });
    assert.equal(plan.code, 0, plan.stderr);
    const warnings = plan.stdout.split('\n').filter((l) => l.includes('sets access_control'));
    assert.deepEqual(warnings, [
      '  ! DAG "ops_report" sets access_control without "platform_admins": Airflow will revoke those tag-based grants on it the next time the DAG changes (Airflow 2 re-syncs a DAG only when its serialized form changes): until then the grant exists, and a tag sync after that puts it back, so access flaps. Add the role to access_control or remove it.',
    ]);
    const check = await runCli(['check', '--json', '-q'], { cwd: root });
    const reverted = (JSON.parse(check.stdout) as { findings: { code: string; file: string }[] }).findings.filter((f) => f.code === 'ADA008').map((f) => f.file);
    assert.deepEqual(reverted, ['dags/ops_report.py']);
  });
});

describe('one form for error lines: "airflow-access <command>: ..."', { skip: built }, () => {
  test('a usage error (exit 2) and a failure (exit 3) of plan start the same way', async () => {
    const root = copyExamples();
    const usage = await runCli(['plan', '--db', 'foo://bar'], { cwd: root });
    assert.equal(usage.code, 2);
    assert.deepEqual(errorLines(usage.stderr), ['airflow-access plan: --db: Unsupported database scheme "foo" in foo://bar; use postgresql, mysql or sqlite.']);
    const failure = await runCli(['plan', '--db', sqliteUrl('/does/not/exist.db'), '-q'], { cwd: root });
    assert.equal(failure.code, 3);
    assert.match(errorLines(failure.stderr).at(-1)!, /^airflow-access plan: /);
  });

  test('a mistyped command gets "did you mean"', async () => {
    const r = await runCli(['chek']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'airflow-access: unknown command "chek"; did you mean "check"? (run "airflow-access --help" for the list)\n');
    const help = await runCli(['help', 'rolback']);
    assert.equal(help.stderr, 'airflow-access: unknown command "rolback"; did you mean "rollback"? (run "airflow-access --help" for the list)\n');
    const far = await runCli(['frobnicate']);
    assert.equal(far.stderr, 'airflow-access: unknown command "frobnicate" (run "airflow-access --help" for the list)\n');
  });
});

describe('check says what it judged against', { skip: built }, () => {
  test('without a config: says none was found and what that means (exit 0)', async () => {
    const root = copyExamples();
    fs.rmSync(path.join(root, 'airflow-access.yaml'));
    const r = await runCli(['check', '-q', '--no-color'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.ok(
      lines.includes("No role-mapping config found (looked for airflow-access.yaml): no tag grants any role here, so DAGs are checked against access_control and Airflow's default roles only. Create airflow-access.yaml or pass --config FILE."),
      r.stdout,
    );
    const j = JSON.parse((await runCli(['check', '--json', '-q'], { cwd: root })).stdout) as { notes: string[]; dagChecks: string; config: null };
    assert.equal(j.config, null);
    assert.equal(j.dagChecks, 'ran');
    assert.match(j.notes[0], /^No role-mapping config found/);
  });

  test('a YAML syntax error: only the config errors, and the DAG checks said to be skipped (no ADA004 / ADA010 cascade)', async () => {
    const root = copyExamples();
    const file = path.join(root, 'airflow-access.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^roles:$/m, 'roles: ['));
    const r = await runCli(['check', '-q', '--no-color'], { cwd: root });
    assert.equal(r.code, 1, r.stderr);
    const findings = r.stdout.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l));
    assert.ok(findings.length > 0);
    assert.deepEqual([...new Set(findings.map((l) => `${l.split(':')[0]} ${l.split(' ')[2]}`))], ['airflow-access.yaml ADA090']);
    const n = findings.length;
    assert.ok(
      r.stdout.split('\n').includes(`DAG checks were skipped: the config airflow-access.yaml has ${n} error${n === 1 ? '' : 's'}, and judging DAGs against the rest of it would report tags and roles it drops (Python syntax errors in DAG files are still reported). Fix the config and run check again.`),
      r.stdout,
    );
    const j = JSON.parse((await runCli(['check', '--json', '-q'], { cwd: root })).stdout) as { dagChecks: string; findings: { code: string }[] };
    assert.equal(j.dagChecks, 'skipped');
    assert.deepEqual([...new Set(j.findings.map((f) => f.code))], ['ADA090']);
  });

  test('one bad role value: its error only, no false ADA001 on the tags of that role', async () => {
    const root = copyExamples();
    const file = path.join(root, 'airflow-access.yaml');
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.includes('dag_permissions: [can_read]\n'), 'the example config changed; update this test');
    fs.writeFileSync(file, text.replace('dag_permissions: [can_read]\n', 'dag_permissions: [can_reed]\n'));
    const r = await runCli(['check', '-q', '--no-color'], { cwd: root });
    assert.equal(r.code, 1, r.stderr);
    const findings = r.stdout.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l));
    assert.equal(findings.length, 1, r.stdout);
    assert.match(findings[0], /^airflow-access\.yaml:\d+:\d+: error ADA022 'can_reed' is not a DAG permission/);
    assert.match(r.stdout, /^DAG checks were skipped: the config airflow-access\.yaml has 1 error,/m);
    assert.doesNotMatch(r.stdout, /ADA001/);
  });
});
