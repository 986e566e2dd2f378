/**
 * A plan file is plain JSON that anyone can edit: `generate-sync-dag --plan` re-checks the planner's
 * scope rules and refuses an edited plan that revokes a built-in role's grant, touches a role the
 * config does not own, or revokes without cleanup; the plan as written by `plan --format json` passes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, test } from 'node:test';
import { cliPath, copyExamples, runCli, sqliteUrl, tempDir } from '../cliRunner';

const built = fs.existsSync(cliPath) ? false : `needs the built CLI at ${cliPath} (npm run build)`;

interface Grant {
  role: string;
  action: string;
  resource: string;
  dagId: string | null;
  reason: string;
}
interface PlanJson {
  addGrants: Grant[];
  revokeGrants: Grant[];
  inputs: { manageBuiltin: boolean; roles: { name: string; cleanup: boolean }[] };
}

describe('generate-sync-dag --plan re-checks the scope rules', { skip: built }, () => {
  let root: string;
  let planText: string;
  const edited = (edit: (p: PlanJson) => void): string => {
    const p = JSON.parse(planText) as PlanJson;
    edit(p);
    const file = path.join(root, `edited-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(p));
    return file;
  };
  const generate = (planFile: string) => runCli(['generate-sync-dag', '--plan', planFile, '--out', 'dags/sync_dag.py'], { cwd: root });
  const revokeViewer: Grant = { role: 'Viewer', action: 'can_read', resource: 'DAG:finance_ledger', dagId: 'finance_ledger', reason: 'not explained by the config; the role has cleanup: true' };

  before(async () => {
    root = copyExamples();
    const dbFile = path.join(tempDir('ada-planfile-db-'), 'airflow.db');
    const url = sqliteUrl(dbFile);
    assert.equal((await runCli(['demo-db', dbFile], { cwd: root })).code, 0);
    const res = await runCli(['plan', '--db', url, '--format', 'json'], { cwd: root });
    assert.equal(res.code, 0, res.stderr);
    planText = res.stdout;
  });

  test('the plan as written passes', async () => {
    const file = path.join(root, 'plan.json');
    fs.writeFileSync(file, planText);
    const res = await generate(file);
    assert.equal(res.code, 0, res.stderr);
    assert.ok(fs.existsSync(path.join(root, 'dags/sync_dag.py')));
    fs.rmSync(path.join(root, 'dags/sync_dag.py'));
  });

  test('a hand-added revocation of a Viewer grant is refused, naming it; no file is written', async () => {
    const res = await generate(edited((p) => p.revokeGrants.push(revokeViewer)));
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, /: revoke can_read on "DAG:finance_ledger" from "Viewer": built-in role "Viewer" is not changed without manage_builtin: true\n/);
    assert.match(res.stderr, /airflow-access generate-sync-dag: --plan .*edited-\w+\.json breaks 1 safety rule\(s\) of the sync; nothing was written/);
    assert.equal(res.stdout, '');
    assert.ok(!fs.existsSync(path.join(root, 'dags/sync_dag.py')));
  });

  test('setting manage_builtin in the plan itself does not help: the config does not say so', async () => {
    const res = await generate(
      edited((p) => {
        p.inputs.manageBuiltin = true;
        p.inputs.roles.push({ ...p.inputs.roles[0], name: 'Viewer', cleanup: true });
        p.revokeGrants.push(revokeViewer);
      }),
    );
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, /from "Viewer": built-in role "Viewer" is not changed without manage_builtin: true \(airflow-access\.yaml\)/);
  });

  test('roles the config does not own, revocations without cleanup, Admin, and global resources are refused', async () => {
    const res = await generate(
      edited((p) => {
        p.revokeGrants.push({ ...revokeViewer, role: 'stranger' });
        p.revokeGrants.push({ ...revokeViewer, role: 'finance_auditor' });
        p.addGrants.push({ ...revokeViewer, role: 'Admin', reason: 'tag "x"' });
        p.revokeGrants.push({ ...revokeViewer, role: 'analytics_reporting', resource: 'DAGs', dagId: null });
      }),
    );
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, /revoke can_read on "DAG:finance_ledger" from "stranger": role "stranger" is not in the config/);
    assert.match(res.stderr, /from "finance_auditor": role "finance_auditor" does not have cleanup: true/);
    assert.match(res.stderr, /grant can_read on "DAG:finance_ledger" to "Admin": Admin is never changed by the sync/);
    assert.match(res.stderr, /revoke can_read on "DAGs" from "analytics_reporting": only per-DAG grants are ever revoked/);
  });
});
