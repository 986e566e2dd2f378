/** Plan output formats: text (terraform-style), stable JSON, SQL script, Airflow sync DAG. */
export { formatPlanText, summaryLine, type TextOptions } from './formatText';
export { planToSql, type SqlScriptOptions } from './formatSql';
export { generateSyncDag, type SyncDagOptions } from './syncDag';
import type { SyncPlan } from './types';

/** The plan as stable, pretty JSON (same DB + same config → byte-identical output). */
export function planToJson(plan: SyncPlan): string {
  return JSON.stringify(plan, null, 2);
}
