/**
 * computeDagAccess reproduces Airflow's order of precedence for DAG-level permissions (seed 002
 * "Order of precedence" examples) and the version gates of access_control.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDagAccess } from '../../../server/src/engine/dagAccess';
import type { DagAccess, DbDagGrant } from '../../../server/src/model/access';
import { accessControl, config, dag, role } from './factBuilders';

const FILE = '/ws/dags/example.py';
const cfg = (version: string | null = '2.10') =>
  config([role('analytics_reporting', ['analytics_reporting_edit'], ['can_read', 'can_edit', 'can_delete'], { baseRole: 'Public' }),
    role('Admin', ['admin_tag'], ['can_read', 'can_edit']), role('r', [], ['can_read'], { baseRole: 'Public' })], { version });
const perDag = (a: DagAccess, r: string) =>
  a.roles.find((x) => x.role === r)?.grants.filter((g) => g.scope === 'dag' && !g.reverted).map((g) => `${g.resource}.${g.action}`).sort() ?? [];
const kinds = (a: DagAccess) => a.conflicts.map((c) => c.kind);
const db: DbDagGrant[] = [{ role: 'ui_role', resource: 'DAGs', action: 'can_read', scope: 'dag' }];

describe('order of precedence (access_control is authoritative when not None)', () => {
  test('example_fine_grained_access: {"Viewer": {can_edit, can_create, can_delete}} revokes the others, then fails on can_create', () => {
    const a = computeDagAccess({ dag: dag({ tags: ['analytics_reporting_edit'], accessControl: accessControl({ Viewer: ['can_edit', 'can_create', 'can_delete'] }) }), file: FILE, config: cfg(), dbGrants: db });
    // _sync_dag_view_permissions validates Viewer's actions before granting any (apache/airflow#36349).
    assert.deepEqual(perDag(a, 'Viewer'), []);
    assert.deepEqual(perDag(a, 'analytics_reporting'), [], 'tag grants are reverted');
    assert.deepEqual(perDag(a, 'ui_role'), [], 'DB grants set through the UI are revoked');
    assert.ok(kinds(a).includes('invalid_action'));
    assert.ok(kinds(a).includes('tag_reverted_by_access_control'));
    assert.ok(kinds(a).includes('db_grant_reverted'));
    const reverted = a.conflicts.find((c) => c.kind === 'tag_reverted_by_access_control')!;
    assert.equal(reverted.role, 'analytics_reporting');
    assert.deepEqual(reverted.range.start, { line: 5, character: 10 }, 'points at the tag in the DAG file');
  });

  test('example_no_fine_grained_access: access_control={} wipes every per-DAG grant (but not Admin\'s)', () => {
    const adminDb: DbDagGrant[] = [{ role: 'Admin', resource: 'DAGs', action: 'can_read', scope: 'dag' }, { role: 'Admin', resource: 'DAGs', action: 'can_edit', scope: 'dag' }];
    const a = computeDagAccess({ dag: dag({ tags: ['analytics_reporting_edit', 'admin_tag'], accessControl: accessControl({}) }), file: FILE, config: cfg(), dbGrants: [...db, ...adminDb] });
    assert.equal(a.accessControlMode, 'empty');
    assert.deepEqual(perDag(a, 'analytics_reporting'), []);
    assert.deepEqual(perDag(a, 'ui_role'), []);
    assert.deepEqual(perDag(a, 'Admin'), ['DAGs.can_edit', 'DAGs.can_read'], 'Airflow never revokes from the role named Admin');
  });

  test('a tag mapped to Admin (or to a built-in role without manage_builtin) grants nothing per DAG: the sync never writes it', () => {
    const a = computeDagAccess({ dag: dag({ tags: ['admin_tag', 'viewer_edit'] }), file: FILE, config: config([role('Admin', ['admin_tag'], ['can_read', 'can_edit']), role('Viewer', ['viewer_edit'], ['can_read', 'can_edit'])], { version: '2.10' }) });
    assert.deepEqual(perDag(a, 'Admin'), []);
    assert.deepEqual(perDag(a, 'Viewer'), []);
    assert.ok(!a.roles.some((r) => r.grants.some((g) => g.via.some((v) => v.kind === 'tag'))), 'no grant says it comes from a tag');
    const managed = computeDagAccess({ dag: dag({ tags: ['viewer_edit'] }), file: FILE, config: { ...config([role('Viewer', ['viewer_edit'], ['can_read', 'can_edit'])]), manageBuiltin: true } });
    assert.deepEqual(perDag(managed, 'Viewer'), ['DAGs.can_edit', 'DAGs.can_read'], 'with manage_builtin: true the sync writes it');
  });

  for (const [name, ac] of [['absent', null], ['None', accessControl(null)]] as const) {
    test(`example_indifferent_to_fine_grained_access (${name}): tag and DB grants stay`, () => {
      const a = computeDagAccess({ dag: dag({ tags: ['analytics_reporting_edit'], accessControl: ac }), file: FILE, config: cfg(), dbGrants: db });
      assert.deepEqual(perDag(a, 'analytics_reporting'), ['DAGs.can_delete', 'DAGs.can_edit', 'DAGs.can_read']);
      assert.deepEqual(perDag(a, 'ui_role'), ['DAGs.can_read']);
      assert.deepEqual(kinds(a), []);
      const tagVia = a.roles.find((r) => r.role === 'analytics_reporting')!.grants[0].via[0];
      assert.equal(tagVia.kind, 'tag');
    });
  }

  test('system-wide roles take precedence: global DAGs permissions survive access_control={}', () => {
    const a = computeDagAccess({ dag: dag({ accessControl: accessControl({}) }), file: FILE, config: cfg() });
    const actions = (r: string) => a.roles.find((x) => x.role === r)!.dagActions;
    assert.deepEqual(actions('Viewer'), ['can_read']);
    assert.deepEqual(actions('User'), ['can_read', 'can_edit', 'can_delete']);
    assert.deepEqual(actions('Op'), ['can_read', 'can_edit', 'can_delete']);
    assert.deepEqual(actions('Admin'), ['can_read', 'can_edit', 'can_delete']);
    assert.equal(a.roles.some((r) => r.role === 'Public'), false);
  });

  test('a tag grant repeated in access_control is kept, not reverted', () => {
    const a = computeDagAccess({ dag: dag({ tags: ['analytics_reporting_edit'], accessControl: accessControl({ analytics_reporting: ['can_read'] }) }), file: FILE, config: cfg() });
    assert.deepEqual(perDag(a, 'analytics_reporting'), ['DAGs.can_read']);
    const g = a.roles.find((r) => r.role === 'analytics_reporting')!.grants.find((x) => x.action === 'can_read')!;
    assert.deepEqual(g.via.map((v) => v.kind).sort(), ['access_control', 'tag']);
  });
});

describe('access_control validity by Airflow version', () => {
  const rows: [string, string | null, Record<string, string[] | Record<string, string[]>>, string[], string[]][] = [
    // name, version, access_control, expected conflict kinds, expected per-DAG grants of role r
    ['legacy form', '2.7', { r: ['can_read', 'can_edit'] }, [], ['DAGs.can_edit', 'DAGs.can_read']],
    ['nested form on 2.10', '2.10', { r: { DAGs: ['can_read'], 'DAG Runs': ['can_create'] } }, [], ['DAG Runs.can_create', 'DAGs.can_read']],
    ['nested form before 2.10', '2.9', { r: { DAGs: ['can_read'] } }, ['nested_needs_2_10'], []],
    ['can_edit is not a DAG Runs action: the sync raises before granting the resource', '3.0', { r: { 'DAG Runs': ['can_edit', 'menu_access'] } }, ['invalid_action'], []],
    ['unknown resource key', '3.0', { r: { Dags: ['can_read'] } }, ['invalid_resource'], []],
    ['can_dag_read before 3.0 maps to can_read', '2.9', { r: ['can_dag_read', 'can_dag_edit'] }, ['deprecated_action', 'deprecated_action'], ['DAGs.can_edit', 'DAGs.can_read']],
    ['can_dag_read is invalid in 3.x', '3.0', { r: ['can_dag_read'] }, ['deprecated_action'], []],
    ['unknown version means latest', null, { r: ['can_dag_edit'] }, ['deprecated_action'], []],
  ];
  for (const [name, version, ac, conflicts, grants] of rows) {
    test(name, () => {
      const a = computeDagAccess({ dag: dag({ accessControl: accessControl(ac) }), file: FILE, config: cfg(version) });
      assert.deepEqual(kinds(a), conflicts);
      assert.deepEqual(perDag(a, 'r'), grants);
    });
  }

  test('can_edit without can_read: the role is flagged and cannot see the DAG in lists', () => {
    const a = computeDagAccess({ dag: dag({ accessControl: accessControl({ r: ['can_edit'] }) }), file: FILE, config: cfg() });
    const r = a.roles.find((x) => x.role === 'r')!;
    assert.equal(r.editWithoutRead, true);
    assert.ok(kinds(a).includes('edit_without_read'));
  });

  test('dag_run_permissions of a tag role apply from 2.10 only', () => {
    const c = (v: string) => config([role('ops', ['ops_tag'], ['can_read'], { baseRole: 'Public', dagRunPermissions: [{ value: 'can_create', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } } }] })], { version: v });
    assert.deepEqual(perDag(computeDagAccess({ dag: dag({ tags: ['ops_tag'] }), file: FILE, config: c('2.10') }), 'ops'), ['DAG Runs.can_create', 'DAGs.can_read']);
    const old = computeDagAccess({ dag: dag({ tags: ['ops_tag'] }), file: FILE, config: c('2.9') });
    assert.deepEqual(perDag(old, 'ops'), ['DAGs.can_read']);
    assert.deepEqual(kinds(old), ['dag_run_needs_2_10']);
  });
});

describe('summary and provenance', () => {
  test('code-lens counts; a role created from Viewer reads its tagged DAG, and its runs through the copied DAG Runs read', () => {
    const c = config([role('analyst', ['analyst_edit'], ['can_read', 'can_edit'])]);
    const a = computeDagAccess({ dag: dag({ tags: ['analyst_edit'] }), file: FILE, config: c });
    assert.deepEqual(a.summary, { canRead: 5, canEdit: 4, canDelete: 3, nonAdminReachable: true, perDagRoles: 1 });
    const analyst = a.roles.find((r) => r.role === 'analyst')!;
    assert.deepEqual(analyst.grants.filter((g) => g.scope === 'global').map((g) => `${g.resource}.${g.action} ${g.via[0].kind}`), ['DAG Runs.can_read base_role', 'DAG Runs.menu_access base_role']);
    assert.deepEqual(analyst.dagRunActions, ['can_read', 'menu_access']);
  });

  test('a role created from Viewer does not read an untagged DAG: Viewer\'s DAG-wide read is not copied', () => {
    const c = config([role('analyst', ['analyst_edit'], ['can_read', 'can_edit'])]);
    const a = computeDagAccess({ dag: dag({ tags: ['other'] }), file: FILE, config: c });
    assert.deepEqual(a.roles.map((r) => r.role), ['Admin', 'Op', 'User', 'Viewer'], 'not listed at all: no DAG and no run access');
    assert.equal(a.summary.canRead, 4);
  });

  test('base_role_dag_wide: true keeps the base role\'s DAG-wide read: the role reads every DAG', () => {
    const c = config([role('analyst', ['analyst_edit'], ['can_read', 'can_edit'], { baseRoleDagWide: true })]);
    const a = computeDagAccess({ dag: dag({ tags: ['other'] }), file: FILE, config: c });
    const analyst = a.roles.find((r) => r.role === 'analyst')!;
    assert.deepEqual(analyst.dagActions, ['can_read']);
    assert.ok(analyst.grants.some((g) => g.resource === 'DAGs' && g.scope === 'global' && g.via[0].kind === 'base_role'));
  });

  test('a role-wide DAG Runs grant reaches runs only with access to the DAG: read needs can_read, create needs can_edit', () => {
    const c = config([role('ops', ['ops_read'], ['can_read'])]);
    const runs = ['can_read', 'can_create'].map((action): DbDagGrant => ({ role: 'ops', resource: 'DAG Runs', action, scope: 'global' }));
    const none = computeDagAccess({ dag: dag(), file: FILE, config: c, dbGrants: runs });
    assert.equal(none.roles.find((r) => r.role === 'ops'), undefined, 'no access to the DAG: no access to its runs');
    const read = computeDagAccess({ dag: dag({ tags: ['ops_read'] }), file: FILE, config: c, dbGrants: runs });
    assert.deepEqual(read.roles.find((r) => r.role === 'ops')!.dagRunActions, ['can_read'], 'can_create on runs needs can_edit on the DAG');
    const edit = computeDagAccess({ dag: dag(), file: FILE, config: c, dbGrants: [...runs, { role: 'ops', resource: 'DAGs', action: 'can_edit', scope: 'dag' }, { role: 'ops', resource: 'DAGs', action: 'can_read', scope: 'dag' }] });
    assert.deepEqual(edit.roles.find((r) => r.role === 'ops')!.dagRunActions, ['can_read', 'can_create']);
  });

  // FabAuthManager.is_authorized_dag with access_entity RUN checks `_is_authorized_dag` (GET → can_read,
  // else can_edit) before `_is_authorized_dag_run` reads `DAG Run:<dag_id>` (apache/airflow,
  // providers/fab/src/airflow/providers/fab/auth_manager/fab_auth_manager.py; 2.10's provider the same).
  test('a per-DAG DAG Run grant counts only with access to the DAG: read needs can_read, create needs can_edit', () => {
    const runPerms = (...ps: string[]) => ps.map((value) => ({ value, range: { start: { line: 13, character: 0 }, end: { line: 13, character: 1 } } })) as never;
    const c = config([
      role('x', ['x_runs'], [], { baseRole: 'Public', dagRunPermissions: runPerms('can_read') }),
      role('ops', ['ops_tag'], ['can_read'], { baseRole: 'Public', dagRunPermissions: runPerms('can_read', 'can_create') }),
      role('eng', ['eng_tag'], ['can_read', 'can_edit'], { baseRole: 'Public', dagRunPermissions: runPerms('can_read', 'can_create') }),
    ], { version: '2.10' });
    const a = computeDagAccess({ dag: dag({ tags: ['x_runs', 'ops_tag', 'eng_tag'] }), file: FILE, config: c });
    const x = a.roles.find((r) => r.role === 'x')!;
    assert.deepEqual(x.dagRunActions, [], 'runs: read needs can_read on the DAG');
    assert.deepEqual(x.grants.map((g) => [g.resource, g.action, g.needsDag]), [['DAG Runs', 'can_read', 'can_read']], 'the sync still writes it');
    assert.deepEqual(a.roles.find((r) => r.role === 'ops')!.dagRunActions, ['can_read'], 'triggering (can_create) needs can_edit on the DAG');
    assert.deepEqual(a.roles.find((r) => r.role === 'eng')!.dagRunActions, ['can_read', 'can_create']);
    assert.equal(a.summary.perDagRoles, 2, "x's grant gives nothing");
    // The same grant from the database, with DAG access from the database: it counts.
    const db: DbDagGrant[] = [{ role: 'x', resource: 'DAGs', action: 'can_read', scope: 'dag' }];
    assert.deepEqual(computeDagAccess({ dag: dag({ tags: ['x_runs'] }), file: FILE, config: c, dbGrants: db }).roles.find((r) => r.role === 'x')!.dagRunActions, ['can_read']);
  });

  test('DB state replaces the base_role assumption for roles it knows', () => {
    const c = config([role('analyst', [], ['can_read'])]);
    const a = computeDagAccess({ dag: dag(), file: FILE, config: c, dbGrants: [{ role: 'analyst', resource: 'DAGs', action: 'can_edit', scope: 'dag' }] });
    const analyst = a.roles.find((r) => r.role === 'analyst')!;
    assert.deepEqual(analyst.grants.map((g) => [g.action, g.scope, g.via[0].kind]), [['can_edit', 'dag', 'db']]);
    assert.equal(analyst.editWithoutRead, true);
  });

  test('no config: default roles only', () => {
    const a = computeDagAccess({ dag: dag({ tags: ['whatever'] }), file: FILE, config: null });
    assert.deepEqual(a.roles.map((r) => r.role), ['Admin', 'Op', 'User', 'Viewer']);
  });
});
