/**
 * Did the transaction of a pending snapshot commit? (Its process was killed between writing the
 * snapshot and renaming it, before or after COMMIT.)
 *
 * - With Airflow's `log` table, every apply writes its audit row in the same transaction, naming the
 *   plan and the snapshot: the row is there exactly when the transaction committed.
 * - Without it, the rows decide: all the grants the snapshot added present and all it revoked absent
 *   means committed; none added and all revoked still present means it never committed; anything
 *   else (someone changed them since) cannot be told apart and is 'unknown'.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { detectSchema } from '../db/schema';
import type { Db } from '../db/types';
import { isPendingSnapshot, markSnapshotCommitted, readSnapshot, tmpOwnerOf, type Snapshot } from './snapshot';

export type CommitState = 'committed' | 'not-committed' | 'unknown';

export async function snapshotCommitted(db: Db, snap: Snapshot): Promise<CommitState> {
  const schema = await detectSchema(db);
  if (schema.hasLog && ['event', 'extra'].every((c) => schema.logColumns.includes(c)) && snap.name) {
    const rows = await db.query<{ n: number | string }>(
      "SELECT count(*) AS n FROM log WHERE event = 'airflow-dag-access sync' AND extra LIKE ? AND extra LIKE ?",
      [`%"planId":"${snap.planId}"%`, `%"snapshot":"${snap.name}"%`],
    );
    return Number(rows[0]?.n ?? 0) > 0 ? 'committed' : 'not-committed';
  }
  const added = snap.inserted.ab_permission_view_role;
  const revoked = snap.deleted.ab_permission_view_role;
  if (!added.length && !revoked.length) return 'unknown';
  const present = await grantKeys(db);
  const key = (g: { role: string; action: string; resource: string }) => `${g.role}\u0000${g.action}\u0000${g.resource}`;
  const addedIn = added.filter((g) => present.has(key(g))).length;
  const revokedIn = revoked.filter((g) => present.has(key(g))).length;
  if (addedIn === added.length && revokedIn === 0) return 'committed';
  if (addedIn === 0 && revokedIn === revoked.length) return 'not-committed';
  return 'unknown';
}

async function grantKeys(db: Db): Promise<Set<string>> {
  const rows = await db.query<{ role: string; action: string; resource: string }>(
    `SELECT r.name AS role, p.name AS action, v.name AS resource
       FROM ab_permission_view_role pvr
       JOIN ab_role r ON r.id = pvr.role_id
       JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id
       JOIN ab_permission p ON p.id = pv.permission_id
       JOIN ab_view_menu v ON v.id = pv.view_menu_id`,
  );
  return new Set(rows.map((r) => `${r.role}\u0000${r.action}\u0000${r.resource}`));
}

function writerGone(snap: Snapshot): boolean {
  return !!snap.writer && processGone(snap.writer);
}

/** A process of this host that no longer runs (another host's: unknown, so not gone). */
function processGone(w: { host: string; pid: number }): boolean {
  if (w.host !== os.hostname() && w.host !== os.hostname().replace(/[^A-Za-z0-9.-]/g, '_')) return false;
  if (w.pid === process.pid) return false;
  try {
    process.kill(w.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Before a sync writes into `dir`: settle the pending snapshots of `db` whose writer process is
 * gone. Committed ones get their committed name; ones that never committed are removed (a rollback
 * of them would remove grants someone made since). Returns one line per snapshot settled.
 */
export async function settlePendingSnapshots(db: Db, dir: string): Promise<string[]> {
  let all: string[];
  try {
    all = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  // A temp snapshot of a process that is gone: killed before its snapshot existed, so before COMMIT.
  for (const n of all) {
    const owner = tmpOwnerOf(n);
    if (!owner || !processGone(owner)) continue;
    fs.rmSync(path.join(dir, n), { force: true });
    out.push(`Removed ${n}: the half-written snapshot of a sync killed before it committed.`);
  }
  const names = all.filter(isPendingSnapshot);
  for (const n of names) {
    const file = path.join(dir, n);
    let snap: Snapshot;
    try {
      snap = readSnapshot(file);
    } catch {
      continue;
    }
    if (snap.dialect !== db.dialect || snap.target !== db.label || !writerGone(snap)) continue;
    const state = await snapshotCommitted(db, snap);
    if (state === 'committed') {
      const to = markSnapshotCommitted(file);
      out.push(`Snapshot ${path.basename(to)}: its sync (killed before it could say so) did commit; kept for rollback.`);
    } else if (state === 'not-committed') {
      fs.rmSync(file, { force: true });
      out.push(`Snapshot ${n} removed: its sync was killed before committing, and the database has none of its changes.`);
    }
  }
  return out;
}
