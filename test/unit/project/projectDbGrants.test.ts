/**
 * ProjectDb.dagGrants: the grants read from the metadata DB that bear on one DAG. A role-wide
 * menu_access on 'DAG Runs' (Viewer holds one) is a run action like the default roles' one: it reaches
 * a DAG when the role can read that DAG, and never one the role cannot read. menu_access on 'DAGs'
 * is the menu entry only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProjectDb } from '../../../server/src/project/projectDb';
import { computeDagAccess } from '../../../server/src/engine/dagAccess';
import { roleReasons } from '../../../server/src/engine/grantReasons';
import type { DbState } from '../../../server/src/db/state';
import { config, dag, role } from '../engine/factBuilders';

/** A DB state from `[role, action, resource]` triples. */
function stateOf(grants: [string, string, string][]): DbState {
  const ids = (names: string[]) => [...new Set(names)].map((name, i) => ({ id: i + 1, name }));
  const roles = ids(grants.map((g) => g[0]));
  const actions = ids(grants.map((g) => g[1]));
  const resources = ids(grants.map((g) => g[2]));
  const id = (rows: { id: number; name: string }[], n: string) => rows.find((r) => r.name === n)!.id;
  const permissionViews = grants.map((g, i) => ({ id: i + 1, actionId: id(actions, g[1]), resourceId: id(resources, g[2]) }));
  return {
    schema: { dialect: 'sqlite', airflowMajor: 2, activeColumn: 'is_active', hasDagTable: true, hasDagTag: true, fabTables: true, missingFabTables: [], dagRunResources: true } as unknown as DbState['schema'],
    roles, actions, resources, permissionViews,
    grants: grants.map((g, i) => ({ id: i + 1, permissionViewId: i + 1, roleId: id(roles, g[0]) })),
    dags: [], inactiveDagIds: [],
  } as DbState;
}

const dbWith = (grants: [string, string, string][]) => {
  const db = new ProjectDb(() => null, () => '', '/tmp');
  db.state = stateOf(grants);
  return db;
};

const FILE = '/ws/dags/a.py';
const runsViewer: [string, string, string][] = [
  ['runs_viewer', 'can_read', 'DAG Runs'], ['runs_viewer', 'menu_access', 'DAG Runs'], ['runs_viewer', 'menu_access', 'DAGs'],
  ['runs_viewer', 'can_read', 'DAG:sales_daily'],
];

test('role-wide menu_access on DAG Runs read from the DB is kept; menu_access on DAGs is not a DAG action', () => {
  const grants = dbWith(runsViewer).dagGrants('sales_daily')!;
  assert.deepEqual(grants.map((g) => `${g.resource}|${g.action}|${g.scope}`).sort(),
    ['DAG Runs|can_read|global', 'DAG Runs|menu_access|global', 'DAGs|can_read|dag']);
});

test('the DB role\'s run menu_access counts on a DAG it reads, as the same grant of a default role does, and not on other DAGs', () => {
  const db = dbWith(runsViewer);
  const c = config([role('runs_viewer', [], ['can_read'])], { version: '2.10' });
  const read = computeDagAccess({ dag: dag({ id: 'sales_daily' }), file: FILE, config: c, dbGrants: db.dagGrants('sales_daily') });
  const r = read.roles.find((x) => x.role === 'runs_viewer')!;
  assert.deepEqual(r.dagActions, ['can_read']);
  assert.deepEqual(r.dagRunActions, ['can_read', 'menu_access'], 'the same runs as Viewer, whose default grants include menu_access');
  assert.deepEqual(read.roles.find((x) => x.role === 'Viewer')!.dagRunActions, ['can_read', 'menu_access']);
  // The reasons (hover, explain, tree, matrix cell) say it from the same grants.
  const wide = roleReasons(r).find((x) => x.dagWide)!;
  assert.deepEqual(wide.actions, ['runs: read', 'runs: menu_access']);
  assert.match(wide.label, /^role-wide: from the database/);

  const other = computeDagAccess({ dag: dag({ id: 'hr_payroll' }), file: FILE, config: c, dbGrants: db.dagGrants('hr_payroll') });
  assert.equal(other.roles.find((x) => x.role === 'runs_viewer'), undefined, 'no read on the DAG: neither its runs nor their menu entry');
});
