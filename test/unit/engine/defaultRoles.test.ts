/**
 * Default FAB roles. The 2.8-2.9 lists are written here row by row as Airflow's docs print them
 * (seed 002: VIEWER_PERMISSIONS, USER_PERMISSIONS, OP_PERMISSIONS); when ../shared is present the
 * seed text itself is parsed too, so a drifting row fails either way. The other releases are checked
 * against the fixture databases (test/db/airflowVersions.test.ts) and test/unit/engine/airflowVersions.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { defaultRolePermissions, globalDagActions, roleLists } from '../../../server/src/engine/defaultRoles';
import { sharedDir } from '../../helpers/paths';

const RESOURCE: Record<string, string> = {
  AUDIT_LOG: 'Audit Logs', DAG: 'DAGs', DAG_DEPENDENCIES: 'DAG Dependencies', DAG_CODE: 'DAG Code', DAG_RUN: 'DAG Runs',
  DATASET: 'Datasets', CLUSTER_ACTIVITY: 'Cluster Activity', POOL: 'Pools', IMPORT_ERROR: 'ImportError', DAG_WARNING: 'DAG Warnings',
  JOB: 'Jobs', MY_PASSWORD: 'My Password', MY_PROFILE: 'My Profile', PLUGIN: 'Plugins', SLA_MISS: 'SLA Misses',
  TASK_INSTANCE: 'Task Instances', TASK_LOG: 'Task Logs', XCOM: 'XComs', WEBSITE: 'Website', BROWSE_MENU: 'Browse',
  DOCS: 'Documentation', DOCS_MENU: 'Docs', CONFIG: 'Configurations', ADMIN_MENU: 'Admin', CONNECTION: 'Connections',
  VARIABLE: 'Variables', PROVIDER: 'Providers',
};
const ACTION: Record<string, string> = { CAN_READ: 'can_read', CAN_EDIT: 'can_edit', CAN_CREATE: 'can_create', CAN_DELETE: 'can_delete', CAN_ACCESS_MENU: 'menu_access' };
const rows = (s: string) => s.trim().split(/\s+/).map((x) => { const [a, r] = x.split(':'); return [ACTION[a], RESOURCE[r]] as const; });

const VIEWER_2x = rows(`CAN_READ:AUDIT_LOG CAN_READ:DAG CAN_READ:DAG_DEPENDENCIES CAN_READ:DAG_CODE CAN_READ:DAG_RUN CAN_READ:DATASET
  CAN_READ:CLUSTER_ACTIVITY CAN_READ:POOL CAN_READ:IMPORT_ERROR CAN_READ:DAG_WARNING CAN_READ:JOB CAN_READ:MY_PASSWORD CAN_EDIT:MY_PASSWORD
  CAN_READ:MY_PROFILE CAN_EDIT:MY_PROFILE CAN_READ:PLUGIN CAN_READ:SLA_MISS CAN_READ:TASK_INSTANCE CAN_READ:TASK_LOG CAN_READ:XCOM
  CAN_READ:WEBSITE CAN_ACCESS_MENU:BROWSE_MENU CAN_ACCESS_MENU:DAG CAN_ACCESS_MENU:DAG_DEPENDENCIES CAN_ACCESS_MENU:DAG_RUN
  CAN_ACCESS_MENU:DATASET CAN_ACCESS_MENU:CLUSTER_ACTIVITY CAN_ACCESS_MENU:DOCS CAN_ACCESS_MENU:DOCS_MENU CAN_ACCESS_MENU:JOB
  CAN_ACCESS_MENU:AUDIT_LOG CAN_ACCESS_MENU:PLUGIN CAN_ACCESS_MENU:SLA_MISS CAN_ACCESS_MENU:TASK_INSTANCE`);
const USER_2x = rows(`CAN_EDIT:DAG CAN_DELETE:DAG CAN_CREATE:TASK_INSTANCE CAN_EDIT:TASK_INSTANCE CAN_DELETE:TASK_INSTANCE
  CAN_CREATE:DAG_RUN CAN_EDIT:DAG_RUN CAN_DELETE:DAG_RUN`);
const OP_2x = rows(`CAN_READ:CONFIG CAN_ACCESS_MENU:ADMIN_MENU CAN_ACCESS_MENU:CONFIG CAN_ACCESS_MENU:CONNECTION CAN_ACCESS_MENU:POOL
  CAN_ACCESS_MENU:VARIABLE CAN_ACCESS_MENU:PROVIDER CAN_ACCESS_MENU:XCOM CAN_CREATE:CONNECTION CAN_READ:CONNECTION CAN_EDIT:CONNECTION
  CAN_DELETE:CONNECTION CAN_CREATE:POOL CAN_EDIT:POOL CAN_DELETE:POOL CAN_READ:PROVIDER CAN_CREATE:VARIABLE CAN_READ:VARIABLE
  CAN_EDIT:VARIABLE CAN_DELETE:VARIABLE CAN_DELETE:XCOM`);

describe('default role lists, Airflow 2.8-2.9 (Admin, Op, User, Viewer, Public)', () => {
  const lists = roleLists('2.9');
  test('VIEWER_PERMISSIONS row by row', () => assert.deepEqual(lists.VIEWER, VIEWER_2x));
  test('USER_PERMISSIONS row by row', () => assert.deepEqual(lists.USER, USER_2x));
  test('OP_PERMISSIONS row by row', () => assert.deepEqual(lists.OP, OP_2x));
  test('each role has the preceding role\'s permissions plus its own; Public has none', () => {
    assert.deepEqual(defaultRolePermissions('Public', '2.9'), []);
    assert.deepEqual(defaultRolePermissions('User', '2.9'), [...VIEWER_2x, ...USER_2x]);
    assert.deepEqual(defaultRolePermissions('Op', '2.9'), [...VIEWER_2x, ...USER_2x, ...OP_2x]);
  });

  test('the seed text (002) lists exactly these rows', { skip: fs.existsSync(path.join(sharedDir, 'seeds')) ? false : 'needs ../shared/seeds' }, () => {
    const file = fs.readdirSync(path.join(sharedDir, 'seeds')).find((f) => f.startsWith('002_'));
    assert.ok(file, 'seed 002 missing');
    const text = fs.readFileSync(path.join(sharedDir, 'seeds', file), 'utf8');
    const parse = (name: string) => {
      const block = text.split(`${name} = [`)[1].split(']')[0];
      return [...block.matchAll(/ACTION_(\w+), permissions\.RESOURCE_(\w+)\)/g)].map((m) => [ACTION[m[1]], RESOURCE[m[2]]] as const);
    };
    assert.deepEqual(parse('VIEWER_PERMISSIONS'), lists.VIEWER);
    assert.deepEqual(parse('USER_PERMISSIONS'), lists.USER);
    assert.deepEqual(parse('OP_PERMISSIONS'), lists.OP);
  });
});

describe('global DAG access of default roles (what reaches every DAG)', () => {
  const table: [string, string, string[], string[]][] = [
    // role, version, DAGs actions, DAG Runs actions
    ['Viewer', '2.10', ['can_read', 'menu_access'], ['can_read', 'menu_access']],
    ['User', '2.10', ['can_read', 'menu_access', 'can_edit', 'can_delete'], ['can_read', 'menu_access', 'can_create', 'can_edit', 'can_delete']],
    ['Op', '2.10', ['can_read', 'menu_access', 'can_edit', 'can_delete'], ['can_read', 'menu_access', 'can_create', 'can_edit', 'can_delete']],
    ['Public', '2.10', [], []],
    ['Viewer', '3.3', ['can_read', 'menu_access'], ['can_read', 'menu_access']],
    ['User', '3.3', ['can_read', 'menu_access', 'can_edit', 'can_delete'], ['can_read', 'menu_access', 'can_create', 'can_edit', 'can_delete']],
    ['Admin', null as unknown as string, ['can_read', 'can_edit', 'can_delete', 'menu_access'], ['can_read', 'can_create', 'can_delete', 'menu_access', 'can_edit']],
  ];
  for (const [role, version, dags, runs] of table) {
    test(`${role} @ ${version ?? 'latest'}`, () => {
      assert.deepEqual(new Set(globalDagActions(role, 'DAGs', version)), new Set(dags));
      assert.deepEqual(new Set(globalDagActions(role, 'DAG Runs', version)), new Set(runs));
    });
  }
  test('Airflow 3 lists use Assets instead of Datasets and add DAG Versions / Backfills', () => {
    const v = defaultRolePermissions('Viewer', '3.0').map(([a, r]) => `${a} ${r}`);
    assert.ok(v.includes('can_read Assets') && v.includes('can_read DAG Versions') && !v.some((p) => p.includes('Datasets')));
    const v2 = defaultRolePermissions('Viewer', '2.9').map(([a, r]) => `${a} ${r}`);
    assert.ok(v2.includes('can_read Datasets') && !v2.includes('can_read Assets'));
  });
});
