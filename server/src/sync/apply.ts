/**
 * The two ways a sync writes, each in ONE transaction serialized against other syncs:
 *
 * - applyPlan: a plan the user reviewed (VS Code preview, `plan` then apply). After taking the lock,
 *   the state fingerprint (stateSql.ts: one statement) is compared with the one taken when the
 *   plan's state was read on this connection. Unchanged: the plan is exactly what a re-plan would
 *   give, and is applied with the ids it was computed from. Changed, unknown (plan copied / parsed
 *   from JSON / edited, MySQL) or another connection: the state is read again and re-planned with
 *   the plan's own inputs. If the database now needs a change the reviewed plan did not contain,
 *   nothing is applied (state-changed error: plan again). Otherwise only what is still missing is
 *   applied, so a second concurrent apply of the same plan succeeds and writes nothing.
 * - planAndApply: `sync --yes` (CI, scheduled jobs). The state is read under the lock, planned and
 *   written in the same transaction, so no fingerprint or re-read is needed: what is written is
 *   exactly the plan returned.
 *
 * Both write a JSON snapshot of every row to change (fsynced) before COMMIT, and use
 * set-based statements: the number of round trips does not depend on the number of DAGs, roles or grants.
 */
import { DbError } from '../db/errors';
import { pairKey, readDbState, type DbState } from '../db/state';
import { readFingerprint } from '../db/stateSql';
import { detectSchema } from '../db/schema';
import type { Db } from '../db/types';
import { planFromInputs } from './plan';
import { planContext } from './planContext';
import { writePlan, type ApplySummary, type WriteOptions } from './applyWrite';
import { markSnapshotCommitted } from './snapshot';
import { settlePendingSnapshots } from './snapshotCommitted';
import type { GrantChange, SyncPlan } from './types';

export interface ApplyOptions extends WriteOptions {
  signal?: AbortSignal;
  lockTimeoutMs?: number;
}

export interface ApplyResult {
  applied: boolean;
  planId: string;
  message: string;
  snapshotFile: string | null;
  summary: ApplySummary;
  /** Statements sent (including lock, reads and commit). */
  roundTrips: number;
  /** Rows inserted + deleted (audit row included). */
  rowsWritten: number;
  /** Planned changes already present when applying (another sync did them). */
  alreadyDone: number;
  audited: boolean;
}

const grantKey = (g: Pick<GrantChange, 'role' | 'action' | 'resource'>) => `${g.role}\u0000${g.action}\u0000${g.resource}`;

const changeCount = (p: SyncPlan) => p.summary.add + p.summary.revoke + p.summary.createRoles + p.summary.createResources + p.summary.createPermissionViews + p.summary.createActions;

/** Nothing written because the database already is as the plan wants: a success (`applied` true), with why. */
function alreadyInPlace(planId: string, message: string, alreadyDone: number): ApplyResult {
  const summary = { added: 0, revoked: 0, createdRoles: 0, createdResources: 0, createdPermissionViews: 0, createdActions: 0 };
  return { applied: true, planId, message, snapshotFile: null, summary, roundTrips: 0, rowsWritten: 0, alreadyDone, audited: false };
}

function appliedMessage(planId: string, s: ApplySummary): string {
  return `Applied plan ${planId}: ${s.added} grant(s) added, ${s.revoked} revoked, ${s.createdRoles} role(s) and ${s.createdResources} resource(s) created.`;
}

/** Pending snapshots of killed syncs into the same folder: named as committed, or removed (snapshotCommitted.ts). */
async function settleSnapshots(db: Db, opts: ApplyOptions, progress: (m: string) => void): Promise<void> {
  for (const line of await settlePendingSnapshots(db, opts.snapshotDir)) progress(line);
}

/** Under the lock: what the connection could not lock out (db.writeCaveat), for the user. */
function lockCaveat(db: Db, progress: (m: string) => void): void {
  const caveat = db.writeCaveat?.();
  if (caveat) progress(caveat);
}

/** COMMIT returned: the snapshot gets its committed name. */
function committed<T extends ApplyResult | null>(r: T): T {
  if (r?.snapshotFile) r.snapshotFile = markSnapshotCommitted(r.snapshotFile);
  return r;
}

export async function applyPlan(db: Db, plan: SyncPlan, opts: ApplyOptions): Promise<ApplyResult> {
  const progress = opts.onProgress ?? (() => undefined);
  await settleSnapshots(db, opts, progress);
  const startTrips = db.roundTrips;
  const known = planContext(plan);
  return db.transaction(
    async (tx) => {
      lockCaveat(db, progress);
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
      const alreadyDone = changeCount(plan) - changeCount(fresh);
      if (fresh.empty)
        return alreadyInPlace(plan.planId, changeCount(plan) ? 'Nothing left to apply: the database already has every change of this plan.' : 'No changes: the database matches the config.', alreadyDone);
      const ids = unchanged ? known!.ids : planContext(fresh)!.ids;
      const w = await writePlan(tx, schema, plan.planId, fresh, ids, opts);
      progress('Committing');
      return { applied: true, planId: plan.planId, message: appliedMessage(plan.planId, w.summary), snapshotFile: w.snapshotFile, summary: w.summary, roundTrips: 0, rowsWritten: w.rowsWritten, alreadyDone, audited: w.audited };
    },
    { signal: opts.signal, lockTimeoutMs: opts.lockTimeoutMs },
  ).then((r) => committed({ ...r, roundTrips: db.roundTrips - startTrips }));
}

/**
 * Read the state under the sync lock, plan it with `makePlan`, and write the plan in the same
 * transaction. `result` is null when the plan is empty (nothing written; the transaction only
 * held the lock while reading).
 */
export async function planAndApply(db: Db, makePlan: (state: DbState) => SyncPlan, opts: ApplyOptions): Promise<{ plan: SyncPlan; result: ApplyResult | null }> {
  const progress = opts.onProgress ?? (() => undefined);
  await settleSnapshots(db, opts, progress);
  const startTrips = db.roundTrips;
  const out = await db.transaction(
    async (tx) => {
      lockCaveat(db, progress);
      const schema = await detectSchema(tx);
      progress('Locked; reading roles, permissions and deployed DAGs');
      const plan = makePlan(await readDbState(tx, schema, { fingerprint: false }));
      if (plan.empty) return { plan, result: null };
      progress(`Applying plan ${plan.planId}`);
      const made = planContext(plan);
      if (!made) throw new DbError('unsupported', 'planAndApply: the plan must be the one made from the state it was given (not a copy).');
      const w = await writePlan(tx, schema, plan.planId, plan, made.ids, opts);
      progress('Committing');
      const result: ApplyResult = { applied: true, planId: plan.planId, message: appliedMessage(plan.planId, w.summary), snapshotFile: w.snapshotFile, summary: w.summary, roundTrips: 0, rowsWritten: w.rowsWritten, alreadyDone: 0, audited: w.audited };
      return { plan, result };
    },
    { signal: opts.signal, lockTimeoutMs: opts.lockTimeoutMs },
  );
  if (out.result) out.result.roundTrips = db.roundTrips - startTrips;
  committed(out.result);
  return out;
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
