/**
 * rollbackSnapshot: undo one apply from its snapshot, in one transaction under the sync lock.
 * Removes the grants it added, then the permission-views, resources, roles and actions it created
 * (each only while nothing else references it, e.g. a user was meanwhile given the new role), and
 * re-inserts the grants it revoked with their original ids.
 */
import { detectSchema } from '../db/schema';
import type { Db } from '../db/types';
import * as fs from 'fs';
import * as path from 'path';
import { isPendingSnapshot, markSnapshotCommitted, readSnapshot, type Snapshot } from './snapshot';
import { snapshotCommitted } from './snapshotCommitted';
import { deleteGrants, deleteUnusedNames, deleteUnusedPermissionViews, insertAudit, restoreGrants } from './statements';
import { contextFromSchema } from './steps';

export interface RollbackResult {
  snapshotFile: string;
  planId: string;
  /** Rows deleted (grants, permission-views, resources, roles, actions the apply had inserted). */
  removed: number;
  /** Revoked grants inserted back. */
  restored: number;
  roundTrips: number;
  message: string;
  /** The snapshot's sync never committed: nothing was changed (and the snapshot was removed). */
  neverCommitted?: boolean;
}

export interface RollbackOptions {
  signal?: AbortSignal;
  auditUser?: string;
  onProgress?: (m: string) => void;
  /** Roll back on a database other than the one the snapshot names (the same one under another name or path). */
  otherTarget?: boolean;
  lockTimeoutMs?: number;
}

export async function rollbackSnapshot(db: Db, snapshotFile: string, opts: RollbackOptions = {}): Promise<RollbackResult> {
  const snap: Snapshot = readSnapshot(snapshotFile);
  if (snap.dialect !== db.dialect) throw new Error(`Snapshot ${snapshotFile} was taken on ${snap.dialect}, not ${db.dialect}.`);
  // Rollback works by names: on another database it would remove that database's grants of the same names.
  if (snap.target !== db.label && !opts.otherTarget) {
    throw new Error(`Snapshot ${snapshotFile} was taken on ${snap.target}, not ${db.label}; nothing was changed. If this is the same database under another name, pass --other-target.`);
  }
  const progress = opts.onProgress ?? (() => undefined);
  if (isPendingSnapshot(snapshotFile)) {
    // Written by a sync that was killed before it could mark the snapshot committed: ask the database.
    const state = await snapshotCommitted(db, snap);
    if (state === 'not-committed') {
      fs.rmSync(snapshotFile, { force: true });
      const message = `Nothing to roll back: the sync of plan ${snap.planId} never committed (the database has none of its changes). The snapshot ${path.basename(snapshotFile)} was removed.`;
      return { snapshotFile, planId: snap.planId, removed: 0, restored: 0, roundTrips: 0, message, neverCommitted: true };
    }
    if (state === 'unknown') {
      throw new Error(`Snapshot ${snapshotFile} is of a sync that was killed before it could record whether it committed, and the database no longer tells (its grants were changed since). Nothing was changed; compare the snapshot with the database by hand.`);
    }
    snapshotFile = markSnapshotCommitted(snapshotFile);
  }
  const start = db.roundTrips;
  const res = await db.transaction(
    async (tx) => {
      const caveat = db.writeCaveat?.();
      if (caveat) progress(caveat);
      const schema = await detectSchema(tx);
      const ctx = contextFromSchema(schema);
      const ins = snap.inserted;
      let removed = 0;
      const run = async (label: string, st: { sql: string; params: import('../db/types').SqlValue[] }) => {
        progress(label);
        return (await tx.run(st.sql, st.params)).changes;
      };
      if (ins.ab_permission_view_role.length) removed += await run('remove added grants', deleteGrants(ctx, ins.ab_permission_view_role));
      if (ins.ab_permission_view.length) removed += await run('remove created permissions', deleteUnusedPermissionViews(ctx, ins.ab_permission_view));
      if (ins.ab_view_menu.length) removed += await run('remove created resources', deleteUnusedNames(ctx, 'ab_view_menu', ins.ab_view_menu, schema.hasUserRole));
      if (ins.ab_role.length) removed += await run('remove created roles', deleteUnusedNames(ctx, 'ab_role', ins.ab_role, schema.hasUserRole));
      if (ins.ab_permission.length) removed += await run('remove created actions', deleteUnusedNames(ctx, 'ab_permission', ins.ab_permission, schema.hasUserRole));
      const del = snap.deleted.ab_permission_view_role;
      const restored = del.length ? await run('restore revoked grants', restoreGrants(ctx, del)) : 0;
      if (schema.hasLog && ['dttm', 'event', 'owner', 'extra'].every((c) => schema.logColumns.includes(c))) {
        const a = insertAudit(ctx, 'airflow-dag-access rollback', opts.auditUser ?? 'airflow-dag-access', JSON.stringify({ tool: 'airflow-dag-access', planId: snap.planId, removed, restored }));
        await tx.run(a.sql, a.params);
      }
      return { removed, restored };
    },
    { signal: opts.signal, lockTimeoutMs: opts.lockTimeoutMs },
  );
  return {
    snapshotFile,
    planId: snap.planId,
    ...res,
    roundTrips: db.roundTrips - start,
    message: `Rolled back plan ${snap.planId}: removed ${res.removed} row(s), restored ${res.restored} grant(s).`,
  };
}
