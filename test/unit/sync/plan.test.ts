/** Planner scope rules on a hand-built state (no database). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DbState } from '../../../server/src/db/state';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatPlanText, generateSyncDag, planToSql } from '../../../server/src/sync/format';
import { planSync } from '../../../server/src/sync/plan';
import { planContext } from '../../../server/src/sync/planContext';
import { makeConfig } from '../../helpers/dbConfig';

function state(): DbState {
  const roles = ['Admin', 'Viewer', 'Op', 'team', 'stranger'].map((name, i) => ({ id: i + 1, name }));
  const actions = ['can_read', 'can_edit', 'can_delete'].map((name, i) => ({ id: i + 1, name }));
  const resources = ['DAGs', 'DAG:a', 'DAG:b', 'DAG:gone'].map((name, i) => ({ id: i + 1, name }));
  const permissionViews: DbState['permissionViews'] = [];
  let id = 1;
  for (const r of resources) for (const a of actions) permissionViews.push({ id: id++, actionId: a.id, resourceId: r.id });
  const pv = (a: number, r: number) => permissionViews.find((p) => p.actionId === a && p.resourceId === r)!.id;
  const grants = [
    { id: 1, roleId: 2, permissionViewId: pv(1, 1) }, // Viewer can_read DAGs
    { id: 2, roleId: 4, permissionViewId: pv(1, 4) }, // team can_read DAG:gone (stale)
    { id: 3, roleId: 5, permissionViewId: pv(1, 2) }, // stranger can_read DAG:a (not in config)
    { id: 4, roleId: 3, permissionViewId: pv(3, 3) }, // Op can_delete DAG:b
  ];
  return {
    schema: { dialect: 'sqlite', airflowMajor: 2, activeColumn: 'is_active', hasDagTable: true, hasDagTag: true, fabTables: true, missingFabTables: [], dagRunResources: false, before210: false,
    hasLog: true, logColumns: [], alembicVersion: null, idExpr: {}, nameTypes: {}, hasUserRole: true },
    roles, actions, resources, permissionViews, grants,
    dags: [{ dagId: 'a', tags: ['t'] }, { dagId: 'b', tags: ['t', 'x'] }, { dagId: 'c', tags: ['new'] }],
    inactiveDagIds: ['gone'],
  };
}

const cfg = makeConfig([
  { name: 'team', tags: ['t'], dag: ['can_read'], dagRun: ['can_create'], cleanup: true },
  { name: 'Op', tags: ['x'], cleanup: true },
  { name: 'Admin', tags: ['t'] },
  { name: 'fresh', tags: ['new'], baseRole: 'Viewer' },
]);

test('plan: grants by tag, cleanup revokes only the configured role, never Admin/built-in/unnamed roles', () => {
  const p = planSync(state(), cfg, { tagSource: 'db' });
  assert.deepEqual(p.addGrants.filter((g) => g.role === 'team').map((g) => `${g.action} ${g.resource}`), ['can_read DAG:a', 'can_read DAG:b']);
  assert.deepEqual(p.revokeGrants.map((g) => `${g.role} ${g.action} ${g.resource}`), ['team can_read DAG:gone']);
  assert.ok(!p.addGrants.concat(p.revokeGrants).some((g) => ['Admin', 'Op', 'stranger', 'Viewer'].includes(g.role)));
  // Viewer's only grant here is can_read on "DAGs" (every DAG): a new role does not get it.
  assert.deepEqual(p.createRoles, [{ name: 'fresh', baseRole: 'Viewer', copied: 0, dagWideLeftOut: ['can_read'] }]);
  assert.ok(!p.addGrants.some((g) => g.resource === 'DAGs'));
  assert.deepEqual(p.createResources, ['DAG:c']);
  assert.ok(p.warnings.some((w) => w.code === 'dag-run-unsupported'));
  assert.ok(p.warnings.some((w) => w.code === 'admin-not-managed') && p.warnings.some((w) => w.code === 'builtin-not-managed'));
  assert.match(formatPlanText(p), /Plan: 3 to add, 1 to revoke, 1 role to create, 1 resource to create\./);
  assert.match(formatPlanText(p), /\+ role "fresh" \(copy of Viewer: 0 permissions, without its DAG-wide can_read on "DAGs"\)/);
  assert.equal(JSON.stringify(p), JSON.stringify(planSync(state(), cfg, { tagSource: 'db' })), 'stable JSON');
});

test('workspace tags: access_control DAGs flagged, tag differences listed', () => {
  const ws = [
    // access_control={}: Airflow keeps nothing, so the tag grant the plan adds is revoked.
    { dagId: 'a', tags: ['t'], file: '/w/a.py', hasAccessControl: true, accessControlKeeps: [] },
    { dagId: 'b', tags: ['y'], file: '/w/b.py', hasAccessControl: false },
  ];
  const p = planSync(state(), cfg, { tagSource: 'workspace', workspaceDags: ws });
  assert.ok(p.warnings.some((w) => w.code === 'access-control-reverts' && w.dagId === 'a'));
  assert.deepEqual(p.tagDiffs, [{ dagId: 'b', file: '/w/b.py', workspace: ['y'], deployed: ['t', 'x'] }]);
  assert.deepEqual(p.revokeGrants.map((g) => g.resource), ['DAG:gone']);
});

test('access_control that already lists the tag grant: no warning (the rule check and explain use)', () => {
  const ws = (keeps: string[] | undefined) => [{ dagId: 'a', tags: ['t'], file: '/w/a.py', hasAccessControl: true, ...(keeps ? { accessControlKeeps: keeps } : {}) }];
  const warned = (keeps: string[] | undefined) => planSync(state(), cfg, { tagSource: 'workspace', workspaceDags: ws(keeps) }).warnings.filter((w) => w.code === 'access-control-reverts');
  assert.deepEqual(warned(['team|DAGs|can_read']), []);
  // Listed for another action only, or another role: the added can_read is revoked.
  assert.deepEqual(warned(['team|DAGs|can_edit']).map((w) => w.message), [
    'DAG "a" sets access_control without "team": Airflow will revoke those tag-based grants on it the next time the DAG changes (Airflow 2 re-syncs a DAG only when its serialized form changes): until then the grant exists, and a tag sync after that puts it back, so access flaps. Add the role to access_control or remove it.',
  ]);
  // None, unset or unreadable access_control (no keeps): Airflow leaves the grants alone.
  assert.deepEqual(warned(undefined), []);
});

test('Airflow 2.6.2-2.7.0 (None wipes): one warning with when it happens; none on 2.6.1 or 2.7.1', () => {
  const on = (version: string) => planSync(state(), makeConfig([{ name: 'team', tags: ['t'], dag: ['can_read'] }], { version }), { tagSource: 'db' }).warnings.filter((w) => w.code === 'access-control-none-reverts');
  assert.deepEqual(on('2.7.0').map((w) => w.message), [
    'Airflow 2.7.0 revokes every per-DAG grant of a DAG without access_control: the grants this sync adds on such DAGs go the next time the DAG changes (Airflow 2 re-syncs a DAG only when its serialized form changes): until then the grant exists, and a tag sync after that puts it back, so access flaps. Upgrade to Airflow 2.7.1 or later, or list the roles in each DAG\'s access_control.',
  ]);
  assert.equal(on('2.6.2').length, 1);
  assert.deepEqual([on('2.6.1').length, on('2.7.1').length, on('3.0').length], [0, 0, 0]);
  assert.match(on('2.7')[0].message, /^On Airflow 2\.7\.0 a DAG without access_control loses every per-DAG grant/);
});

const python3 = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

/** The STATEMENTS table of a generated sync DAG, read back by Python itself (ast, no Airflow needed). */
function statementsOf(file: string): Record<string, [string, string, string[]][]> {
  const script = [
    'import ast, json, sys',
    'tree = ast.parse(open(sys.argv[1]).read())',
    'node = next(n.value for n in tree.body if isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "STATEMENTS" for t in n.targets))',
    'value = json.loads(ast.literal_eval(node.args[0])) if isinstance(node, ast.Call) else ast.literal_eval(node)',
    'print(json.dumps(value))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
}

test('generated sync DAG is valid Python and embeds the plan statements', { skip: python3 ? false : 'needs python3 on PATH to compile and read the generated DAG; skipped' }, () => {
  const p = planSync(state(), cfg, { tagSource: 'db' });
  const py = generateSyncDag(p, { dagId: 'access_sync' });
  assert.match(py, /dag_id="access_sync"/);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ada-')), 'sync_dag.py');
  fs.writeFileSync(file, py);
  execFileSync('python3', ['-m', 'py_compile', file], { stdio: 'pipe' });
  const statements = statementsOf(file);
  assert.deepEqual(Object.keys(statements).sort(), ['mysql', 'postgresql', 'sqlite']);
  for (const [dialect, steps] of Object.entries(statements)) {
    // The plan: 1 role, 1 resource, 1 permission-view (can_read on DAG:c for fresh), 4 grants, 1 revocation, then the audit row.
    assert.deepEqual(steps.map((s) => s[0]), ['create 1 role(s)', 'create 1 resource(s)', 'create 1 permission(s)', 'add 3 grant(s)', 'revoke 1 grant(s)', 'audit'], dialect);
    const [, createRole, roleParams] = steps[0];
    assert.match(createRole, /INSERT (?:OR )?(?:IGNORE )?INTO ab_role/i, dialect);
    assert.ok(roleParams.join(' ').includes('fresh'), `${dialect}: the new role's name is bound: ${roleParams}`);
    assert.match(steps[1][1], /INSERT (?:OR )?(?:IGNORE )?INTO ab_view_menu/i, dialect);
    assert.ok(steps[1][2].join(' ').includes('DAG:c'), dialect);
    const [, add, addParams] = steps[3];
    assert.match(add, /INSERT (?:OR )?(?:IGNORE )?INTO ab_permission_view_role/i, dialect);
    for (const want of ['team', 'DAG:a', 'DAG:b', 'can_read']) assert.ok(addParams.join(' ').includes(want), `${dialect}: grant parameters name ${want}: ${addParams}`);
    const [, revoke, revokeParams] = steps[4];
    assert.match(revoke, /DELETE .*ab_permission_view_role/i, dialect);
    assert.ok(revokeParams.join(' ').includes('DAG:gone'), `${dialect}: ${revokeParams}`);
    for (const [label, sql, params] of steps) {
      assert.doesNotMatch(sql, /\?/, `${dialect} ${label}: placeholders are named for SQLAlchemy`);
      assert.equal((sql.match(/:p\d+/g) ?? []).length, params.length, `${dialect} ${label}: one value per placeholder`);
    }
  }
});

test('plan: the same state with sparse, huge ids (lookups by Map instead of arrays) plans the same changes, with its own ids', () => {
  const dense = state();
  const sparse = state();
  // Ids far apart and beyond any array size; each table shifted differently.
  const remap = (id: number, k: number) => id * 2 ** 20 + k * 2 ** 40;
  sparse.roles.forEach((r) => (r.id = remap(r.id, 1)));
  sparse.actions.forEach((a) => (a.id = remap(a.id, 2)));
  sparse.resources.forEach((r) => (r.id = remap(r.id, 3)));
  sparse.permissionViews.forEach((p) => Object.assign(p, { id: remap(p.id, 4), actionId: remap(p.actionId, 2), resourceId: remap(p.resourceId, 3) }));
  sparse.grants.forEach((g) => Object.assign(g, { id: remap(g.id, 5), roleId: remap(g.roleId, 1), permissionViewId: remap(g.permissionViewId, 4) }));
  const a = planSync(dense, cfg, { tagSource: 'db' });
  const b = planSync(sparse, cfg, { tagSource: 'db' });
  assert.equal(JSON.stringify(b), JSON.stringify(a));
  const ia = planContext(a)!.ids;
  const ib = planContext(b)!.ids;
  assert.deepEqual(ib.addRoleId, ia.addRoleId.map((id) => (id < 0 ? id : remap(id, 1))));
  assert.deepEqual(ib.addPvId, ia.addPvId.map((id) => (id < 0 ? id : remap(id, 4))));
  assert.deepEqual(ib.revokeRow, ia.revokeRow.map((r) => ({ id: remap(r.id, 5), pv: remap(r.pv, 4), role: remap(r.role, 1) })));
  assert.ok(ia.addPvId.some((id) => id >= 0) && ia.revokeRow.length > 0, 'the plan writes by ids');
});

test('plan --format sql: each dialect header names its own client; MySQL sets utf8mb4 first', () => {
  const plan = planSync(state(), cfg, { tagSource: 'db' });
  const header = (dialect: 'postgres' | 'mysql' | 'sqlite') => planToSql(plan, { dialect }).split('\n').slice(0, 4).join('\n');
  assert.match(header('postgres'), /run it with psql -v ON_ERROR_STOP=1 -f this\.sql$/m);
  assert.match(header('mysql'), /run it with mysql --default-character-set=utf8mb4 < this\.sql/m);
  assert.match(header('sqlite'), /run it with sqlite3 -bail \/path\/to\/airflow\.db < this\.sql$/m);
  assert.doesNotMatch(header('mysql') + header('sqlite'), /psql/);
  assert.match(planToSql(plan, { dialect: 'mysql' }), /\n\nSET NAMES utf8mb4;\nSELECT GET_LOCK\(/);
  assert.doesNotMatch(planToSql(plan, { dialect: 'postgres' }) + planToSql(plan, { dialect: 'sqlite' }), /SET NAMES/);
});

test('MySQL utf8mb4_unicode_ci: configured names equal to an existing, built-in or earlier configured role are not created (role-case-clash)', () => {
  const s = state();
  s.schema = { ...s.schema, dialect: 'mysql', nameTypes: { ab_role: 'VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci' } };
  s.roles = s.roles.filter((r) => r.name !== 'Op');
  const config = makeConfig(['team ', 'Te\u200bam', '\uff34eam', 'Op\u00a0', 'newbie', 'NEWBIE', 'other'].map((name) => ({ name, tags: ['t'] })));
  const p = planSync(s, config, { tagSource: 'db' });
  assert.deepEqual(p.createRoles.map((r) => r.name), ['newbie', 'other']);
  assert.deepEqual([...new Set(p.addGrants.filter((g) => g.dagId).map((g) => g.role))].sort(), ['newbie', 'other']);
  const clash = Object.fromEntries(p.warnings.filter((w) => w.code === 'role-case-clash').map((w) => [w.role, w.message]));
  assert.deepEqual(Object.keys(clash).sort(), ['NEWBIE', 'Op\u00a0', 'Te\u200bam', 'team ', '\uff34eam'].sort());
  assert.match(clash['team '], /^Role "team " differs from existing role "team" only by trailing spaces; MySQL\/MariaDB \(utf8mb4_unicode_ci\) treat them as the same name/);
  assert.match(clash['Op\u00a0'], /differs from built-in role "Op"/);
  assert.match(clash.NEWBIE, /differs from configured role "newbie" only by case/);
  // The same names on SQLite are different roles.
  const sqlite = planSync(state(), config, { tagSource: 'db' });
  assert.equal(sqlite.warnings.filter((w) => w.code === 'role-case-clash').length, 0);
});

/** A state where custom roles already hold DAG-wide grants (copied from Viewer by hand, as seed 000 says). */
function copiedByHand(): DbState {
  const s = state();
  s.roles.push({ id: 6, name: 'marketing' });
  const pv = (a: number, r: number) => s.permissionViews.find((p) => p.actionId === a && p.resourceId === r)!.id;
  s.grants.push({ id: 10, roleId: 6, permissionViewId: pv(1, 1) }, { id: 11, roleId: 6, permissionViewId: pv(2, 1) }, { id: 12, roleId: 4, permissionViewId: pv(1, 1) });
  return s;
}

test('plan: an existing role with DAG-wide grants is shown with the tags it makes pointless, and kept without revoke_dag_wide', () => {
  const c = makeConfig([{ name: 'marketing', tags: ['t', 'x'], dag: ['can_read'], cleanup: true }]);
  const p = planSync(copiedByHand(), c, { tagSource: 'db' });
  const w = p.warnings.filter((x) => x.code === 'role-dag-wide');
  assert.deepEqual(w.map((x) => x.message), [
    'Role "marketing" can read, edit every DAG: it holds can_read, can_edit on "DAGs" in the database. Its tags "t", "x" restrict nothing. Set revoke_dag_wide: true on the role to have the sync revoke them.',
  ]);
  assert.ok(!p.revokeGrants.some((g) => g.resource === 'DAGs'), 'cleanup alone never touches "DAGs"');
  assert.match(formatPlanText(p), /! Role "marketing" can read, edit every DAG/);
});

test('plan: revoke_dag_wide revokes exactly the role\'s DAG-wide grants, never another role\'s or a built-in\'s', () => {
  const c = makeConfig([
    { name: 'marketing', tags: ['t'], dag: ['can_read', 'can_edit'], revokeDagWide: true },
    { name: 'team', tags: ['t'], cleanup: false },
    { name: 'Viewer', tags: ['t'], revokeDagWide: true },
  ]);
  const p = planSync(copiedByHand(), c, { tagSource: 'db' });
  assert.deepEqual(p.revokeGrants.map((g) => `${g.role} ${g.action} ${g.resource} (${g.reason})`), [
    'marketing can_edit DAGs (DAG-wide grant (every DAG); the role has revoke_dag_wide: true)',
    'marketing can_read DAGs (DAG-wide grant (every DAG); the role has revoke_dag_wide: true)',
  ]);
  assert.ok(planContext(p)!.ids.revokeRow.every((r) => r.role === 6), 'the revoked rows are the role\'s own');
  const w = p.warnings.filter((x) => x.code === 'role-dag-wide').map((x) => x.message);
  assert.deepEqual(w, [
    'Role "marketing" can read, edit every DAG: it holds can_read, can_edit on "DAGs" in the database. Its tag "t" restricts nothing. The sync revokes these grants (revoke_dag_wide: true).',
    'Role "team" can read every DAG: it holds can_read on "DAGs" in the database. Its tag "t" restricts nothing. Set revoke_dag_wide: true on the role to have the sync revoke them.',
  ]);
});

test('plan: base_role_dag_wide: true copies the base role\'s DAG-wide grants and says what the tags still add', () => {
  const c = makeConfig([{ name: 'fresh', tags: ['new'], dag: ['can_read', 'can_edit'], baseRoleDagWide: true }]);
  const p = planSync(state(), c, { tagSource: 'db' });
  assert.deepEqual(p.createRoles, [{ name: 'fresh', baseRole: 'Viewer', copied: 1 }]);
  assert.deepEqual(p.addGrants.filter((g) => g.dagId === null).map((g) => `${g.action} ${g.resource}`), ['can_read DAGs']);
  assert.deepEqual(p.warnings.filter((x) => x.code === 'role-dag-wide').map((x) => x.message), [
    'Role "fresh" can read every DAG: base_role_dag_wide: true copies Viewer\'s can_read on "DAGs". Its tag "new" only adds can_edit. Remove base_role_dag_wide to give it only the DAGs its tags grant.',
  ]);
});

test('built-in roles User, Public, Op and Viewer are left alone unless manage_builtin is set; Admin always', () => {
  const st = state();
  st.roles.push({ id: 6, name: 'User' }, { id: 7, name: 'Public' });
  const specs = ['User', 'Public', 'Op', 'Viewer', 'Admin'].map((name) => ({ name, tags: ['t'], cleanup: true }));
  const p = planSync(st, makeConfig(specs), { tagSource: 'db' });
  assert.deepEqual(p.addGrants, []);
  assert.deepEqual(p.revokeGrants, []);
  assert.deepEqual(p.createRoles, []);
  assert.deepEqual(p.warnings.filter((w) => w.code === 'builtin-not-managed').map((w) => w.role), ['User', 'Public', 'Op', 'Viewer']);
  assert.deepEqual(p.warnings.filter((w) => w.code === 'admin-not-managed').map((w) => w.role), ['Admin']);
  const managed = planSync(st, makeConfig(specs, { manageBuiltin: true }), { tagSource: 'db' });
  assert.deepEqual(
    managed.addGrants.map((g) => `${g.role} ${g.action} ${g.resource}`).sort(),
    ['Op can_read DAG:a', 'Op can_read DAG:b', 'Public can_read DAG:a', 'Public can_read DAG:b', 'User can_read DAG:a', 'User can_read DAG:b', 'Viewer can_read DAG:a', 'Viewer can_read DAG:b'],
  );
  // cleanup on a managed built-in role revokes its per-DAG grant the tags no longer explain.
  assert.deepEqual(managed.revokeGrants.map((g) => `${g.role} ${g.action} ${g.resource}`), ['Op can_delete DAG:b']);
});

test('a new role whose base role does not exist is created empty, with warning base-role-missing', () => {
  const p = planSync(state(), makeConfig([{ name: 'orphan', tags: ['new'], baseRole: 'Ghost' }]), { tagSource: 'db' });
  assert.deepEqual(p.createRoles, [{ name: 'orphan', baseRole: null, copied: 0 }]);
  assert.deepEqual(p.warnings.filter((w) => w.code === 'base-role-missing').map((w) => [w.role, w.message]), [
    ['orphan', 'Base role "Ghost" of new role "orphan" does not exist; the role is created without base permissions.'],
  ]);
  assert.deepEqual(p.addGrants.map((g) => `${g.role} ${g.action} ${g.resource} (${g.reason})`), ['orphan can_read DAG:c (tag "new")']);
  // With an existing base role there is no such warning and the base role's grants are copied, but
  // for its DAG-wide access (Viewer's only grant in this state is can_read on "DAGs").
  const ok = planSync(state(), makeConfig([{ name: 'orphan', tags: ['new'], baseRole: 'Viewer' }]), { tagSource: 'db' });
  assert.deepEqual(ok.warnings.filter((w) => w.code === 'base-role-missing'), []);
  assert.deepEqual(ok.createRoles, [{ name: 'orphan', baseRole: 'Viewer', copied: 0, dagWideLeftOut: ['can_read'] }]);
});

test('MySQL: a configured role differing from an existing one only by case is not created (role-case-clash)', () => {
  const mysqlState = () => {
    const st = state();
    st.schema = { ...st.schema, dialect: 'mysql' };
    return st;
  };
  const config = makeConfig([{ name: 'TEAM', tags: ['t'] }]);
  const p = planSync(mysqlState(), config, { tagSource: 'db' });
  assert.deepEqual(p.createRoles, []);
  assert.deepEqual(p.addGrants, []);
  assert.deepEqual(p.warnings.filter((w) => w.code === 'role-case-clash').map((w) => [w.role, w.message]), [
    ['TEAM', 'Role "TEAM" differs from existing role "team" only by case; MySQL/MariaDB treat them as the same name, so it is not created and gets no grants.'],
  ]);
  // SQLite and PostgreSQL compare role names with case: TEAM is a role of its own there.
  const sqlite = planSync(state(), config, { tagSource: 'db' });
  assert.deepEqual(sqlite.createRoles.map((r) => r.name), ['TEAM']);
  assert.deepEqual(sqlite.warnings.filter((w) => w.code === 'role-case-clash'), []);
});

test('generated sync DAG: default id and tags, the same sync lock as apply, an audit row naming the DAG; a bad dag_id is refused', { skip: python3 ? false : 'needs python3 on PATH to read the generated DAG; skipped' }, () => {
  const p = planSync(state(), cfg, { tagSource: 'db' });
  assert.throws(() => generateSyncDag(p, { dagId: 'bad id!' }), /^Error: Invalid DAG id "bad id!": use letters, digits, _, - and \. only\.$/);
  assert.throws(() => generateSyncDag(p, { dagId: 'ok\nimport os' }), /Invalid DAG id/);
  const py = generateSyncDag(p);
  assert.match(py, /^ {4}dag_id="airflow_dag_access_sync",$/m);
  assert.match(py, /^ {4}tags=\["airflow-dag-access"\],$/m);
  assert.match(generateSyncDag(p, { tags: ['ops', 'rbac'] }), /^ {4}tags=\["ops","rbac"\],$/m);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ada-')), 'sync_dag.py');
  fs.writeFileSync(file, generateSyncDag(p, { dagId: 'access_sync' }));
  const locks = JSON.parse(
    execFileSync('python3', ['-c', 'import ast, json, sys\nt = ast.parse(open(sys.argv[1]).read())\nprint(json.dumps(next(ast.literal_eval(n.value) for n in t.body if isinstance(n, ast.Assign) and any(getattr(x, "id", None) == "LOCKS" for x in n.targets))))', file], { encoding: 'utf8' }),
  );
  assert.match(locks.postgresql[0], /^SELECT pg_advisory_xact_lock\(\d+\)$/);
  assert.equal(locks.postgresql[1], '', 'the transaction-level advisory lock ends with the transaction: no release statement');
  assert.match(locks.mysql[0], /^SELECT GET_LOCK\('[\w.-]+', 60\)$/);
  assert.match(locks.mysql[1], /^SELECT RELEASE_LOCK\('[\w.-]+'\)$/);
  assert.deepEqual(locks.sqlite, ['', '']);
  for (const [dialect, steps] of Object.entries(statementsOf(file))) {
    const audit = steps.at(-1)!;
    assert.equal(audit[0], 'audit', dialect);
    assert.match(audit[1], /INSERT INTO log/i, dialect);
    assert.ok(audit[2].includes('airflow-dag-access sync') && audit[2].includes('airflow-access (dag access_sync)'), `${dialect}: ${audit[2]}`);
  }
});
