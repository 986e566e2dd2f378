/** Plan output formats: text (terraform-style), stable JSON, SQL script, Airflow sync DAG. */
export { formatPlanText, summaryLine, type TextOptions } from './formatText';
export { planToSql, type SqlScriptOptions } from './formatSql';
export { generateSyncDag, type SyncDagOptions } from './syncDag';
import type { SyncPlan } from './types';

