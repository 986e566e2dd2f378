/** computeDagAccess under the file auth manager: global roles from the users file; per-DAG grants have no effect. */
import type { AccessConflict, DagAccess, Grant, RoleAccess } from '../model/access';
import { accessControlMode } from './accessControl';
import { FILE_AUTH_ROLES, fileAuthRoleActions } from './fileAuth';
import { type DagAccessInput, dagIdOf } from './dagAccessInput';
import { rolesForTag } from './tags';

export function fileAuthDagAccess(input: DagAccessInput, version: string | null): DagAccess {
  const { dag, config } = input;
  const conflicts: AccessConflict[] = [];
  for (const tag of dag.tags?.items ?? []) {
    const mapped = rolesForTag(config, tag.value);
    if (!mapped.length) continue;
    conflicts.push({ kind: 'no_effect_file_auth', severity: 'warning', range: tag.range, role: mapped[0].role.name,
      message: `Tag '${tag.value}' maps to ${mapped.map((m) => `'${m.role.name}'`).join(', ')}, but the file auth manager has no per-DAG permissions: the tag grants nothing.` });
  }
  if (dag.accessControl && dag.accessControl.kind !== 'none') {
    conflicts.push({ kind: 'no_effect_file_auth', severity: 'warning', range: dag.accessControl.range,
      message: 'access_control has no effect under the file auth manager: access depends only on each user\'s role (viewer, editor, admin).' });
  }
  const roles: RoleAccess[] = FILE_AUTH_ROLES.map((role) => {
    const users = (input.users?.users ?? []).filter((u) => u.role === role).map((u) => u.username);
    const { dagActions, dagRunActions } = fileAuthRoleActions(role);
    const via = [{ kind: 'file_auth' as const, role, users }];
    const grants: Grant[] = [
      ...dagActions.map((action) => ({ role, resource: 'DAGs' as const, action, scope: 'global' as const, via })),
      ...dagRunActions.map((action) => ({ role, resource: 'DAG Runs' as const, action, scope: 'global' as const, via })),
    ];
    return { role, builtin: true, grants, dagActions, dagRunActions, editWithoutRead: false };
  });
  const withUsers = input.users ? roles.filter((r) => (r.grants[0].via[0] as { users: string[] }).users.length) : roles;
  const count = (a: string) => withUsers.filter((r) => r.dagActions.includes(a)).length;
  return {
    dagId: dagIdOf(dag),
    roles: withUsers,
    conflicts,
    summary: { canRead: count('can_read'), canEdit: count('can_edit'), canDelete: count('can_delete'),
      nonAdminReachable: withUsers.some((r) => r.role !== 'admin'), perDagRoles: 0 },
    airflowVersion: version,
    authManager: 'file',
    accessControlMode: accessControlMode(dag.accessControl),
  };
}
