/**
 * computeDagAccess under Airflow 3's simple auth manager: four global roles (engine/simpleAuth.ts),
 * the users read from `simple_auth_manager_users`; tags and access_control have no effect.
 */
import type { AuthManagerAnswer, DagAccess, DagOperation, Grant, RoleAccess, SimpleRole } from '../model/access';
import { accessControlMode } from './accessControl';
import { noEffectConflicts } from './authNoEffect';
import type { DagAccessInput } from './dagAccessInput';
import { dagIdOf } from './dagAccessInput';
import { SIMPLE_ROLES, simpleDagOperations, type SimpleUsers } from './simpleAuth';

/** FAB action names of each operation, so the access table, matrix and counts read as for FAB. */
const DAG_ACTION: Partial<Record<DagOperation, string>> = { read: 'can_read', edit: 'can_edit', delete: 'can_delete' };
const RUN_ACTION: Partial<Record<DagOperation, string>> = { read: 'can_read', trigger: 'can_create', delete: 'can_delete' };

export const ANONYMOUS_ADMIN = 'Anonymous';

export function simpleAuthDagAccess(input: DagAccessInput, version: string | null, simpleUsers: SimpleUsers | null): DagAccess {
  const known = simpleUsers ?? { users: [], source: null, allAdmins: false, invalid: [] };
  const usersOf = (role: SimpleRole): string[] =>
    known.allAdmins ? (role === 'admin' ? [ANONYMOUS_ADMIN] : []) : known.users.filter((u) => u.role === role).map((u) => u.username);
  // With users (or all_admins) only the roles someone holds; without, the whole matrix.
  const shown = SIMPLE_ROLES.filter((r) => (known.allAdmins || known.source ? usersOf(r).length > 0 : true));
  const roles: RoleAccess[] = shown.map((role) => {
    const ops = simpleDagOperations(role);
    const users = usersOf(role);
    const via = [{ kind: 'simple_auth' as const, role, users }];
    const dagActions = (Object.keys(ops) as DagOperation[]).filter((o) => ops[o] && DAG_ACTION[o]).map((o) => DAG_ACTION[o]!);
    const dagRunActions = (Object.keys(ops) as DagOperation[]).filter((o) => ops[o] && RUN_ACTION[o]).map((o) => RUN_ACTION[o]!);
    const grants: Grant[] = [
      ...dagActions.map((action) => ({ role, resource: 'DAGs' as const, action, scope: 'global' as const, via })),
      ...dagRunActions.map((action) => ({ role, resource: 'DAG Runs' as const, action, scope: 'global' as const, via })),
    ];
    return { role, builtin: true, grants, dagActions, dagRunActions, editWithoutRead: false };
  });
  const answer: AuthManagerAnswer = {
    authManager: 'simple',
    decidedBy: known.allAdmins
      ? 'simple_auth_manager_all_admins is on: nobody logs in, everyone is an anonymous admin'
      : "each user's role in simple_auth_manager_users (viewer < user < op < admin), the same for every DAG",
    allAdmins: known.allAdmins,
    usersSource: known.source,
    roles: SIMPLE_ROLES.map((role) => ({ role, operations: simpleDagOperations(role), users: usersOf(role) })),
    invalidUsers: known.allAdmins ? [] : known.invalid,
    users: known.allAdmins
      ? [{ username: ANONYMOUS_ADMIN, role: 'admin', teams: [], operations: simpleDagOperations('admin') }]
      : known.users.map((u) => ({ username: u.username, role: u.role, teams: u.teams, operations: simpleDagOperations(u.role) })),
  };
  const count = (a: string) => roles.filter((r) => r.dagActions.includes(a)).length;
  return {
    dagId: dagIdOf(input.dag),
    roles,
    conflicts: noEffectConflicts(input, 'simple'),
    summary: { canRead: count('can_read'), canEdit: count('can_edit'), canDelete: count('can_delete'),
      nonAdminReachable: roles.some((r) => r.role !== 'admin' && r.dagActions.length > 0), perDagRoles: 0 },
    airflowVersion: version,
    authManager: 'simple',
    authAnswer: answer,
    accessControlMode: accessControlMode(input.dag.accessControl),
  };
}
