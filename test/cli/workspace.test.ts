import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { cliPath, copyExamples, runCli } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;

describe('airflow-access explain, matrix, index', { skip: built }, () => {
  test('explain: text names the tag role and its config line; JSON has the documented shape', async () => {
    const root = copyExamples();
    const t = await runCli(['explain', 'analytics_reporting_dag'], { cwd: root });
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^DAG analytics_reporting_dag {2}dags\/analytics_reporting\.py:\d+/);
    assert.match(t.stdout, /analytics_reporting .*read/);
    assert.match(t.stdout, /via tag "analytics_reporting_edit" \(airflow-access\.yaml:\d+\)/);
    const j = await runCli(['explain', 'finance_ledger', '--json'], { cwd: root });
    assert.equal(j.code, 0, j.stderr);
    const e = JSON.parse(j.stdout);
    assert.equal(e.schemaVersion, 1);
    assert.equal(e.dagId, 'finance_ledger');
    assert.equal(e.at.file, 'dags/finance_ledger.py');
    const admin = e.roles.find((r: { role: string }) => r.role === 'Admin');
    assert.ok(admin && admin.builtin && admin.dagActions.includes('can_read'));
    assert.ok(e.roles.some((r: { role: string }) => r.role === 'finance_auditor'));
    assert.ok(e.conflicts.length > 0, 'the access_control revert is reported');
  });

  test('explain of an unknown DAG: usage error with a suggestion', async () => {
    const root = copyExamples();
    const r = await runCli(['explain', 'finance_ledgr'], { cwd: root });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no DAG "finance_ledgr".*did you mean "finance_ledger"/);
  });

  test('matrix as Markdown, CSV and JSON', async () => {
    const root = copyExamples();
    const md = await runCli(['matrix'], { cwd: root });
    assert.equal(md.code, 0, md.stderr);
    // The default roles' DAG-wide access is the same on every DAG: one line, not a column each.
    assert.match(md.stdout, /^Default roles \(DAG-wide, the same on every DAG\): Admin, Op, User: read, edit, delete, [^·]*· Viewer: read, run:read, run:menu_access\n\n\| DAG \| analytics_reporting \| finance_auditor \|\n/);
    assert.match(md.stdout, /^\| analytics_reporting_dag \|/m);
    const csv = await runCli(['matrix', '--format', 'csv'], { cwd: root });
    assert.match(csv.stdout, /^dag_id,file,Admin,/);
    const j = JSON.parse((await runCli(['matrix', '--json'], { cwd: root })).stdout);
    assert.equal(j.schemaVersion, 1);
    assert.equal(j.cells.length, j.dags.length);
    const di = j.dags.findIndex((d: { dagId: string }) => d.dagId === 'analytics_reporting_dag');
    const ri = j.roles.indexOf('analytics_reporting');
    assert.ok(di >= 0 && ri >= 0);
    assert.deepEqual([...j.cells[di][ri]].sort(), ['can_delete', 'can_edit', 'can_read']);
    // The machine formats keep every role's column (the documented JSON shape).
    assert.ok(j.roles.includes('Viewer') && csv.stdout.startsWith('dag_id,file,Admin,'));
  });

  test('the example workspace: each custom role reaches only the DAGs its tags or access_control grant', async () => {
    const root = copyExamples();
    const j = JSON.parse((await runCli(['matrix', '--json'], { cwd: root })).stdout);
    const reached = (role: string) => j.dags.filter((_: unknown, i: number) => j.roles.includes(role) && j.cells[i][j.roles.indexOf(role)].length > 0).map((d: { dagId: string }) => d.dagId);
    // analytics_reporting: its tag; finance_auditor: its tag and access_control; marketing_analyst: its
    // DAG's tag is misspelt (marketing_analyst_edt, ADA001), so nothing. None reads every DAG.
    assert.deepEqual(reached('analytics_reporting'), ['analytics_reporting_dag']);
    assert.deepEqual(reached('finance_auditor'), ['finance_ledger']);
    assert.deepEqual(reached('marketing_analyst'), []);
    assert.deepEqual(reached('Viewer'), j.dags.map((d: { dagId: string }) => d.dagId), 'Viewer still reads every DAG');
    const t = await runCli(['explain', 'platform_maintenance'], { cwd: root });
    assert.match(t.stdout, /^4 roles can read, 3 can edit, 3 can delete\. No custom role reaches it: only the default roles\.$/m);
    assert.match(t.stdout, /^ {2}Default roles \(DAG-wide, every DAG\): Admin, Op, User: read, edit, delete \(runs: [a-z_, ]+\) · Viewer: read \(runs: read, menu_access\)$/m);
    assert.doesNotMatch(t.stdout, /^ {2}(Admin|Op|User|Viewer|analytics_reporting|finance_auditor|marketing_analyst) /m, 'no role line of its own');
  });

  test('index --json lists the facts with root-relative files', async () => {
    const root = copyExamples();
    const r = await runCli(['index', '--json', 'dags/analytics_reporting.py'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    const idx = JSON.parse(r.stdout);
    assert.equal(idx.files.length, 1);
    assert.equal(idx.files[0].file, 'dags/analytics_reporting.py');
    const dag = idx.files[0].dags[0];
    assert.equal(dag.dagId.value, 'analytics_reporting_dag');
    assert.ok(dag.tags.items.some((t: { value: string }) => t.value === 'analytics_reporting_edit'));
  });
});
