/**
 * How each Airflow release treats a DAG's access_control, as the engine and the sync both need it
 * (model/, so the sync layer below the engine can use it).
 */
import { patchGate } from './airflowVersion';

export type AccessControlMode = 'absent' | 'none' | 'dict' | 'empty' | 'dynamic';

/**
 * What Airflow's sync does with the DAG's per-DAG grants for this access_control:
 * 'authoritative' (a non-empty mapping: it keeps only what the mapping lists), 'wipe' (it revokes
 * every non-Admin per-DAG grant) or 'keep' (it changes nothing).
 *   - before 2.6.2 `sync_perm_for_dag` ran `if access_control:` so {} and None changed nothing;
 *   - 2.6.2 (apache/airflow#30340) revoked every per-DAG grant when access_control was empty or
 *     None, which removed grants made in the UI (apache/airflow#32839);
 *   - 2.7.1 (apache/airflow#33632) tests `if access_control is not None`: None keeps, {} wipes.
 * `note` explains a version that names the minor release of a change without its patch.
 */
export function accessControlEffect(mode: AccessControlMode, version: string | null): { effect: 'authoritative' | 'wipe' | 'keep' | 'unknown'; note: string | null } {
  if (mode === 'dynamic') return { effect: 'unknown', note: null };
  if (mode === 'dict') return { effect: 'authoritative', note: null };
  const from262 = patchGate(version, '2.6.2');
  const from271 = patchGate(version, '2.7.1');
  if (mode === 'empty') {
    if (from262 === 'ambiguous') return { effect: 'wipe', note: `Airflow ${version}.0 and ${version}.1 skip an empty access_control; from 2.6.2 it removes every per-DAG grant. Set airflow.version to the exact release.` };
    return { effect: from262 === 'no' ? 'keep' : 'wipe', note: null };
  }
  // absent or None: Airflow's default is None.
  if (from262 === 'ambiguous') return { effect: 'wipe', note: `On Airflow 2.6.2 and 2.6.3 a DAG without access_control loses every per-DAG grant when Airflow syncs it (2.6.0 and 2.6.1 keep them). Set airflow.version to the exact release.` };
  if (from271 === 'ambiguous') return { effect: 'keep', note: `On Airflow 2.7.0 a DAG without access_control loses every per-DAG grant when Airflow syncs it; from 2.7.1 it keeps them. Set airflow.version to the exact release.` };
  return { effect: from262 === 'yes' && from271 === 'no' ? 'wipe' : 'keep', note: null };
}

/**
 * When Airflow re-applies access_control, and so reverts the per-DAG grants it does not list. The
 * one wording every view uses (plan, explain, hover, diagnostics).
 *   - 3.x: `dag_processing/collection.py` `_serialize_dag_capturing_errors` calls `_sync_dag_perms`
 *     on every parse of the DAG, when the auth manager is FAB;
 *   - 2.x: `airflow/models/dagbag.py` `DagBag._sync_to_db` calls `_sync_perm_for_dag` only
 *     `if dag_was_updated`, i.e. when the serialized DAG changed.
 */
export function whenAirflowReverts(major: 2 | 3 | null): string {
  if (major === 3) return 'at every parse of the DAG (Airflow 3 with the FAB auth manager)';
  if (major === 2) return 'the next time the DAG changes (Airflow 2 re-syncs a DAG only when its serialized form changes): until then the grant exists, and a tag sync after that puts it back, so access flaps';
  return 'at its next parse (Airflow 3) or next change (2.x)';
}

export function airflowMajor(version: string | null): 2 | 3 | null {
  if (version === null) return null;
  const m = /^(\d+)/.exec(version);
  return m?.[1] === '2' ? 2 : m?.[1] === '3' ? 3 : null;
}

