/** ADA009, ADA010 (message), ADA013 (and the hover on that dag_id), ADA023, ADA024 and ADA091. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { createDemoDatabase } from '../../../server/src/sync/demo';
import { runConfigRules, runRules } from '../../../server/src/rules';
import { CONFIG, dag, findings, workspace } from './helpers';
import { hoverMarkdown } from '../../../server/src/lsp/features/hover';
import { memFindings } from './memoryContext';

const PUBLIC_BASE = `version: 1
airflow:
  version: "2.10"
roles:
  editors:
    tags: [editors_edit]
    dag_permissions: [can_edit]
    base_role: Public
  readers:
    tags: [readers_read]
    dag_permissions: [can_read]
    base_role: Public
`;

test('ADA009: a role that can edit but not read the DAG, reported at the tag that grants it', async () => {
  const [f, ...rest] = await memFindings({ 'airflow-access.yaml': PUBLIC_BASE, 'dags/d.py': dag('"d", tags=["editors_edit", "readers_read"]') }, 'dags/d.py', 'ADA009');
  assert.equal(rest.length, 0, 'readers can read');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /^Role 'editors' can can_edit this DAG but not can_read: the UI does not list it for that role/);
  assert.deepEqual(f.range, { start: { line: 1, character: 20 }, end: { line: 1, character: 34 } });
});

test('ADA009: an access_control entry with can_edit only is reported at the role; with can_read it is fine', async () => {
  const [f] = await memFindings({ 'airflow-access.yaml': PUBLIC_BASE, 'dags/d.py': dag('"d", access_control={"editors": {"can_edit"}}') }, 'dags/d.py', 'ADA009');
  assert.match(f.message, /Role 'editors'/);
  assert.equal(f.range.start.line, 1);
  const ok = await memFindings({ 'airflow-access.yaml': PUBLIC_BASE, 'dags/d.py': dag('"d", access_control={"editors": {"can_edit", "can_read"}}') }, 'dags/d.py', 'ADA009');
  assert.equal(ok.length, 0);
});

test('ADA010 says that no custom role has a grant on the DAG, while the default roles still reach it', async () => {
  const [f] = await memFindings({ 'dags/d.py': dag('"d", tags=["platform"]') }, 'dags/d.py', 'ADA010');
  assert.match(f.message, /^No custom role has a grant on DAG 'd': no access tag, access_control entry or database grant \(per-DAG or DAG-wide\) gives a role other than Airflow's defaults access to it\./);
  assert.match(f.message, /Viewer, User and Op read every DAG/);
  // A grant to a default role in access_control does not count; one to a custom role does.
  assert.equal((await memFindings({ 'dags/d.py': dag('"d", access_control={"Viewer": {"can_read"}}') }, 'dags/d.py', 'ADA010')).length, 1);
  assert.equal((await memFindings({ 'dags/d.py': dag('"d", access_control={"audit": {"can_read"}}') }, 'dags/d.py', 'ADA010')).length, 0);
  // A tag grant that access_control reverts does not count either.
  assert.equal((await memFindings({ 'dags/d.py': dag('"d", tags=["sales_edit"], access_control={}') }, 'dags/d.py', 'ADA010')).length, 1);
});

test('ADA013: a dag_id or tags computed at run time are reported as information', async () => {
  const src = 'from airflow import DAG\nfor team in ["a", "b"]:\n    with DAG(f"etl_{team}", tags=make_tags(team)) as dag:\n        pass\n';
  const out = await memFindings({ 'dags/d.py': src }, 'dags/d.py', 'ADA013');
  assert.equal(out.length, 2, JSON.stringify(out));
  assert.ok(out.every((f) => f.severity === 'info'));
  assert.match(out[0].message, /^The dag_id is computed at run time \(.+\); the editor cannot check its access\./);
  assert.match(out[1].message, /^These tags are computed at run time \(.+\); the editor ignores them\./);
  assert.equal((await memFindings({ 'dags/d.py': dag('"static_id", tags=["sales_edit"]') }, 'dags/d.py', 'ADA013')).length, 0);
});

test('hover on a dag_id computed at run time gives the same reason as ADA013 at that spot', async () => {
  const src = 'from airflow import DAG\nfor team in ["a", "b"]:\n    with DAG(f"etl_{team}", tags=["sales_edit"]) as dag:\n        pass\n';
  const ws = await workspace({ 'airflow-access.yaml': CONFIG, 'dags/d.py': src });
  try {
    const [finding] = (await memFindings({ 'airflow-access.yaml': CONFIG, 'dags/d.py': src }, 'dags/d.py', 'ADA013'));
    const hover = hoverMarkdown(ws.project, ws.file('dags/d.py'), { line: 2, character: 14 })!;
    assert.match(hover.markdown, /^The dag_id is computed at run time \(.*team.*\); the editor cannot check its access\./);
    assert.equal(hover.markdown, finding!.message);
    assert.deepEqual(hover.range, finding!.range);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

test('ADA091: suspicious but valid config values are warnings (hints as information), at their YAML node', async () => {
  const cfg = 'version: 1\nairflow:\n  version: 2.10\nroles:\n  r:\n    tags: [x_read, x_read]\n  empty:\n    dag_permissions: [can_read]\n';
  const out = await memFindings({ 'airflow-access.yaml': cfg }, 'airflow-access.yaml', 'ADA091');
  const version = out.find((f) => /Quote the version/.test(f.message))!;
  assert.equal(version.severity, 'warning');
  assert.equal(version.range.start.line, 2);
  const dup = out.find((f) => /listed twice/.test(f.message))!;
  assert.equal(dup.range.start.line, 5);
  const noTags = out.find((f) => /has no tags/.test(f.message))!;
  assert.equal(noTags.severity, 'info');
  assert.equal(noTags.range.start.line, 6);
});

test('ADA023 / ADA024 need a connected database: missing roles, then drift per role', async () => {
  const ws = await workspace({ 'dags/d.py': dag('"d", tags=["sales_edit"]') }, { safeMode: false, database: { url: 'sqlite:///.airflow/airflow.db' } });
  try {
    // Not connected yet: nothing.
    assert.deepEqual(runConfigRules(ws.project).filter((f) => f.code === 'ADA023' || f.code === 'ADA024'), []);
    await createDemoDatabase(path.join(ws.root, '.airflow', 'airflow.db'), { dags: [{ dagId: 'd', tags: ['sales_edit'] }] });
    assert.equal(await ws.project.db.connect(null), 'connected', ws.project.db.message);
    const out = runConfigRules(ws.project);
    const missing = out.filter((f) => f.code === 'ADA023');
    assert.deepEqual(missing.map((f) => f.message), [
      "Role 'sales' does not exist in the metadata database yet; the sync creates it (from Viewer) when applied.",
      "Role 'audit' does not exist in the metadata database yet; the sync creates it (from Viewer) when applied.",
    ]);
    assert.equal(missing[0].range.start.line, 5, 'at the role name in the YAML');
    const drift = out.find((f) => f.code === 'ADA024' && /'sales'/.test(f.message))!;
    assert.match(drift.message, /^Drift for role 'sales': \d+ grant\(s\) the config explains are not applied \(e\.g\. .+\)\. Plan and apply the sync to reconcile\.$/);
    // With the database connected, ADA004 knows its roles as well.
    assert.deepEqual(runRules(ws.project, ws.file('dags/d.py')).filter((f) => f.code === 'ADA004'), []);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

test('ADA004 says what the engine says of the unknown role (one text), at the role in access_control; with or without a database', async () => {
  const ws = await workspace({ 'dags/d.py': dag('"d", access_control={"salez": {"can_read"}, "sales": {"can_read"}}') }, { safeMode: false, database: { url: 'sqlite:///.airflow/airflow.db' } });
  const engineSays = () => {
    const ref = ws.project.allDags()[0]!;
    return ws.project.dagAccess(ref.file, ref.dag)!.conflicts.filter((c) => c.kind === 'unknown_role').map((c) => c.message);
  };
  const ada004 = () => runRules(ws.project, ws.file('dags/d.py')).filter((f) => f.code === 'ADA004');
  try {
    const [configOnly] = engineSays();
    assert.match(configOnly!, /^Role 'salez' is not in the config or the default roles: /);
    const noDb = ada004();
    assert.deepEqual(noDb.map((f) => f.message), [`${configOnly} Did you mean 'sales'?`]);
    assert.equal(noDb[0]!.range.start.line, 1, 'at the role name in the DAG file');
    // Connected to a database without the config roles: 'sales' is one the sync creates.
    await createDemoDatabase(path.join(ws.root, '.airflow', 'airflow.db'), { dags: [{ dagId: 'd', tags: [] }] });
    assert.equal(await ws.project.db.connect(null), 'connected', ws.project.db.message);
    ws.project.notifyDbChanged();
    const withDb = engineSays();
    assert.equal(withDb.length, 2);
    assert.match(withDb[1]!, /^Role 'sales' is not in the database's ab_role yet/);
    assert.deepEqual(ada004().map((f) => f.message), [withDb[0], withDb[1]]);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});
