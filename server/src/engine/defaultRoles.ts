/**
 * Airflow's default FAB roles and their permissions (action, resource), per era.
 * Public = nothing; Viewer = VIEWER; User = VIEWER + USER; Op = User + OP; Admin = everything.
 * Era "2": the 2.x lists (Datasets, Plugins and Audit Logs readable by Viewer).
 * Era "3": the FAB provider lists used with Airflow 3 (Assets, DAG Versions, Backfills, HITL Detail).
 */
import { versionAtLeast } from './version';

export type DefaultRoleName = 'Admin' | 'Op' | 'User' | 'Viewer' | 'Public';
export const DEFAULT_ROLES: readonly DefaultRoleName[] = ['Admin', 'Op', 'User', 'Viewer', 'Public'];
export type Permission = readonly [action: string, resource: string];

const r = (action: string, ...resources: string[]): Permission[] => resources.map((res) => [action, res] as const);

const VIEWER_2: Permission[] = [
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
const OP_2: Permission[] = [
  ...r('can_read', 'Configurations'),
  ...r('menu_access', 'Admin', 'Configurations', 'Connections', 'Pools', 'Variables', 'Providers', 'XComs'),
  ...r('can_create', 'Connections'), ...r('can_read', 'Connections'), ...r('can_edit', 'Connections'), ...r('can_delete', 'Connections'),
  ...r('can_create', 'Pools'), ...r('can_edit', 'Pools'), ...r('can_delete', 'Pools'),
  ...r('can_read', 'Providers'),
  ...r('can_create', 'Variables'), ...r('can_read', 'Variables'), ...r('can_edit', 'Variables'), ...r('can_delete', 'Variables'),
  ...r('can_delete', 'XComs'),
];

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

/** The lists as Airflow defines them: which list each role adds on top of the previous one. */
export function roleLists(version: string | null): { VIEWER: Permission[]; USER: Permission[]; OP: Permission[]; ADMIN: Permission[] } {
  return versionAtLeast(version, '3.0')
    ? { VIEWER: VIEWER_3, USER: USER_3, OP: OP_3, ADMIN: ADMIN_3 }
    : { VIEWER: VIEWER_2, USER: USER_2, OP: OP_2, ADMIN: [] };
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
