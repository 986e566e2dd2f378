/**
 * The plan as one SQL transaction for the target dialect, for metadata databases reachable only from
 * inside the Airflow environment (MWAA...). Same statements as applyPlan, values inlined as quoted
 * literals (JSON arrays), serialized with the same lock, idempotent when run twice.
 */
import { dialectFor } from '../db/dialects';
import type { Dialect } from '../db/types';
import { inlineParams, insertAudit } from './statements';
import { contextForScript, planSteps } from './steps';
import { summaryLine } from './formatText';
import type { SyncPlan } from './types';

export interface SqlScriptOptions {
  /** Defaults to the plan's own dialect. */
  dialect?: Dialect;
  /** Add an audit row to Airflow's `log` table (default true; the table exists in every Airflow 2/3). */
  audit?: boolean;
  auditUser?: string;
}

export function planToSql(plan: SyncPlan, opts: SqlScriptOptions = {}): string {
  const dialect = opts.dialect ?? plan.target.dialect;
  const ctx = contextForScript(dialect);
  const { script } = dialectFor(dialect);
  const lines: string[] = [
    `-- Airflow DAG Access: sync plan ${plan.planId} for ${dialect}`,
    `-- ${summaryLine(plan)}`,
    '-- Runs in one transaction; any error rolls everything back. Safe to run twice (already-present rows are skipped).',
    `-- Generated from the plan: review it, then run it with ${script.runWith}`,
    '',
  ];
  lines.push(...script.begin);
  for (const step of planSteps(ctx, plan)) lines.push('', `-- ${step.label}`, `${inlineParams(dialect, step.stmt)};`);
  if (opts.audit !== false && !plan.empty) {
    const a = insertAudit(ctx, 'airflow-dag-access sync', opts.auditUser ?? 'airflow-access (sql script)', auditExtra(plan));
    lines.push('', '-- audit entry in Airflow\'s log table', `${inlineParams(dialect, a)};`);
  }
  lines.push('', ...script.end);
  return lines.join('\n') + '\n';
}

/**
 * The `extra` of the audit row. `applied`: the rows the statements actually wrote (an apply records
 * these, never the plan's counts: the two differ when the database judged a planned row to exist
 * already); a script, which cannot know them, records the plan's.
 */
export function auditExtra(plan: Pick<SyncPlan, 'planId' | 'summary'>, extra: Record<string, unknown> = {}, applied?: AppliedCounts): string {
  const s = plan.summary;
  const counts = applied
    ? { added: applied.added, revoked: applied.revoked, createdRoles: applied.createdRoles, createdResources: applied.createdResources }
    : { added: s.add, revoked: s.revoke, createdRoles: s.createRoles, createdResources: s.createResources };
  return JSON.stringify({ tool: 'airflow-dag-access', planId: plan.planId, ...counts, ...extra });
}

export interface AppliedCounts {
  added: number;
  revoked: number;
  createdRoles: number;
  createdResources: number;
}
