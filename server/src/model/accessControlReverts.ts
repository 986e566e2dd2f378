/**
 * The one rule for "Airflow will revoke this per-DAG grant": a DAG whose access_control is a dict
 * (including `{}`) is authoritative, so at its next parse Airflow keeps exactly the grants it lists
 * and revokes every other per-DAG grant of roles other than Admin. Shared by the access engine
 * (check, explain, hover) and the sync planner (plan's warning), so they cannot disagree.
 *
 * Airflow (apache/airflow): `_sync_dag_view_permissions` in
 * `providers/fab/src/airflow/providers/fab/auth_manager/security_manager/override.py` (2.x:
 * `airflow/www/security_manager.py`), called from `sync_perm_for_dag` when access_control is not
 * None, revokes each permission on `DAG:<id>` / `DAG Run:<id>` that the role's listed actions do not
 * include, for every role but the one named "Admin".
 */

/** `role|resource|action`, resource being `DAGs` or `DAG Runs`. */
export function accessControlGrantKey(role: string, resource: string, action: string): string {
  return `${role}|${resource}|${action}`;
}

/**
 * `keeps`: the grants an authoritative access_control lists (keys from accessControlGrantKey), or
 * null when it is absent, None or unreadable (then Airflow leaves other grants alone).
 */
export function revertedByAccessControl(keeps: ReadonlySet<string> | null, role: string, resource: string, action: string): boolean {
  return keeps !== null && role !== 'Admin' && !keeps.has(accessControlGrantKey(role, resource, action));
}
