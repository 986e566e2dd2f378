/**
 * The write half of a sync, shared by applyPlan (a reviewed plan) and planAndApply (plan under the
 * lock): given the plan to carry out and the database ids it was computed from, write the snapshot,
 * run the set-based statements, and add the audit row. Runs inside the caller's transaction.
 */
import type { SchemaInfo } from '../db/schema';
import type { Db, RunResult } from '../db/types';
import { auditExtra } from './formatSql';
import { deleteGrantsById, insertGrantsById, type IdPairs } from './idStatements';
import { bulkGrants } from './pgBulkGrants';
import type { CoreIds } from './planCore';
import { buildSnapshot, discardSnapshot, writeSnapshot, type SnapshotGrant } from './snapshot';
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
  /** The pending snapshot (snapshot.ts): the caller marks it committed once COMMIT returned. */
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
  /** Grants by ids: their pairs (the bulk path may copy them). */
  pairs?: IdPairs;
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
  const snap = buildSnapshot({ planId, dialect: tx.dialect, target: tx.label, changes: todo, deleted: deletedRows(plan, ids) });
  const takeSnapshot = () => {
    if (snapshotFile) return;
    snapshotFile = writeSnapshot(opts.snapshotDir, snap);
    progress(`Snapshot written to ${snapshotFile}`);
  };
  const runWhileSnapshot = async (start: () => Promise<RunResult>) => {
    const pending = start();
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
  try {
    const ctx = contextFromSchema(schema);
    // A large grant insert reads the table's keys first; sent now, it is answered while the statements are prepared.
    const bulk = bulkGrants(tx, todo.addGrants.length, opts.bulkMinGrants);
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
        const inserted = bulk && (await bulk.insert(() => adds.map((st) => ({ stmt: () => st.stmt(true), pairs: st.pairs })), { send: runWhileSnapshot }));
        if (inserted) adds.forEach((st, i) => record(st.label, inserted[i]));
        else for (const st of adds) record(st.label, (await runWhileSnapshot(() => run(tx, st.stmt(false)))).changes);
        continue;
      }
      progress(step.label);
      record(step.label, (await run(tx, step.stmt(false))).changes);
    }
    out.snapshotFile = snapshotFile;
    if (schema.hasLog && ['dttm', 'event', 'owner', 'extra'].every((c) => schema.logColumns.includes(c))) {
      const a = insertAudit(ctx, 'airflow-dag-access sync', opts.auditUser ?? 'airflow-dag-access', auditExtra(plan, { snapshot: snap.name }, out.summary));
      out.rowsWritten += (await tx.run(a.sql, a.params)).changes;
      out.audited = true;
    }
    return out;
  } catch (err) {
    // The transaction rolls back: a snapshot of changes that never happened must not stay behind,
    // or a later rollback of it would remove grants that someone made since.
    if (snapshotFile) {
      discardSnapshot(snapshotFile);
      progress(`Snapshot ${snapshotFile} removed: nothing was committed`);
    }
    throw err;
  }
}

/**
 * The statements of `planSteps`, except that grants whose role and permission-view already exist
 * are written by id (the rest, e.g. grants of a role created by this apply, by name).
 */
const run = (tx: Db, st: Stmt) => tx.run(st.sql, st.params);

function writeSteps(ctx: SqlContext, c: Changes, ids: CoreIds): WriteStep[] {
  const { pairs, byName } = splitAdds(c, ids);
  const known = pairs.pv.length;
  const steps: WriteStep[] = planSteps(ctx, { ...c, addGrants: byName, revokeGrants: [] }).map((s) => ({ label: s.label, grantRows: s.label.startsWith('add ') ? byName.length : 0, stmt: () => s.stmt }));
  const at = steps.findIndex((s) => s.grantRows > 0);
  if (known) steps.splice(at < 0 ? steps.length : at, 0, { label: `add ${known} grant(s)`, grantRows: known, stmt: (plain) => insertGrantsById(ctx, pairs, { plain }), pairs });
  if (c.revokeGrants.length) {
    const revoke = { pv: ids.revokeRow.map((r) => r.pv), role: ids.revokeRow.map((r) => r.role) };
    steps.push({ label: `revoke ${c.revokeGrants.length} grant(s)`, grantRows: 0, stmt: () => deleteGrantsById(ctx, revoke) });
  }
  return steps;
}

/**
 * The additions whose role and permission-view exist, as (permission-view, role) id pairs in that
 * order, so index inserts walk the index in order; and the others (by names). The pairs are packed
 * as pv × 2^21 + role in one float and sorted natively when the ids allow it (exact below 2^53).
 */
function splitAdds(c: Changes, ids: CoreIds): { pairs: IdPairs; byName: Changes['addGrants'] } {
  const span = 2 ** 21;
  const byName: Changes['addGrants'] = [];
  const packed = new Float64Array(c.addGrants.length);
  let n = 0;
  let packable = true;
  for (let i = 0; i < c.addGrants.length; i++) {
    const p = ids.addPvId[i];
    const r = ids.addRoleId[i];
    if (p < 0 || r < 0) byName.push(c.addGrants[i]);
    else {
      if (p >= 2 ** 32 || r >= span) packable = false;
      packed[n++] = p * span + r;
    }
  }
  if (!packable) {
    const known = c.addGrants.map((_, i) => i).filter((i) => ids.addPvId[i] >= 0 && ids.addRoleId[i] >= 0);
    known.sort((a, b) => ids.addPvId[a] - ids.addPvId[b] || ids.addRoleId[a] - ids.addRoleId[b]);
    return { pairs: { pv: known.map((i) => ids.addPvId[i]), role: known.map((i) => ids.addRoleId[i]) }, byName };
  }
  const keys = packed.subarray(0, n).sort();
  const pairs: IdPairs = { pv: new Array(n), role: new Array(n) };
  for (let k = 0; k < n; k++) {
    const p = Math.floor(keys[k] / span);
    pairs.pv[k] = p;
    pairs.role[k] = keys[k] - p * span;
  }
  return { pairs, byName };
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
