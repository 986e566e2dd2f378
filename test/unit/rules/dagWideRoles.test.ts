/**
 * DAG-wide access of config roles (the 'DAGs' resource): ADA026 names the source and the tags it
 * makes pointless; ADA010 and explain agree on whether a custom role reaches a DAG.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../../server/src/db/connect';
import { createDemoDatabase } from '../../../server/src/sync/demo';
import { customRolesReaching } from '../../../server/src/engine/reach';
import { explainText } from '../../../server/src/cli/output/access';
import { runConfigRules, runRules } from '../../../server/src/rules';
import { CONFIG, dag, findings, workspace } from './helpers';
import { memFindings } from './memoryContext';

const plain = { bold: (s: string) => s, dim: (s: string) => s, cyan: (s: string) => s, red: (s: string) => s, yellow: (s: string) => s, green: (s: string) => s } as never;

/** The demo database with a custom role 'audit' that holds can_read on "DAGs", as if copied from Viewer by hand. */
async function auditCopiedFromViewer(dbFile: string): Promise<void> {
  await createDemoDatabase(dbFile, { dags: [{ dagId: 'd', tags: ['platform'] }] });
  const db = await openDatabase({ url: `sqlite:///${dbFile}`, env: {} });
  try {
    await db.run("INSERT INTO ab_role (name) VALUES ('audit')");
    await db.run(
      "INSERT INTO ab_permission_view_role (permission_view_id, role_id) SELECT pv.id, r.id FROM ab_permission_view pv JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id, ab_role r WHERE p.name = 'can_read' AND v.name = 'DAGs' AND r.name = 'audit'",
    );
  } finally {
    await db.close();
  }
}

test('a config role holding can_read on "DAGs" in the database: ADA026 at its name, and ADA010 agrees with explain', async () => {
  const ws = await workspace({ 'dags/d.py': dag('"d", tags=["platform"]') }, { safeMode: false, database: { url: 'sqlite:///.airflow/airflow.db' } });
  try {
    // Without the database, no custom role reaches d: ADA010, and explain says the same.
    const before = ws.project.dagAccess(ws.file('dags/d.py'), ws.project.getFile(ws.file('dags/d.py'))!.dags[0])!;
    assert.deepEqual(customRolesReaching(before), []);
    assert.equal(runRules(ws.project, ws.file('dags/d.py')).filter((f) => f.code === 'ADA010').length, 1);

    await auditCopiedFromViewer(path.join(ws.root, '.airflow', 'airflow.db'));
    assert.equal(await ws.project.db.connect(null), 'connected', ws.project.db.message);
    ws.project.notifyDbChanged();
    const [f, ...rest] = runConfigRules(ws.project).filter((x) => x.code === 'ADA026');
    assert.equal(rest.length, 0, 'only audit holds DAG-wide access');
    assert.equal(f.severity, 'warning');
    assert.equal(f.message, 'Role "audit" can read every DAG: it holds can_read on "DAGs" in the database. Its tag "audit_read" restricts nothing. Set revoke_dag_wide: true on the role to have the sync revoke them.');
    assert.equal(f.range.start.line, CONFIG.split('\n').indexOf('  audit:'), 'at the role name in the YAML');

    // explain lists audit on d (DAG-wide), so ADA010 must not say that no custom role reaches d.
    const access = ws.project.dagAccess(ws.file('dags/d.py'), ws.project.getFile(ws.file('dags/d.py'))!.dags[0])!;
    assert.deepEqual(customRolesReaching(access).map((r) => r.role), ['audit']);
    const at = { start: { line: 1, character: 9 }, end: { line: 1, character: 12 } };
    const text = explainText({ dagId: 'd', file: ws.file('dags/d.py'), range: at }, access, (p) => path.relative(ws.root, p), plain);
    assert.match(text, /^ {2}audit {2}read {2}\[DAG-wide: read on every DAG\]$/m);
    assert.match(text, /via database grant on "DAGs" \(DAG-wide: every DAG\): read/);
    assert.match(text, /^ {2}Default roles \(DAG-wide, every DAG\): Admin, Op, User: read, edit, delete .*· Viewer: read/m);
    assert.doesNotMatch(text, /No custom role reaches it/);
    assert.deepEqual(runRules(ws.project, ws.file('dags/d.py')).filter((x) => x.code === 'ADA010'), []);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

test('ADA026 without a database: base_role_dag_wide: true on a role from Viewer; nothing by default', async () => {
  const wide = CONFIG.replace('  audit:\n', '  audit:\n    base_role_dag_wide: true\n');
  const [f, ...rest] = await memFindings({ 'airflow-access.yaml': wide }, 'airflow-access.yaml', 'ADA026');
  assert.equal(rest.length, 0);
  assert.equal(f.message, 'Role "audit" can read every DAG: base_role_dag_wide: true copies Viewer\'s can_read on "DAGs". Its tag "audit_read" restricts nothing. Remove base_role_dag_wide to give it only the DAGs its tags grant.');
  assert.deepEqual(await memFindings({}, 'airflow-access.yaml', 'ADA026'), [], 'by default a role from Viewer reads only its tagged DAGs');
  // With that option, explain shows the role on an untagged DAG, DAG-wide; by default it is absent.
  const ws = await workspace({ 'airflow-access.yaml': wide, 'dags/d.py': dag('"d", tags=["platform"]') });
  try {
    const access = ws.project.dagAccess(ws.file('dags/d.py'), ws.project.getFile(ws.file('dags/d.py'))!.dags[0])!;
    assert.deepEqual(customRolesReaching(access).map((r) => r.role), ['audit']);
    assert.deepEqual(runRules(ws.project, ws.file('dags/d.py')).filter((x) => x.code === 'ADA010'), []);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});
