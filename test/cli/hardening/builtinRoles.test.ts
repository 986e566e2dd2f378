/**
 * Built-in roles (Admin, Op, User, Viewer, Public) are never modified unless the config sets
 * `manage_builtin: true`: through the CLI on a demo DB, a config mapping a tag to Viewer with cleanup
 * plans nothing for Viewer (with a warning naming it) and the sync leaves every built-in role's rows
 * byte-identical — even when Viewer holds a per-DAG grant the cleanup would otherwise revoke.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, test } from 'node:test';
import { openDatabase } from '../../../server/src/db/connect';
import { dumpAll, type Dump } from '../../helpers/dbDump';
import { cliPath, copyExamples, runCli, sqliteUrl, tempDir } from '../cliRunner';

const built = fs.existsSync(cliPath) ? false : `needs the built CLI at ${cliPath} (npm run build)`;
const BUILTIN = ['Admin', 'Op', 'User', 'Viewer', 'Public'];

const config = (manageBuiltin: boolean) => `version: 1
airflow:
  version: "2.10"
manage_builtin: ${manageBuiltin}
roles:
  Viewer:
    tags: [finance_read]
    dag_permissions: [can_read, can_edit]
    cleanup: true
  Op:
    tags: [analytics_reporting_edit]
    dag_permissions: [can_delete]
    cleanup: true
  finance_auditor:
    tags: [finance_read]
    dag_permissions: [can_read]
    cleanup: true
`;

interface PlanJson {
  addGrants: { role: string }[];
  revokeGrants: { role: string }[];
  createRoles: { name: string }[];
  warnings: { code: string; role?: string; message: string }[];
}

describe('built-in roles are left alone unless manage_builtin: true', { skip: built }, () => {
  let root: string;
  let url: string;

  const dump = async (): Promise<Dump> => {
    const db = await openDatabase({ url, env: {} });
    try {
      return await dumpAll(db);
    } finally {
      await db.close();
    }
  };
  const builtinRows = (d: Dump): Record<string, string[]> => {
    const ids = new Map((d.get('ab_role') ?? []).map((r) => JSON.parse(r) as { id: number; name: string }).map((r) => [r.id, r.name]));
    const out: Record<string, string[]> = Object.fromEntries(BUILTIN.map((b) => [b, []]));
    for (const r of d.get('ab_permission_view_role') ?? []) {
      const name = ids.get(JSON.parse(r).role_id);
      if (name && BUILTIN.includes(name)) out[name]!.push(r);
    }
    out.roles = (d.get('ab_role') ?? []).filter((r) => BUILTIN.includes(JSON.parse(r).name));
    return out;
  };
  const write = (manage: boolean) => fs.writeFileSync(path.join(root, 'airflow-access.yaml'), config(manage));

  before(async () => {
    root = copyExamples();
    const dbFile = path.join(tempDir('ada-builtin-db-'), 'airflow.db');
    url = sqliteUrl(dbFile);
    const created = await runCli(['demo-db', dbFile], { cwd: root });
    assert.equal(created.code, 0, created.stderr);
    // A per-DAG grant on Viewer that cleanup would revoke if Viewer were managed.
    const db = await openDatabase({ url, env: {} });
    try {
      await db.run(
        `INSERT INTO ab_permission_view_role (permission_view_id, role_id)
         SELECT pv.id, (SELECT id FROM ab_role WHERE name = 'Viewer') FROM ab_permission_view pv
         JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu vm ON vm.id = pv.view_menu_id
         WHERE p.name = 'can_delete' AND vm.name = 'DAG:marketing_analyst_dag'`,
      );
      const n = await db.query("SELECT COUNT(*) AS n FROM ab_permission_view_role pvr JOIN ab_role r ON r.id = pvr.role_id JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id JOIN ab_view_menu vm ON vm.id = pv.view_menu_id WHERE r.name = 'Viewer' AND vm.name LIKE 'DAG:%'");
      assert.equal(Number(n[0]!.n), 1, 'the extra Viewer grant was not inserted');
    } finally {
      await db.close();
    }
  });

  test('plan: nothing for Viewer or Op, a warning names each', async () => {
    write(false);
    const res = await runCli(['plan', '--db', url, '--tag-source', 'workspace', '--json'], { cwd: root });
    assert.equal(res.code, 0, res.stderr);
    const plan = JSON.parse(res.stdout) as PlanJson;
    const touched = [...plan.addGrants, ...plan.revokeGrants].map((g) => g.role).filter((r) => BUILTIN.includes(r));
    assert.deepEqual(touched, [], 'the plan changes built-in roles');
    assert.ok(plan.addGrants.some((g) => g.role === 'finance_auditor'), 'the ordinary role is still planned');
    for (const r of ['Viewer', 'Op']) assert.ok(plan.warnings.some((w) => w.role === r || w.message.includes(`"${r}"`)), `no warning names ${r}: ${JSON.stringify(plan.warnings)}`);
    const text = await runCli(['plan', '--db', url, '--tag-source', 'workspace'], { cwd: root });
    assert.match(text.stdout, /Built-in role "Viewer" is not changed|Viewer.*manage_?[bB]uiltin/);
  });

  test('sync: every built-in role keeps identical rows; the ordinary role is synced', async () => {
    write(false);
    const before = await dump();
    const res = await runCli(['sync', '--db', url, '--tag-source', 'workspace', '--yes', '--snapshot-dir', tempDir('ada-builtin-snap-')], { cwd: root });
    assert.equal(res.code, 0, res.stderr);
    const after = await dump();
    assert.deepEqual(builtinRows(after), builtinRows(before));
    assert.notDeepEqual(after.get('ab_permission_view_role'), before.get('ab_permission_view_role'), 'nothing was synced at all');
  });

  test('with manage_builtin: true the same config does change Viewer (the switch works both ways)', async () => {
    write(true);
    const res = await runCli(['plan', '--db', url, '--tag-source', 'workspace', '--json'], { cwd: root });
    assert.equal(res.code, 0, res.stderr);
    const plan = JSON.parse(res.stdout) as PlanJson;
    assert.ok(plan.addGrants.some((g) => g.role === 'Viewer'), 'Viewer gets the mapped grants');
    assert.ok(plan.revokeGrants.some((g) => g.role === 'Viewer'), 'cleanup revokes the unexplained Viewer grant');
    assert.ok(![...plan.addGrants, ...plan.revokeGrants].some((g) => g.role === 'Admin'), 'Admin is never managed');
  });
});
