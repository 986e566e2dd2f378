/**
 * The write half of a sync, shared by applyPlan (a reviewed plan) and planAndApply (plan under the
 * lock): given the plan to carry out and the database ids it was computed from, write the snapshot,
 * run the set-based statements, and add the audit row. Runs inside the caller's transaction.
 */
import type { SchemaInfo } from '../db/schema';
import type { Db } from '../db/types';
import { auditExtra } from './formatSql';
import { deleteGrantsById, insertGrantsById, type IdPairs } from './idStatements';
import { insertGrantsBulk } from './pgBulkGrants';
import type { CoreIds } from './planCore';
import { buildSnapshot, writeSnapshot, type SnapshotGrant } from './snapshot';
import { insertAudit, type SqlContext, type Stmt } from './statements';
import { contextFromSchema, planSteps, type Changes } from './steps';
import type { SyncPlan } from './types';

export interface WriteOptions {
  snapshotDir: string;
  onProgress?: (msg: string) => void;
  /** Recorded as `owner` of the audit row in Airflow's `log` table. */
  auditUser?: string;
  /** PostgreSQL: from this many new grants on, insert with the foreign keys dropped and re-validated (pgBulkGrants.ts). */
  bulkMinGrants?: number;
}

export interface ApplySummary {
  added: number;
  revoked: number;
  createdRoles: number;
  createdResources: number;
  createdPermissionViews: number;
  createdActions: number;
}

export interface WriteResult {
  snapshotFile: string;
  summary: ApplySummary;
  /** Rows inserted + deleted (audit row included). */
  rowsWritten: number;
  audited: boolean;
}

/** A statement, built only when it runs; `plain`: the PostgreSQL bulk path's insert without conflict handling. */
interface WriteStep {
  label: string;
  grantRows: number;
  stmt: (plain: boolean) => Stmt;
}

/**
 * Write `plan` (already known to be what the database needs) in the open transaction `tx`.
 * `planId` names the reviewed plan in the snapshot and the audit row.
 */
export async function writePlan(tx: Db, schema: SchemaInfo, planId: string, plan: SyncPlan, ids: CoreIds, opts: WriteOptions): Promise<WriteResult> {
  const progress = opts.onProgress ?? (() => undefined);
  const todo = changesOf(plan);
  // The snapshot must be on disk before COMMIT (before that nothing is visible or durable). It is
  // written while the database runs the grant insert, the longest statement, which uses the other
  // core; a plan without grants to add writes it before its first statement.
  let snapshotFile = '';
  const takeSnapshot = () => {
    if (snapshotFile) return;
    snapshotFile = writeSnapshot(opts.snapshotDir, buildSnapshot({ planId, dialect: tx.dialect, target: tx.label, changes: todo, deleted: deletedRows(plan, ids) }));
    progress(`Snapshot written to ${snapshotFile}`);
  };
  const runWhileSnapshot = async (st: Stmt) => {
    const pending = tx.run(st.sql, st.params);
    try {
      await tx.sent();
      takeSnapshot();
    } catch (e) {
      await pending.catch(() => undefined);
      throw e;
    }
    return pending;
  };
  const out: WriteResult = { snapshotFile, summary: { added: 0, revoked: 0, createdRoles: 0, createdResources: 0, createdPermissionViews: 0, createdActions: 0 }, rowsWritten: 0, audited: false };
  const ctx = contextFromSchema(schema);
  const steps = writeSteps(ctx, todo, ids);
  const adds = steps.filter((st) => st.grantRows > 0);
  if (!adds.length) takeSnapshot();
  const record = (label: string, n: number) => {
    out.rowsWritten += n;
    tally(out.summary, label, n);
  };
  for (const step of steps) {
    if (step.grantRows > 0 && step !== adds[0]) continue; // every grant insert runs at the first one
    if (step === adds[0]) {
      const total = adds.reduce((n, st) => n + st.grantRows, 0);
      progress(`add ${total} grant(s)`);
      const bulk = await insertGrantsBulk(tx, total, () => adds.map((st) => st.stmt(true)), { minRows: opts.bulkMinGrants, run: runWhileSnapshot });
      if (bulk) adds.forEach((st, i) => record(st.label, bulk[i]));
      else for (const st of adds) record(st.label, (await runWhileSnapshot(st.stmt(false))).changes);
      continue;
    }
    progress(step.label);
    record(step.label, (await run(tx, step.stmt(false))).changes);
  }
  out.snapshotFile = snapshotFile;
  if (schema.hasLog && ['dttm', 'event', 'owner', 'extra'].every((c) => schema.logColumns.includes(c))) {
    const a = insertAudit(ctx, 'airflow-dag-access sync', opts.auditUser ?? 'airflow-dag-access', auditExtra(plan, { snapshot: snapshotFile.split(/[\\/]/).pop() }));
    out.rowsWritten += (await tx.run(a.sql, a.params)).changes;
    out.audited = true;
  }
  return out;
}

/**
 * The statements of `planSteps`, except that grants whose role and permission-view already exist
 * are written by id (the rest, e.g. grants of a role created by this apply, by name).
 */
const run = (tx: Db, st: Stmt) => tx.run(st.sql, st.params);

function writeSteps(ctx: SqlContext, c: Changes, ids: CoreIds): WriteStep[] {
  const byName: Changes['addGrants'] = [];
  const known: number[] = [];
  c.addGrants.forEach((g, i) => {
    if (ids.addPvId[i] >= 0 && ids.addRoleId[i] >= 0) known.push(i);
    else byName.push(g);
  });
  const pairs = sortedPairs(known.map((i) => ids.addPvId[i]), known.map((i) => ids.addRoleId[i]));
  const steps: WriteStep[] = planSteps(ctx, { ...c, addGrants: byName, revokeGrants: [] }).map((s) => ({ label: s.label, grantRows: s.label.startsWith('add ') ? byName.length : 0, stmt: () => s.stmt }));
  const at = steps.findIndex((s) => s.grantRows > 0);
  if (known.length) steps.splice(at < 0 ? steps.length : at, 0, { label: `add ${known.length} grant(s)`, grantRows: known.length, stmt: (plain) => insertGrantsById(ctx, pairs, { plain }) });
  if (c.revokeGrants.length) {
    const revoke = { pv: ids.revokeRow.map((r) => r.pv), role: ids.revokeRow.map((r) => r.role) };
    steps.push({ label: `revoke ${c.revokeGrants.length} grant(s)`, grantRows: 0, stmt: () => deleteGrantsById(ctx, revoke) });
  }
  return steps;
}

/**
 * The pairs in (permission-view, role) order, so index inserts walk the index in order. Packed as
 * pv × 2^21 + role in one float and sorted natively when the ids allow it (exact below 2^53).
 */
function sortedPairs(pv: number[], role: number[]): IdPairs {
  const span = 2 ** 21;
  if (pv.some((p) => p < 0 || p >= 2 ** 32) || role.some((r) => r < 0 || r >= span)) {
    const order = pv.map((_, i) => i).sort((a, b) => pv[a] - pv[b] || role[a] - role[b]);
    return { pv: order.map((i) => pv[i]), role: order.map((i) => role[i]) };
  }
  const packed = new Float64Array(pv.length);
  for (let i = 0; i < pv.length; i++) packed[i] = pv[i] * span + role[i];
  packed.sort();
  return { pv: Array.from(packed, (k) => Math.floor(k / span)), role: Array.from(packed, (k) => k % span) };
}

function tally(s: ApplySummary, label: string, n: number): void {
  if (label.startsWith('add ')) s.added += n;
  else if (label.startsWith('revoke ')) s.revoked += n;
  else if (label.includes('role')) s.createdRoles += n;
  else if (label.includes('resource')) s.createdResources += n;
  else if (label.includes('permission')) s.createdPermissionViews += n;
  else if (label.includes('action')) s.createdActions += n;
}

function changesOf(p: SyncPlan): Changes {
  return {
    createActions: p.createActions,
    createRoles: p.createRoles,
    createResources: p.createResources,
    createPermissionViews: p.createPermissionViews,
    addGrants: p.addGrants,
    revokeGrants: p.revokeGrants,
  };
}

function deletedRows(plan: SyncPlan, ids: CoreIds): SnapshotGrant[] {
  return plan.revokeGrants.map((g, i) => {
    const row = ids.revokeRow[i];
    return { id: row.id, permission_view_id: row.pv, role_id: row.role, role: g.role, action: g.action, resource: g.resource };
  });
}
