/**
 * applyPlan: apply a plan in ONE transaction, serialized against other syncs.
 *
 * After taking the lock, the state fingerprint (stateSql.ts: one statement) is compared with the one
 * taken when the plan's state was read on this connection. Unchanged: the plan is exactly what a
 * re-plan would give, and is applied with the ids it was computed from. Changed, unknown (plan
 * copied / parsed from JSON / edited, MySQL) or another connection: the state is read again and
 * re-planned with the plan's own inputs. If the database now needs a change the reviewed plan did
 * not contain, nothing is applied (state-changed error: plan again). Otherwise only what is still
 * missing is applied, so a second concurrent apply of the same plan succeeds and writes nothing.
 * A JSON snapshot of every row to change is written and fsynced before the first write. Set-based
 * statements: the number of round trips does not depend on the number of DAGs, roles or grants.
 */
import { DbError } from '../db/errors';
import { pairKey, readDbState } from '../db/state';
import { readFingerprint } from '../db/stateSql';
import { detectSchema } from '../db/schema';
import type { Db } from '../db/types';
import { auditExtra } from './formatSql';
import { planFromInputs } from './plan';
import { buildSnapshot, writeSnapshot, type SnapshotGrant } from './snapshot';
import { deleteGrantsById, insertGrantsById, type IdPairs } from './idStatements';
import { planContext } from './planContext';
import type { CoreIds } from './planCore';
import { insertAudit, type SqlContext } from './statements';
import { contextFromSchema, planSteps, type Changes, type Step } from './steps';
import type { GrantChange, SyncPlan } from './types';

export interface ApplyOptions {
  snapshotDir: string;
  signal?: AbortSignal;
  onProgress?: (msg: string) => void;
  /** Recorded as `owner` of the audit row in Airflow's `log` table. */
  auditUser?: string;
  lockTimeoutMs?: number;
}

export interface ApplyResult {
  applied: boolean;
  planId: string;
  message: string;
  snapshotFile: string | null;
  summary: { added: number; revoked: number; createdRoles: number; createdResources: number; createdPermissionViews: number; createdActions: number };
  /** Statements sent (including lock, reads and commit). */
  roundTrips: number;
  /** Rows inserted + deleted (audit row included). */
  rowsWritten: number;
  /** Planned changes already present when applying (another sync did them). */
  alreadyDone: number;
  audited: boolean;
}

const grantKey = (g: Pick<GrantChange, 'role' | 'action' | 'resource'>) => `${g.role}\u0000${g.action}\u0000${g.resource}`;

export async function applyPlan(db: Db, plan: SyncPlan, opts: ApplyOptions): Promise<ApplyResult> {
  const progress = opts.onProgress ?? (() => undefined);
  const startTrips = db.roundTrips;
  const known = planContext(plan);
  return db.transaction(
    async (tx) => {
      const schema = await detectSchema(tx);
      // Fast path: the plan was read from this connection and nothing it depends on has changed.
      const unchanged = !!known?.fingerprint && known.source === db && (await readFingerprint(tx, schema)) === known.fingerprint;
      let fresh = plan;
      if (unchanged) progress('Locked; the database is unchanged since the plan');
      else {
        progress('Locked; re-reading the database state');
        const state = await readDbState(tx, schema);
        fresh = planFromInputs(state, plan.inputs);
        const extra = unreviewed(plan, fresh);
        if (extra.length)
          throw new DbError('state-changed', `The database changed since plan ${plan.planId}: ${extra.length} change(s) not in the reviewed plan (e.g. ${extra[0]}). Nothing was applied; run plan again.`);
      }
      const ids = unchanged ? known!.ids : planContext(fresh)!.ids;
      const todo = changesOf(fresh);
      const planned = plan.summary.add + plan.summary.revoke + plan.summary.createRoles + plan.summary.createResources + plan.summary.createPermissionViews + plan.summary.createActions;
      const remaining = fresh.summary.add + fresh.summary.revoke + fresh.summary.createRoles + fresh.summary.createResources + fresh.summary.createPermissionViews + fresh.summary.createActions;
      const result: ApplyResult = {
        applied: true,
        planId: plan.planId,
        message: '',
        snapshotFile: null,
        summary: { added: 0, revoked: 0, createdRoles: 0, createdResources: 0, createdPermissionViews: 0, createdActions: 0 },
        roundTrips: 0,
        rowsWritten: 0,
        alreadyDone: planned - remaining,
        audited: false,
      };
      if (fresh.empty) {
        result.message = planned ? 'Nothing left to apply: the database already has every change of this plan.' : 'No changes: the database matches the config.';
        return result;
      }
      const snap = buildSnapshot({ planId: plan.planId, dialect: db.dialect, target: db.label, changes: todo, deleted: deletedRows(fresh, ids) });
      result.snapshotFile = writeSnapshot(opts.snapshotDir, snap);
      progress(`Snapshot written to ${result.snapshotFile}`);
      const ctx = contextFromSchema(schema);
      for (const step of applySteps(ctx, todo, ids)) {
        progress(step.label);
        const r = await tx.run(step.stmt.sql, step.stmt.params);
        result.rowsWritten += r.changes;
        tally(result, step.label, r.changes);
      }
      if (schema.hasLog && ['dttm', 'event', 'owner', 'extra'].every((c) => schema.logColumns.includes(c))) {
        const a = insertAudit(ctx, 'airflow-dag-access sync', opts.auditUser ?? 'airflow-dag-access', auditExtra(fresh, { snapshot: result.snapshotFile.split(/[\\/]/).pop() }));
        result.rowsWritten += (await tx.run(a.sql, a.params)).changes;
        result.audited = true;
      }
      progress('Committing');
      const s = result.summary;
      result.message = `Applied plan ${plan.planId}: ${s.added} grant(s) added, ${s.revoked} revoked, ${s.createdRoles} role(s) and ${s.createdResources} resource(s) created.`;
      return result;
    },
    { signal: opts.signal, lockTimeoutMs: opts.lockTimeoutMs },
  ).then((r) => ({ ...r, roundTrips: db.roundTrips - startTrips }));
}

/**
 * The statements of `planSteps`, except that grants whose role and permission-view already exist
 * are written by id (the rest, e.g. grants of a role created by this apply, by name).
 */
function applySteps(ctx: SqlContext, c: Changes, ids: CoreIds): Step[] {
  const known: IdPairs = { pv: [], role: [] };
  const byName: Changes['addGrants'] = [];
  c.addGrants.forEach((g, i) => {
    if (ids.addPvId[i] >= 0 && ids.addRoleId[i] >= 0) {
      known.pv.push(ids.addPvId[i]);
      known.role.push(ids.addRoleId[i]);
    } else byName.push(g);
  });
  // In (permission-view, role) order: index inserts and foreign-key checks then walk the index in order.
  const order = known.pv.map((_, i) => i).sort((a, b) => known.pv[a] - known.pv[b] || known.role[a] - known.role[b]);
  known.pv = order.map((i) => known.pv[i]);
  known.role = order.map((i) => known.role[i]);
  const steps = planSteps(ctx, { ...c, addGrants: byName, revokeGrants: [] });
  const at = steps.findIndex((s) => s.label.startsWith('add '));
  if (known.pv.length) steps.splice(at < 0 ? steps.length : at, 0, { label: `add ${known.pv.length} grant(s)`, stmt: insertGrantsById(ctx, known) });
  if (c.revokeGrants.length)
    steps.push({ label: `revoke ${c.revokeGrants.length} grant(s)`, stmt: deleteGrantsById(ctx, { pv: ids.revokeRow.map((r) => r.pv), role: ids.revokeRow.map((r) => r.role) }) });
  return steps;
}

function tally(r: ApplyResult, label: string, n: number): void {
  const s = r.summary;
  if (label.startsWith('add ')) s.added += n;
  else if (label.startsWith('revoke ')) s.revoked += n;
  else if (label.includes('role')) s.createdRoles += n;
  else if (label.includes('resource')) s.createdResources += n;
  else if (label.includes('permission')) s.createdPermissionViews += n;
  else if (label.includes('action')) s.createdActions += n;
}

export function changesOf(p: SyncPlan): Changes {
  return {
    createActions: p.createActions,
    createRoles: p.createRoles,
    createResources: p.createResources,
    createPermissionViews: p.createPermissionViews,
    addGrants: p.addGrants,
    revokeGrants: p.revokeGrants,
  };
}

/** Changes in `fresh` that the reviewed `plan` does not contain (described for the message). */
function unreviewed(plan: SyncPlan, fresh: SyncPlan): string[] {
  const out: string[] = [];
  const adds = new Set(plan.addGrants.map(grantKey));
  const revokes = new Set(plan.revokeGrants.map(grantKey));
  const roles = new Set(plan.createRoles.map((r) => r.name));
  const res = new Set(plan.createResources);
  const pvs = new Set(plan.createPermissionViews.map((p) => pairKey(p.action, p.resource)));
  const acts = new Set(plan.createActions);
  for (const g of fresh.addGrants) if (!adds.has(grantKey(g))) out.push(`grant ${g.action} on ${g.resource} to ${g.role}`);
  for (const g of fresh.revokeGrants) if (!revokes.has(grantKey(g))) out.push(`revoke ${g.action} on ${g.resource} from ${g.role}`);
  for (const r of fresh.createRoles) if (!roles.has(r.name)) out.push(`create role ${r.name}`);
  for (const r of fresh.createResources) if (!res.has(r)) out.push(`create resource ${r}`);
  for (const p of fresh.createPermissionViews) if (!pvs.has(pairKey(p.action, p.resource))) out.push(`create permission ${p.action} on ${p.resource}`);
  for (const a of fresh.createActions) if (!acts.has(a)) out.push(`create action ${a}`);
  return out;
}

function deletedRows(plan: SyncPlan, ids: CoreIds): SnapshotGrant[] {
  return plan.revokeGrants.map((g, i) => {
    const row = ids.revokeRow[i];
    return { id: row.id, permission_view_id: row.pv, role_id: row.role, role: g.role, action: g.action, resource: g.resource };
  });
}
