/**
 * Under every auth manager other than FAB, DAG access does not come from FAB roles: the grants our sync
 * writes from tags and the DAG's `access_control` are read by nothing (in Airflow 3 `access_control` is
 * applied only by the FAB auth manager). One conflict per access tag and one on access_control.
 */
import type { AuthManagerKind } from '../model/config';
import { AUTH_MANAGER_LABEL } from '../model/authManagers';
import type { AccessConflict } from '../model/access';
import type { DagAccessInput } from './dagAccessInput';
import { closestMappedTag, isPermissionLikeTag, rolesForTag } from './tags';

export { AUTH_MANAGER_LABEL };

/** Where DAG access is decided instead, for the messages. */
const DECIDED_BY: Record<Exclude<AuthManagerKind, 'fab' | 'file'>, string> = {
  simple: "each user's role (viewer, user, op, admin) decides, the same for every DAG",
  keycloak: "Keycloak's authorization services decide",
  aws: 'Amazon Verified Permissions policies decide',
};

export function noEffectConflicts(input: DagAccessInput, authManager: Exclude<AuthManagerKind, 'fab' | 'file'>): AccessConflict[] {
  const { dag, config } = input;
  const label = AUTH_MANAGER_LABEL[authManager];
  const out: AccessConflict[] = [];
  for (const tag of dag.tags?.items ?? []) {
    const mapped = rolesForTag(config, tag.value);
    // As ADA001 decides what looks like an access tag: the pattern, or a near miss of a mapped tag.
    if (!mapped.length && !isPermissionLikeTag(config, tag.value) && !closestMappedTag(config, tag.value)) continue;
    const what = mapped.length ? `maps to ${mapped.map((m) => `'${m.role.name}'`).join(', ')}, but` : 'looks like an access tag, but';
    out.push({ kind: 'no_effect_auth_manager', severity: 'warning', range: tag.range, ...(mapped.length ? { role: mapped[0].role.name } : {}),
      message: `Tag '${tag.value}' ${what} it has no effect under the ${label}: Airflow reads no FAB grants there; ${DECIDED_BY[authManager]}.` });
  }
  if (dag.accessControl && dag.accessControl.kind !== 'none') {
    out.push({ kind: 'no_effect_auth_manager', severity: 'warning', range: dag.accessControl.range,
      message: `access_control has no effect under the ${label}: only the FAB auth manager applies it; ${DECIDED_BY[authManager]}.` });
  }
  return out;
}
