/**
 * Reads a DAG's `access_control` the way Airflow's FAB sync does: which per-DAG grants it makes,
 * and which parts Airflow rejects or rewrites for the configured version.
 */
import type { AccessControlFact, Range } from '../model/facts';
import type { AccessConflict } from '../model/access';
import { DAG_RESOURCE_ACTIONS, DAG_RUN_RESOURCE_ACTIONS } from './defaultRoles';
import { versionAtLeast } from './version';

export type AccessControlMode = 'absent' | 'none' | 'dict' | 'empty' | 'dynamic';

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

const DEPRECATED: Record<string, string> = { can_dag_read: 'can_read', can_dag_edit: 'can_edit' };

export function accessControlMode(ac: AccessControlFact | null): AccessControlMode {
  if (!ac) return 'absent';
  if (ac.kind === 'none') return 'none';
  if (ac.kind === 'dynamic') return 'dynamic';
  return ac.roles.length === 0 && ac.dynamic.length === 0 ? 'empty' : 'dict';
}

/** Grants an access_control dict makes, plus conflicts for what Airflow rejects (version-gated). */
export function readAccessControl(ac: AccessControlFact | null, version: string | null): { grants: AccessControlGrant[]; conflicts: AccessConflict[] } {
  const grants: AccessControlGrant[] = [];
  const conflicts: AccessConflict[] = [];
  if (!ac || ac.kind !== 'dict') return { grants, conflicts };
  const nestedOk = versionAtLeast(version, '2.10');
  for (const roleFact of ac.roles) {
    const role = roleFact.role.value;
    if (roleFact.form === 'nested' && !nestedOk) {
      conflicts.push({ kind: 'nested_needs_2_10', severity: 'error', role, range: roleFact.range,
        message: `The nested access_control form ({"${role}": {"DAGs": ...}}) needs Airflow 2.10; airflow.version is ${version}. Use {"${role}": {"can_read", ...}}.` });
      continue;
    }
    for (const res of roleFact.resources) {
      const resource = res.resource ? res.resource.value : 'DAGs';
      if (resource !== 'DAGs' && resource !== 'DAG Runs') {
        conflicts.push({ kind: 'invalid_resource', severity: 'error', role, range: res.resource?.range ?? roleFact.range,
          message: `'${resource}' is not a resource access_control accepts (valid: DAGs, DAG Runs); Airflow fails to import the DAG.` });
        continue;
      }
      for (const a of res.actions) {
        let action = a.value;
        if (DEPRECATED[action]) {
          if (versionAtLeast(version, '3.0')) {
            conflicts.push({ kind: 'deprecated_action', severity: 'error', role, range: a.range,
              message: `'${action}' was removed in Airflow 3.0; use '${DEPRECATED[action]}'. Airflow rejects it as an invalid permission.` });
            continue;
          }
          conflicts.push({ kind: 'deprecated_action', severity: 'warning', role, range: a.range,
            message: `'${action}' is deprecated (Airflow maps it to '${DEPRECATED[action]}'; removed in 3.0).` });
          action = DEPRECATED[action];
        }
        if (!RESOURCE_ACTIONS[resource].includes(action)) {
          conflicts.push({ kind: 'invalid_action', severity: 'error', role, range: a.range,
            message: `'${action}' is not a valid ${resource} permission (valid: ${RESOURCE_ACTIONS[resource].join(', ')}); Airflow fails to import the DAG.` });
          continue;
        }
        grants.push({ role, resource, action, range: a.range });
      }
    }
  }
  if (ac.dynamic.length) {
    conflicts.push({ kind: 'access_control_dynamic', severity: 'info', range: ac.dynamic[0].range,
      message: 'Part of access_control cannot be read statically; the grants shown may be incomplete.' });
  }
  return { grants, conflicts };
}
