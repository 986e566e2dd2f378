/**
 * Under auth managers other than FAB: ADA031 on access tags and access_control, no ADA001 / ADA010 / ADA023,
 * the hover on a dag_id answers per role and user (users read from the workspace's airflow.cfg), no drift.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { createDemoDatabase } from '../../../server/src/sync/demo';
import { runConfigRules } from '../../../server/src/rules';
import { hoverMarkdown } from '../../../server/src/lsp/features/hover';
import { CONFIG, dag, findings, workspace } from './helpers';
import { memFindings } from './memoryContext';

const withAm = (am: string) => CONFIG.replace('airflow:\n  version: "2.10"\n', `airflow:\n  version: "3.1"\n  auth_manager: ${am}\n`);
const DAG = dag('"d", tags=["sales_edit", "audit_raed", "nightly"], access_control={"sales": {"can_read"}}');

for (const [am, label] of [['simple', 'simple auth manager'], ['keycloak', 'Keycloak auth manager'], ['aws', 'AWS auth manager'], ['file', 'file auth manager']]) {
  test(`ADA031 under ${am}: the mapped tag${am === 'file' ? '' : ', the near-miss tag'} and access_control, each at its range; no ADA001 or ADA010`, async () => {
    const all = await memFindings({ 'airflow-access.yaml': withAm(am), 'dags/d.py': DAG });
    const ada031 = all.filter((f) => f.code === 'ADA031');
    const expected = am === 'file' ? 2 : 3;
    assert.equal(ada031.length, expected, JSON.stringify(all.map((f) => f.code)));
    for (const f of ada031) {
      assert.equal(f.severity, 'warning');
      assert.match(f.message, new RegExp(`no effect under the ${label}|${label} has no per-DAG permissions`));
    }
    assert.equal(ada031[0].range.start.line, 1);
    assert.equal(ada031[0].range.start.character, 20, 'at the tag sales_edit');
    assert.ok(ada031.some((f) => /access_control/.test(f.message)));
    assert.deepEqual(all.filter((f) => f.code === 'ADA001' || f.code === 'ADA010').map((f) => f.code), []);
  });
}

test('under FAB the same DAG gets no ADA031 (and ADA001 on the near miss as before)', async () => {
  const all = await memFindings({ 'airflow-access.yaml': withAm('fab'), 'dags/d.py': DAG });
  assert.deepEqual(all.filter((f) => f.code === 'ADA031'), []);
  assert.ok(all.some((f) => f.code === 'ADA001'));
});

test('hover on the dag_id under simple: per role and per user, users from the airflow.cfg at the workspace root', async () => {
  const ws = await workspace({
    'airflow-access.yaml': withAm('simple'),
    'dags/d.py': DAG,
    'airflow.cfg': '[core]\nsimple_auth_manager_users = bob:admin,peter:viewer\n',
  });
  try {
    const md = hoverMarkdown(ws.project, ws.file('dags/d.py'), { line: 1, character: 10 })!.markdown;
    assert.match(md, /\*\*Simple auth manager\*\*: .*users from airflow\.cfg:2/);
    assert.match(md, /\| viewer \| ✓ \| — \| — \| — \| peter \|/);
    assert.match(md, /\| admin \| ✓ \| ✓ \| ✓ \| ✓ \| bob \|/);
    assert.match(md, /\| peter \| viewer \| read \|/);
    assert.match(md, /\| bob \| admin \| read, trigger, edit, delete \|/);
    assert.match(md, /⚠ Tag 'sales_edit' maps to 'sales', but it has no effect under the simple auth manager/);
    assert.match(md, /\| user \| ✓ \| ✓ \| ✓ \| ✓ \| — \|/, 'the matrix row of a role nobody holds');
    assert.doesNotMatch(md, /\| user \*\(default\)\*/, 'not in the access table: nobody holds it');
    const tag = hoverMarkdown(ws.project, ws.file('dags/d.py'), { line: 1, character: 22 })!.markdown;
    assert.match(tag, /role `sales`/);
    assert.match(tag, /\*No effect under the simple auth manager: Airflow reads no FAB grants there/);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

test('hover under keycloak shows what Airflow asks Keycloak, no role table', async () => {
  const ws = await workspace({ 'airflow-access.yaml': withAm('keycloak'), 'dags/d.py': DAG });
  try {
    const md = hoverMarkdown(ws.project, ws.file('dags/d.py'), { line: 1, character: 10 })!.markdown;
    assert.match(md, /DAG access is decided by Keycloak authorization services/);
    assert.match(md, /\| trigger \| `Dag#POST` \| `d` \| `RUN` \|/);
    assert.doesNotMatch(md, /\| Role \| DAG \| DAG Runs \| Via \|/);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

test('with a database under simple: no ADA023 (role missing) and no ADA024 drift', async () => {
  const ws = await workspace({ 'airflow-access.yaml': withAm('simple'), 'dags/d.py': DAG }, { safeMode: false, database: { url: 'sqlite:///.airflow/airflow.db' } });
  try {
    await createDemoDatabase(path.join(ws.root, '.airflow', 'airflow.db'), { dags: [{ dagId: 'd', tags: ['sales_edit'] }] });
    assert.equal(await ws.project.db.connect(null), 'connected', ws.project.db.message);
    assert.equal(ws.project.db.drift(), null);
    assert.deepEqual(runConfigRules(ws.project).filter((f) => f.code === 'ADA023' || f.code === 'ADA024'), []);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

test('file auth manager: the users_file of the config is read, so the hover lists who holds each role', async () => {
  const ws = await workspace({
    'airflow-access.yaml': `${withAm('file')}users_file: users.yaml\n`,
    'users.yaml': 'users:\n  - username: ana\n    role: editor\n  - username: vic\n    role: viewer\n',
    'dags/d.py': DAG,
  });
  try {
    const access = ws.project.dagAccess(ws.file('dags/d.py'), ws.project.getFile(ws.file('dags/d.py'))!.dags[0])!;
    assert.deepEqual(access.roles.map((r) => r.role), ['viewer', 'editor'], 'admin holds nobody');
    const md = hoverMarkdown(ws.project, ws.file('dags/d.py'), { line: 1, character: 10 })!.markdown;
    assert.match(md, /^\*\*editor\*\* \*\(default role\)\* — read, edit, delete · runs: [a-z, ]+\n- file auth manager role \(users: ana\)$/m);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

// ADA020 says a role gets nothing from a tag no DAG uses; under another auth manager the role's tags
// grant nothing anyway (ADA031 says so on the DAG side), so "unused" would point at the wrong problem.
for (const am of ['simple', 'keycloak', 'aws', 'file']) {
  test(`no ADA020 (unused config tag) under ${am}; under FAB the same config gets it`, async () => {
    const files = { 'airflow-access.yaml': withAm(am), 'dags/d.py': dag('"d", tags=["nightly"]') };
    assert.deepEqual(await memFindings(files, 'airflow-access.yaml', 'ADA020'), []);
    const fab = await memFindings({ ...files, 'airflow-access.yaml': withAm('fab') }, 'airflow-access.yaml', 'ADA020');
    assert.deepEqual(fab.map((f) => f.message.match(/tag '(\w+)'/)?.[1]).sort(), ['audit_read', 'sales_edit']);
  });
}

// ADA026 (a role reads every DAG through a DAG-wide grant) is about FAB roles: under another auth manager
// no FAB grant is read, so the warning would be noise.
for (const am of ['simple', 'keycloak', 'aws', 'file']) {
  test(`no ADA026 (role reads every DAG) under ${am}; under FAB the same config gets it`, async () => {
    const wide = (m: string) => withAm(m).replace('  audit:\n', '  audit:\n    base_role_dag_wide: true\n');
    assert.deepEqual(await memFindings({ 'airflow-access.yaml': wide(am) }, 'airflow-access.yaml', 'ADA026'), []);
    const fab = await memFindings({ 'airflow-access.yaml': wide('fab') }, 'airflow-access.yaml', 'ADA026');
    assert.deepEqual(fab.map((f) => f.message.match(/^Role "(\w+)"/)?.[1]), ['audit']);
  });
}
