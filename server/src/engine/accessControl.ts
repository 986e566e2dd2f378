/**
 * Reads a DAG's `access_control` the way Airflow's FAB sync does: which per-DAG grants it makes,
 * which parts Airflow rejects or rewrites for the configured version, and where the sync stops.
 *
 * Sources (apache/airflow):
 * - the sync: `sync_perm_for_dag` / `_sync_dag_view_permissions` in `airflow/www/security.py`
 *   (2.0-2.6), `airflow/auth/managers/fab/security_manager/override.py` (2.7-2.8) and the FAB
 *   provider's `auth_manager/security_manager/override.py` (2.9+, 3.x). `_sync_dag_view_permissions`
 *   first revokes every non-Admin role's per-DAG permission the mapping does not list, then walks the
 *   mapping in order and raises (an import error for the DAG) at the first role that does not exist
 *   (`find_role`) or the first invalid action / resource: roles before it got their grants, it and the
 *   roles after it got nothing new.
 * - the DAG actions: `DAG_ACTIONS` in `airflow/security/permissions.py`; `can_delete` joined
 *   `can_read` / `can_edit` in 2.3.0 (apache/airflow#21938 "Add per-DAG delete permissions").
 * - `can_dag_read` / `can_dag_edit`: `DAG._upgrade_outdated_dag_access_control` in
 *   `airflow/models/dag.py` maps them with a deprecation warning through 2.x (2.10.5 still warns,
 *   apache/airflow#51869); apache/airflow#41774 removed the mapping for 3.0, so they are invalid there.
 * - the nested form: `RESOURCE_DETAILS_MAP` (2.10.0, apache/airflow#40703); before 2.10 the
 *   upgrade step turns `{"role": {"DAGs": ..}}` into `{"role": {"DAGs", "DAG Runs"}}`
 *   (apache/airflow#42214), two invalid action names.
 */
import type { AccessConfig } from '../model/config';
import type { AccessControlFact, Range } from '../model/facts';
import type { AccessConflict } from '../model/access';
import { DAG_RESOURCE_ACTIONS, DAG_RUN_RESOURCE_ACTIONS, DEFAULT_ROLES } from './defaultRoles';
import { versionAtLeast } from './version';
import type { AccessControlMode } from '../model/accessControlVersions';

export { accessControlEffect, airflowMajor, whenAirflowReverts, type AccessControlMode } from '../model/accessControlVersions';


export interface AccessControlGrant {
  role: string;
  resource: 'DAGs' | 'DAG Runs';
  action: string;
  range: Range;
}

export const RESOURCE_ACTIONS: Record<'DAGs' | 'DAG Runs', readonly string[]> = {
  DAGs: DAG_RESOURCE_ACTIONS,
  'DAG Runs': DAG_RUN_RESOURCE_ACTIONS,
};

/** Airflow 1.10 action names and what Airflow 2 maps them to. */
export const DEPRECATED_ACTIONS: Record<string, string> = { can_dag_read: 'can_read', can_dag_edit: 'can_edit' };

/** Actions access_control accepts for a resource at a version (can_delete on DAGs from 2.3). */
export function resourceActionsAt(resource: 'DAGs' | 'DAG Runs', version: string | null): readonly string[] {
  if (resource === 'DAGs' && !versionAtLeast(version, '2.3')) return ['can_read', 'can_edit'];
  return RESOURCE_ACTIONS[resource];
}

export function accessControlMode(ac: AccessControlFact | null): AccessControlMode {
  if (!ac) return 'absent';
  if (ac.kind === 'none') return 'none';
  if (ac.kind === 'dynamic') return 'dynamic';
  return ac.roles.length === 0 && ac.dynamic.length === 0 ? 'empty' : 'dict';
}

/** Roles that exist, for the unknown-role check: the database's ab_role, else the config and defaults. */
export interface ExistingRoles {
  names: ReadonlySet<string>;
  source: 'database' | 'config';
  /** Config roles missing from the database that `airflow-access sync` creates (database source only). */
  syncCreates?: ReadonlySet<string>;
}

export interface AccessControlRead {
  /** Grants Airflow applies (roles before the point where its sync fails). */
  grants: AccessControlGrant[];
  /** Every valid grant the mapping lists: what Airflow's revocation step keeps. */
  target: AccessControlGrant[];
  conflicts: AccessConflict[];
  /** The first entry that makes Airflow's sync raise (the DAG then fails to import), or null. */
  failure: { role: string; range: Range } | null;
}

/**
 * Roles access_control may name: the database's ab_role when connected (what Airflow's `find_role`
 * looks up), else the config's and the default roles; null when nothing tells.
 */
export function existingRoles(dbRoles: ReadonlySet<string> | null | undefined, config: AccessConfig | null): ExistingRoles | null {
  if (dbRoles) return { names: dbRoles, source: 'database', syncCreates: new Set((config?.roles ?? []).map((r) => r.name).filter((n) => !dbRoles.has(n))) };
  if (!config) return null;
  return { names: new Set([...DEFAULT_ROLES, ...config.roles.map((r) => r.name)]), source: 'config' };
}

/** The unknown-role conflict's text: the engine's `unknown_role` conflict and ADA004 both say this. */
export function unknownRoleMessage(role: string, existing: ExistingRoles): string {
  const fails = `Airflow's sync of this DAG's access_control revokes the other roles' per-DAG grants, then fails the DAG's import ("that role does not exist")`;
  if (existing.source === 'database' && existing.syncCreates?.has(role)) {
    return `Role '${role}' is not in the database's ab_role yet (\`airflow-access sync\` creates it from the config). Until it exists, ${fails}; access_control grants '${role}' nothing until Airflow re-syncs the DAG after that.`;
  }
  const where = existing.source === 'database' ? "the database's ab_role" : 'the config or the default roles';
  return `Role '${role}' is not in ${where}: ${fails}; '${role}' gets nothing from access_control.`;
}

/** Grants an access_control dict makes, plus conflicts for what Airflow rejects (version-gated). */
export function readAccessControl(ac: AccessControlFact | null, version: string | null, existing?: ExistingRoles | null): AccessControlRead {
  const grants: AccessControlGrant[] = [];
  const target: AccessControlGrant[] = [];
  const conflicts: AccessConflict[] = [];
  let failure: AccessControlRead['failure'] = null;
  if (!ac || ac.kind !== 'dict') return { grants, target, conflicts, failure };
  const nestedOk = versionAtLeast(version, '2.10');
  const fail = (role: string, range: Range) => {
    if (!failure) failure = { role, range };
  };
  for (const roleFact of ac.roles) {
    const role = roleFact.role.value;
    if (existing && !existing.names.has(role)) {
      // Airflow's revocation step reads the mapping as written, before find_role: the role's listed
      // actions stay in `target` (grants it gets later, e.g. from our tag sync once the role exists, are
      // not revoked); only the grants from this entry on are not applied.
      conflicts.push({ kind: 'unknown_role', severity: 'error', role, range: roleFact.role.range, message: unknownRoleMessage(role, existing) });
      fail(role, roleFact.role.range);
    }
    if (roleFact.form === 'nested' && !nestedOk) {
      conflicts.push({ kind: 'nested_needs_2_10', severity: 'error', role, range: roleFact.range,
        message: `The nested access_control form ({"${role}": {"DAGs": ...}}) needs Airflow 2.10; on ${version} Airflow reads "DAGs" / "DAG Runs" as permission names, revokes the stale grants and fails the DAG's import. Use {"${role}": {"can_read", ...}}.` });
      fail(role, roleFact.range);
      continue;
    }
    for (const res of roleFact.resources) {
      const resource = res.resource ? res.resource.value : 'DAGs';
      if (resource !== 'DAGs' && resource !== 'DAG Runs') {
        const range = res.resource?.range ?? roleFact.range;
        conflicts.push({ kind: 'invalid_resource', severity: 'error', role, range,
          message: `'${resource}' is not a resource access_control accepts (valid: DAGs, DAG Runs); Airflow fails to import the DAG.` });
        fail(role, range);
        continue;
      }
      const valid = resourceActionsAt(resource, version);
      const actions: AccessControlGrant[] = [];
      let invalid = false;
      for (const a of res.actions) {
        let action = a.value;
        if (DEPRECATED_ACTIONS[action]) {
          if (versionAtLeast(version, '3.0')) {
            conflicts.push({ kind: 'deprecated_action', severity: 'error', role, range: a.range,
              message: `'${action}' was removed in Airflow 3.0; use '${DEPRECATED_ACTIONS[action]}'. Airflow rejects it as an invalid permission and fails to import the DAG.` });
            invalid = true;
            fail(role, a.range);
            continue;
          }
          conflicts.push({ kind: 'deprecated_action', severity: 'warning', role, range: a.range,
            message: `'${action}' is deprecated (Airflow 2 maps it to '${DEPRECATED_ACTIONS[action]}' with a warning; Airflow 3 rejects it).` });
          action = DEPRECATED_ACTIONS[action];
        }
        if (!valid.includes(action)) {
          const since = resource === 'DAGs' && action === 'can_delete' ? ' (per-DAG can_delete needs Airflow 2.3)' : '';
          conflicts.push({ kind: 'invalid_action', severity: 'error', role, range: a.range,
            message: `'${action}' is not a valid ${resource} permission${since} (valid: ${valid.join(', ')}); Airflow fails to import the DAG.` });
          invalid = true;
          fail(role, a.range);
          continue;
        }
        actions.push({ role, resource, action, range: a.range });
      }
      target.push(...actions);
      // Airflow validates a role's actions on a resource before granting any of them.
      if (!failure && !invalid) grants.push(...actions);
    }
  }
  if (ac.dynamic.length) {
    conflicts.push({ kind: 'access_control_dynamic', severity: 'info', range: ac.dynamic[0].range,
      message: 'Part of access_control cannot be read statically; the grants shown may be incomplete.' });
  }
  return { grants, target, conflicts, failure };
}
