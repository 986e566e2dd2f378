/**
 * applyPlan: apply a plan in ONE transaction, serialized against other syncs.
 *
 * Inside the transaction (after taking the lock) the state is read again and re-planned with the
 * plan's own inputs. If the database now needs a change the reviewed plan did not contain, nothing
 * is applied (state-changed error: plan again). Otherwise only what is still missing is applied, so
 * a second concurrent apply of the same plan succeeds and writes nothing. A JSON snapshot of every
 * row to change is written and fsynced before the first write. Set-based statements: the number of
 * round trips does not depend on the number of DAGs, roles or grants.
 */
import { DbError } from '../db/errors';
import { indexState, pairKey, readDbState, type DbState } from '../db/state';
import { detectSchema } from '../db/schema';
import type { Db } from '../db/types';
import { auditExtra } from './formatSql';
import { planFromInputs } from './plan';
import { buildSnapshot, writeSnapshot, type SnapshotGrant } from './snapshot';
import { insertAudit } from './statements';
import { contextFromSchema, planSteps, type Changes } from './steps';
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
  return db.transaction(
    async (tx) => {
      progress('Locked; re-reading the database state');
      const schema = await detectSchema(tx);
      const state = await readDbState(tx, schema);
      const fresh = planFromInputs(state, plan.inputs);
      const extra = unreviewed(plan, fresh);
      if (extra.length)
        throw new DbError('state-changed', `The database changed since plan ${plan.planId}: ${extra.length} change(s) not in the reviewed plan (e.g. ${extra[0]}). Nothing was applied; run plan again.`);
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
      const snap = buildSnapshot({ planId: plan.planId, dialect: db.dialect, target: db.label, changes: todo, deleted: deletedRows(state, todo.revokeGrants) });
      result.snapshotFile = writeSnapshot(opts.snapshotDir, snap);
      progress(`Snapshot written to ${result.snapshotFile}`);
      const ctx = contextFromSchema(schema);
      const counts: number[] = [];
      for (const step of planSteps(ctx, todo)) {
        progress(step.label);
        const r = await tx.run(step.stmt.sql, step.stmt.params);
        counts.push(r.changes);
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

function deletedRows(state: DbState, revokes: GrantChange[]): SnapshotGrant[] {
  const idx = indexState(state);
  const out: SnapshotGrant[] = [];
  for (const g of revokes) {
    const row = idx.grantsByRole.get(g.role)?.get(pairKey(g.action, g.resource));
    if (row) out.push({ id: row.id, permission_view_id: row.permissionViewId, role_id: row.roleId, role: g.role, action: g.action, resource: g.resource });
  }
  return out;
}
