/**
 * The example workspace under each auth manager (configs in test/fixtures/auth-managers/<name>/): check,
 * explain (text and JSON) and the plan / sync refusal with its --force-fab escape hatch.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'crypto';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanEnv, cliPath, copyExamples, runCli } from './cliRunner';
import { fixturesDir } from '../helpers/paths';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;
const configOf = (am: string) => path.join(fixturesDir, 'auth-managers', am, 'airflow-access.yaml');
/** No simple auth manager settings from the developer's shell: the fixture's airflow.cfg must be what is read. */
function noSimpleEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = cleanEnv(extra);
  for (const k of ['AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS', 'AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS']) if (!(k in extra)) delete env[k];
  return env;
}
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

interface ExplainJson {
  authManager: string;
  roles: { role: string; dagActions: string[] }[];
  authAnswer: {
    authManager: string;
    decidedBy: string;
    usersSource?: { kind: string; file?: string; line?: number } | null;
    roles?: { role: string; read: boolean; trigger: boolean; edit: boolean; delete: boolean; users: string[] }[];
    users?: { username: string; role: string; read: boolean; trigger: boolean; edit: boolean; delete: boolean }[];
    requests?: { operation: string; permission: string; resourceId: string; dagEntity: string | null }[];
  };
}

describe('auth managers on the example workspace', { skip: built }, () => {
  for (const am of ['simple', 'keycloak', 'aws']) {
    test(`check under ${am}: ADA031 on the access tags and access_control of finance_ledger, no ADA001 / ADA010 / ADA020`, async () => {
      const root = copyExamples();
      const r = await runCli(['check', '--root', root, '--config', configOf(am), '--json']);
      assert.equal(r.code, 0, r.stderr);
      const findings = (JSON.parse(r.stdout) as { findings: { code: string; file: string; startLine: number; message: string }[] }).findings;
      const ledger = findings.filter((f) => f.code === 'ADA031' && f.file === 'dags/finance_ledger.py').map((f) => f.startLine);
      assert.deepEqual(ledger, [5, 5, 13], 'two tags on line 5, access_control on line 13');
      assert.ok(findings.some((f) => f.code === 'ADA031' && f.file === 'dags/marketing_leads.py' && /'marketing_analyst_edt' looks like an access tag/.test(f.message)));
      assert.deepEqual(findings.filter((f) => f.code === 'ADA001' || f.code === 'ADA010'), []);
      // marketing_analyst_edit is used by no DAG (ADA020 under FAB), but here no tag grants anything.
      assert.deepEqual(findings.filter((f) => f.code === 'ADA020'), []);
    });
  }

  test('explain --json under simple: the auth manager and the answer per role and per user (users from the airflow.cfg beside the config)', async () => {
    const root = copyExamples();
    const r = await runCli(['explain', 'finance_ledger', '--root', root, '--config', configOf('simple'), '--json'], { env: noSimpleEnv() });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as ExplainJson;
    assert.equal(j.authManager, 'simple');
    assert.equal(j.authAnswer.authManager, 'simple');
    assert.equal(j.authAnswer.usersSource?.kind, 'airflow.cfg');
    assert.match(j.authAnswer.usersSource!.file!, /auth-managers\/simple\/airflow\.cfg$/);
    assert.equal(j.authAnswer.usersSource!.line, 5);
    assert.deepEqual(j.authAnswer.roles!.map((x) => [x.role, x.read, x.trigger, x.edit, x.delete, x.users.join(',')]), [
      ['viewer', true, false, false, false, 'peter'],
      ['user', true, true, true, true, 'ursula'],
      ['op', true, true, true, true, 'oscar'],
      ['admin', true, true, true, true, 'bob'],
    ]);
    assert.deepEqual(j.authAnswer.users!.map((u) => `${u.username}:${u.role}:${u.trigger}`), ['bob:admin:true', 'peter:viewer:false', 'ursula:user:true', 'oscar:op:true']);
    assert.deepEqual(j.roles.map((x) => x.role), ['viewer', 'user', 'op', 'admin']);
  });

  test('explain under simple: AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS wins over airflow.cfg; text lists each user', async () => {
    const root = copyExamples();
    const r = await runCli(['explain', 'finance_ledger', '--root', root, '--config', configOf('simple')], { env: noSimpleEnv({ AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: 'carol:viewer,dave:op' }) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Simple auth manager: .*\(users from AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS\)\. Tags and access_control have no effect\.$/m);
    assert.match(r.stdout, /^ {2}user carol \(viewer\): read$/m);
    assert.match(r.stdout, /^ {2}user dave \(op\): read, trigger, edit, delete$/m);
    assert.doesNotMatch(r.stdout, /bob|peter/);
    assert.match(r.stdout, /Tag 'finance_read' maps to 'finance_auditor', but it has no effect under the simple auth manager/);
  });

  test('explain under keycloak and aws: what Airflow sends the external policies for this DAG', async () => {
    const root = copyExamples();
    const kc = await runCli(['explain', 'finance_ledger', '--root', root, '--config', configOf('keycloak')]);
    assert.equal(kc.code, 0, kc.stderr);
    assert.match(kc.stdout, /^Keycloak auth manager: DAG access is decided by Keycloak authorization services/m);
    assert.match(kc.stdout, /^ {2}trigger {2}Dag#POST {2}resource_id finance_ledger, dag_entity RUN$/m);
    assert.doesNotMatch(kc.stdout, /roles? can read/);
    const aws = await runCli(['explain', 'finance_ledger', '--root', root, '--config', configOf('aws'), '--json']);
    const j = JSON.parse(aws.stdout) as ExplainJson;
    assert.equal(j.authManager, 'aws');
    assert.deepEqual(j.roles, []);
    assert.deepEqual(j.authAnswer.requests!.map((x) => [x.operation, x.permission, x.dagEntity]), [
      ['read', 'Airflow::Action::"Dag.GET"', null],
      ['trigger', 'Airflow::Action::"Dag.POST"', 'RUN'],
      ['edit', 'Airflow::Action::"Dag.PUT"', null],
      ['delete', 'Airflow::Action::"Dag.DELETE"', null],
    ]);
  });

  test('matrix under keycloak and aws: says the auth manager decides (Markdown, JSON; stderr for CSV, whose rows stay plain)', async () => {
    const root = copyExamples();
    for (const [am, label] of [['keycloak', 'Keycloak auth manager'], ['aws', 'AWS auth manager']]) {
      const md = await runCli(['matrix', '--root', root, '--config', configOf(am)]);
      assert.equal(md.code, 0, md.stderr);
      assert.match(md.stdout, new RegExp(`^DAG access is decided by the ${label} in .*, not by roles in Airflow's database: who may do what with each DAG cannot be shown here\\.`));
      assert.match(md.stdout, /^\d+ DAGs: .*finance_ledger/m);
      assert.doesNotMatch(md.stdout, /^\| DAG \|/m, 'no table of empty cells');
      const json = await runCli(['matrix', '--root', root, '--config', configOf(am), '--format', 'json']);
      const j = JSON.parse(json.stdout) as { note?: string; roles: string[]; dags: { dagId: string }[] };
      assert.match(j.note ?? '', new RegExp(`^DAG access is decided by the ${label}`));
      assert.deepEqual(j.roles, []);
      assert.ok(j.dags.some((d) => d.dagId === 'finance_ledger'));
      const csv = await runCli(['matrix', '--root', root, '--config', configOf(am), '--format', 'csv']);
      assert.equal(csv.code, 0, csv.stderr);
      const lines = csv.stdout.trimEnd().split('\n');
      assert.equal(lines[0], 'dag_id,file', 'the CSV is a header and rows only');
      assert.ok(lines.slice(1).every((l) => /^[^,]+,[^,]+$/.test(l)), lines.join('\n'));
      assert.match(csv.stderr, new RegExp(`DAG access is decided by the ${label}`));
    }
    // Under FAB there is no note: the roles are shown.
    const fab = await runCli(['matrix', '--root', root, '--format', 'json']);
    assert.equal((JSON.parse(fab.stdout) as { note?: string }).note, undefined);
  });

  for (const am of ['simple', 'keycloak', 'aws']) {
    test(`plan and sync refuse under ${am} with one line and leave the database untouched; --force-fab plans anyway`, async () => {
      const root = copyExamples();
      const dbFile = path.join(root, 'airflow.db');
      const made = await runCli(['demo-db', dbFile, '-q'], { cwd: root });
      assert.equal(made.code, 0, made.stderr);
      const before = sha(dbFile);
      const refusal = new RegExp(`^airflow-access (plan|sync): airflow\\.auth_manager is '${am}' \\(.*auth-managers/${am}/airflow-access\\.yaml:6\\): Airflow reads no FAB grants under the .*auth manager, so nothing is planned or written; pass --force-fab to plan and sync FAB grants anyway \\(a migration to FAB in progress\\)\\.\\n$`);
      const plan = await runCli(['plan', '--db', `sqlite:///${dbFile}`, '--config', configOf(am), '--root', root, '-q']);
      assert.equal(plan.code, 3);
      assert.equal(plan.stdout, '');
      assert.match(plan.stderr, refusal);
      const sync = await runCli(['sync', '--db', `sqlite:///${dbFile}`, '--config', configOf(am), '--root', root, '--yes', '-q']);
      assert.equal(sync.code, 3);
      assert.match(sync.stderr, refusal);
      assert.equal(sha(dbFile), before, 'nothing written');
      const forced = await runCli(['plan', '--db', `sqlite:///${dbFile}`, '--config', configOf(am), '--root', root, '--force-fab', '-q']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stdout, /grant/);
    });
  }

  test('an Airflow 3 database without FAB tables: plan says Airflow 3 runs without the FAB provider, nothing to sync', async (t) => {
    try {
      execFileSync('sqlite3', ['-version']);
    } catch {
      t.skip('the sqlite3 command-line shell is not installed');
      return;
    }
    const root = copyExamples();
    const dbFile = path.join(root, 'nofab.db');
    execFileSync('sqlite3', [dbFile, 'CREATE TABLE dag (dag_id VARCHAR(250) PRIMARY KEY, is_stale BOOLEAN NOT NULL DEFAULT 0); CREATE TABLE dag_tag (name VARCHAR(100), dag_id VARCHAR(250));']);
    const r = await runCli(['plan', '--db', `sqlite:///${dbFile}`, '-q'], { cwd: root });
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^airflow-access plan: This is an Airflow 3 database without the FAB provider \(ab_role, .*\): its auth manager is not FAB .* Set airflow\.auth_manager in airflow-access\.yaml to simple, keycloak or aws/);
  });
});
