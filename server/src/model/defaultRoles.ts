/**
 * Airflow's default FAB roles and their permissions (action, resource), per Airflow version.
 * Public = nothing; Viewer = VIEWER; User = VIEWER + USER; Op = User + OP; Admin = everything
 * (ROLE_CONFIGS; `update_admin_perm_view` gives Admin every permission but the per-DAG ones).
 *
 * Where each list comes from (apache/airflow):
 * - 2.7: VIEWER_PERMISSIONS / USER_PERMISSIONS / OP_PERMISSIONS / ADMIN_PERMISSIONS of
 *   `AirflowSecurityManager` in `airflow/www/security.py` (the 2.7 copy built on
 *   SecurityManagerOverride); the 2.7 fixture database holds exactly these rows.
 * - 2.4-2.6: the 2.7 lists without Cluster Activity (added in 2.7), as the 2.6 fixture database holds them.
 * - 2.0-2.3: the 2.4 lists without Datasets (the Dataset model, migration 0038cd0c28b4, 2.4.0), DAG
 *   Warnings (DagWarning, 424117c37d18, 2.4.0) and the Viewer's DAGs menu entry, as the 2.3 fixture
 *   database holds them; 2.0.0 also gave Viewer and User can_read on Configurations, which migration
 *   82b7c48c147f (2.0.1, "Remove can_read permission on config resource for User and Viewer role") took away.
 * - 2.8-2.9: the lists Airflow's documentation prints (seed 002): Viewer also reads Pools.
 * - 2.10-2.11: the FAB provider's `auth_manager/security_manager/override.py` (FAB 1.x): Audit Logs
 *   move to Admin, Plugins and Providers menus to Op, Datasets can_create to User; the 2.10 fixture
 *   database holds exactly these rows.
 * - 3.x: the FAB provider lists used with Airflow 3 (Assets, DAG Versions, Backfills, HITL Detail);
 *   the 3.0 fixture database holds them.
 * Every version gives Viewer can_read on DAGs and DAG Runs, and User / Op can_edit, can_delete on
 * DAGs and can_create, can_edit, can_delete on DAG Runs: the role-wide grants that reach every DAG.
 */
import { versionAtLeast } from './airflowVersion';

export type DefaultRoleName = 'Admin' | 'Op' | 'User' | 'Viewer' | 'Public';
export const DEFAULT_ROLES: readonly DefaultRoleName[] = ['Admin', 'Op', 'User', 'Viewer', 'Public'];
export type Permission = readonly [action: string, resource: string];

const r = (action: string, ...resources: string[]): Permission[] => resources.map((res) => [action, res] as const);

/** 2.8-2.9 (seed 002: the lists Airflow's docs print). */
const VIEWER_28: Permission[] = [
  ...r('can_read', 'Audit Logs', 'DAGs', 'DAG Dependencies', 'DAG Code', 'DAG Runs', 'Datasets', 'Cluster Activity', 'Pools',
    'ImportError', 'DAG Warnings', 'Jobs', 'My Password'),
  ...r('can_edit', 'My Password'),
  ...r('can_read', 'My Profile'),
  ...r('can_edit', 'My Profile'),
  ...r('can_read', 'Plugins', 'SLA Misses', 'Task Instances', 'Task Logs', 'XComs', 'Website'),
  ...r('menu_access', 'Browse', 'DAGs', 'DAG Dependencies', 'DAG Runs', 'Datasets', 'Cluster Activity', 'Documentation', 'Docs',
    'Jobs', 'Audit Logs', 'Plugins', 'SLA Misses', 'Task Instances'),
];
const USER_2: Permission[] = [
  ...r('can_edit', 'DAGs'), ...r('can_delete', 'DAGs'),
  ...r('can_create', 'Task Instances'), ...r('can_edit', 'Task Instances'), ...r('can_delete', 'Task Instances'),
  ...r('can_create', 'DAG Runs'), ...r('can_edit', 'DAG Runs'), ...r('can_delete', 'DAG Runs'),
];
const OP_28: Permission[] = [
  ...r('can_read', 'Configurations'),
  ...r('menu_access', 'Admin', 'Configurations', 'Connections', 'Pools', 'Variables', 'Providers', 'XComs'),
  ...r('can_create', 'Connections'), ...r('can_read', 'Connections'), ...r('can_edit', 'Connections'), ...r('can_delete', 'Connections'),
  ...r('can_create', 'Pools'), ...r('can_edit', 'Pools'), ...r('can_delete', 'Pools'),
  ...r('can_read', 'Providers'),
  ...r('can_create', 'Variables'), ...r('can_read', 'Variables'), ...r('can_edit', 'Variables'), ...r('can_delete', 'Variables'),
  ...r('can_delete', 'XComs'),
];
const ADMIN_27: Permission[] = [
  ...r('can_read', 'Task Reschedules'), ...r('menu_access', 'Task Reschedules'),
  ...r('can_read', 'Triggers'), ...r('menu_access', 'Triggers'),
  ...r('can_read', 'Passwords'), ...r('can_edit', 'Passwords'),
  ...r('can_read', 'Roles'), ...r('can_edit', 'Roles'),
];

/** 2.7 (airflow/www/security.py): as 2.8 but Pools are read by Op, not Viewer, and Op has no Providers menu. */
const VIEWER_27: Permission[] = VIEWER_28.filter(([a, res]) => !(a === 'can_read' && res === 'Pools'));
const OP_27: Permission[] = [
  ...r('can_read', 'Configurations'),
  ...r('menu_access', 'Admin', 'Configurations', 'Connections', 'Pools', 'Variables', 'XComs'),
  ...r('can_create', 'Connections'), ...r('can_read', 'Connections'), ...r('can_edit', 'Connections'), ...r('can_delete', 'Connections'),
  ...r('can_create', 'Pools'), ...r('can_read', 'Pools'), ...r('can_edit', 'Pools'), ...r('can_delete', 'Pools'),
  ...r('can_read', 'Providers'),
  ...r('can_create', 'Variables'), ...r('can_read', 'Variables'), ...r('can_edit', 'Variables'), ...r('can_delete', 'Variables'),
  ...r('can_delete', 'XComs'),
];

/** 2.4-2.6: the 2.7 lists before Cluster Activity existed. */
const VIEWER_24: Permission[] = VIEWER_27.filter(([, res]) => res !== 'Cluster Activity');
/** 2.0-2.3: before Datasets and DAG Warnings, and without the Viewer's DAGs menu entry. */
const VIEWER_20: Permission[] = VIEWER_24.filter(([a, res]) => res !== 'Datasets' && res !== 'DAG Warnings' && !(a === 'menu_access' && res === 'DAGs'));
/** 2.0.0 only: Viewer (and so User) could read Configurations (migration 82b7c48c147f removed it in 2.0.1). */
const VIEWER_200: Permission[] = [...VIEWER_20, ...r('can_read', 'Configurations')];

/** 2.10-2.11 (FAB provider 1.x override.py). */
const VIEWER_210: Permission[] = [
  ...r('can_read', 'DAGs', 'DAG Dependencies', 'DAG Code', 'DAG Runs', 'Datasets', 'Cluster Activity', 'Pools', 'ImportError',
    'DAG Warnings', 'Jobs', 'My Password'),
  ...r('can_edit', 'My Password'),
  ...r('can_read', 'My Profile'),
  ...r('can_edit', 'My Profile'),
  ...r('can_read', 'SLA Misses', 'Task Instances', 'Task Logs', 'XComs', 'Website'),
  ...r('menu_access', 'Browse', 'DAGs', 'DAG Dependencies', 'DAG Runs', 'Datasets', 'Cluster Activity', 'Documentation', 'Docs',
    'Jobs', 'SLA Misses', 'Task Instances'),
];
const USER_210: Permission[] = [...USER_2, ...r('can_create', 'Datasets')];
const OP_210: Permission[] = [
  ...r('can_read', 'Configurations'),
  ...r('menu_access', 'Admin', 'Configurations', 'Connections', 'Pools', 'Plugins', 'Variables', 'Providers', 'XComs'),
  ...r('can_create', 'Connections'), ...r('can_read', 'Connections'), ...r('can_edit', 'Connections'), ...r('can_delete', 'Connections'),
  ...r('can_create', 'Pools'), ...r('can_edit', 'Pools'), ...r('can_delete', 'Pools'),
  ...r('can_read', 'Plugins', 'Providers'),
  ...r('can_create', 'Variables'), ...r('can_read', 'Variables'), ...r('can_edit', 'Variables'), ...r('can_delete', 'Variables'),
  ...r('can_delete', 'XComs'),
  ...r('can_delete', 'Datasets'), ...r('can_create', 'Datasets'),
];
const ADMIN_210: Permission[] = [...r('can_read', 'Audit Logs'), ...r('menu_access', 'Audit Logs'), ...ADMIN_27];

const VIEWER_3: Permission[] = [
  ...r('can_read', 'DAGs', 'DAG Dependencies', 'DAG Code', 'DAG Runs', 'DAG Versions', 'DAG Warnings', 'Assets', 'Asset Aliases',
    'Backfills', 'Cluster Activity', 'Pools', 'ImportError', 'Jobs', 'My Password', 'My Profile', 'SLA Misses', 'Task Instances',
    'Task Logs', 'XComs', 'HITL Detail', 'Website'),
  ...r('can_edit', 'My Password', 'My Profile'),
  ...r('menu_access', 'Browse', 'DAGs', 'DAG Dependencies', 'DAG Runs', 'Assets', 'Cluster Activity', 'Documentation', 'Docs', 'Jobs',
    'SLA Misses', 'Task Instances'),
];
const USER_3: Permission[] = [
  ...r('can_edit', 'DAGs'), ...r('can_delete', 'DAGs'),
  ...r('can_create', 'Task Instances'), ...r('can_edit', 'Task Instances'), ...r('can_delete', 'Task Instances'),
  ...r('can_create', 'DAG Runs'), ...r('can_edit', 'DAG Runs'), ...r('can_delete', 'DAG Runs'),
  ...r('can_edit', 'HITL Detail'), ...r('can_create', 'Assets'),
];
const OP_3: Permission[] = [
  ...r('menu_access', 'Admin', 'Configurations', 'Connections', 'Pools', 'Plugins', 'Variables', 'Providers', 'XComs', 'HITL Detail'),
  ...r('can_read', 'Configurations'),
  ...r('can_create', 'Connections'), ...r('can_read', 'Connections'), ...r('can_edit', 'Connections'), ...r('can_delete', 'Connections'),
  ...r('can_create', 'Pools'), ...r('can_edit', 'Pools'), ...r('can_delete', 'Pools'),
  ...r('can_read', 'Plugins', 'Providers'),
  ...r('can_create', 'Variables'), ...r('can_read', 'Variables'), ...r('can_edit', 'Variables'), ...r('can_delete', 'Variables'),
  ...r('can_delete', 'XComs'),
  ...r('can_create', 'Assets'), ...r('can_delete', 'Assets'),
  ...r('can_create', 'Backfills'), ...r('can_edit', 'Backfills'), ...r('can_delete', 'Backfills'),
];
const ADMIN_3: Permission[] = [
  ...r('can_read', 'Audit Logs', 'Task Reschedules', 'Triggers'),
  ...r('menu_access', 'Audit Logs', 'Task Reschedules', 'Triggers'),
  ...r('can_read', 'Passwords'), ...r('can_edit', 'Passwords'),
  ...r('can_read', 'Roles'), ...r('can_edit', 'Roles'),
];

type RoleLists = { VIEWER: Permission[]; USER: Permission[]; OP: Permission[]; ADMIN: Permission[] };

/** The lists as Airflow defines them at a version (null: latest): which list each role adds on top of the previous one. */
export function roleLists(version: string | null): RoleLists {
  const at = (v: string) => versionAtLeast(version, v);
  if (at('3.0')) return { VIEWER: VIEWER_3, USER: USER_3, OP: OP_3, ADMIN: ADMIN_3 };
  if (at('2.10')) return { VIEWER: VIEWER_210, USER: USER_210, OP: OP_210, ADMIN: ADMIN_210 };
  if (at('2.8')) return { VIEWER: VIEWER_28, USER: USER_2, OP: OP_28, ADMIN: ADMIN_27 };
  if (at('2.7')) return { VIEWER: VIEWER_27, USER: USER_2, OP: OP_27, ADMIN: ADMIN_27 };
  if (at('2.4')) return { VIEWER: VIEWER_24, USER: USER_2, OP: OP_27, ADMIN: ADMIN_27 };
  if (at('2.0.1')) return { VIEWER: VIEWER_20, USER: USER_2, OP: OP_27, ADMIN: ADMIN_27 };
  return { VIEWER: VIEWER_200, USER: USER_2, OP: OP_27, ADMIN: ADMIN_27 };
}

/** Every (action, resource) a default role holds. Admin additionally holds everything else ("all"). */
export function defaultRolePermissions(role: DefaultRoleName, version: string | null): Permission[] {
  const l = roleLists(version);
  switch (role) {
    case 'Public': return [];
    case 'Viewer': return [...l.VIEWER];
    case 'User': return [...l.VIEWER, ...l.USER];
    case 'Op': return [...l.VIEWER, ...l.USER, ...l.OP];
    case 'Admin': return [...l.VIEWER, ...l.USER, ...l.OP, ...l.ADMIN];
  }
}

export function isDefaultRole(name: string): name is DefaultRoleName {
  return (DEFAULT_ROLES as readonly string[]).includes(name);
}

export const DAG_RESOURCE_ACTIONS = ['can_read', 'can_edit', 'can_delete'] as const;
export const DAG_RUN_RESOURCE_ACTIONS = ['can_read', 'can_create', 'can_delete', 'menu_access'] as const;

/**
 * Global actions a role holds on 'DAGs' or 'DAG Runs' (what reaches every DAG). Admin holds all
 * DAG and DAG Run actions (Airflow gives Admin every permission). Other roles: from the lists.
 */
export function globalDagActions(role: string, resource: 'DAGs' | 'DAG Runs', version: string | null): string[] {
  if (!isDefaultRole(role)) return [];
  const perms = defaultRolePermissions(role, version).filter(([, res]) => res === resource).map(([a]) => a);
  if (role === 'Admin') {
    const all = resource === 'DAGs' ? [...DAG_RESOURCE_ACTIONS, 'menu_access'] : [...DAG_RUN_RESOURCE_ACTIONS, 'can_edit'];
    return [...new Set([...perms, ...all])];
  }
  return [...new Set(perms)];
}
