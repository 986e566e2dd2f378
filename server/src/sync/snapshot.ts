/**
 * Rollback snapshots: written (and fsynced) before the apply commits, so no committed change lacks
 * one (applyWrite.ts writes it while the database runs the grant insert). Deleted rows are kept
 * whole (id, permission_view_id, role_id and their names); inserted rows by their natural keys
 * (they have no id yet). `rollbackSnapshot` uses exactly this to restore the previous rows.
 *
 * Its name says whether its transaction committed: it is written as `<name>.pending.json`, and
 * renamed to `<name>.json` once COMMIT returned (one rename, atomic). A process killed in between
 * leaves a pending snapshot; whether its transaction committed is then read from the database
 * (snapshotCommitted.ts), by `rollback` and by the next sync into the same folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DbError } from '../db/errors';
import type { Dialect } from '../db/types';
import type { Changes } from './steps';

export const SNAPSHOT_FORMAT = 'airflow-dag-access/snapshot@1';

/** Where syncs keep their snapshots unless told otherwise: the CLI and the editor use the same folder. */
export function defaultSnapshotDir(root: string): string {
  return path.join(root, '.airflow-access', 'snapshots');
}

export interface SnapshotGrant {
  id: number;
  permission_view_id: number;
  role_id: number;
  role: string;
  action: string;
  resource: string;
}

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  createdAt: string;
  planId: string;
  dialect: Dialect;
  /** Redacted target (never a password). */
  target: string;
  /** The process that wrote it: a pending snapshot of a live writer belongs to a sync still running. */
  writer?: { pid: number; host: string };
  /** The file name the snapshot has once committed (also recorded in the audit row). */
  name?: string;
  /** ab_permission_view_role rows the apply deletes, as they are before it. */
  deleted: { ab_permission_view_role: SnapshotGrant[] };
  /** Rows the apply inserts, by natural key. */
  inserted: {
    ab_permission: string[];
    ab_role: string[];
    ab_view_menu: string[];
    ab_permission_view: { action: string; resource: string }[];
    ab_permission_view_role: { role: string; action: string; resource: string }[];
  };
}

export function buildSnapshot(args: { planId: string; dialect: Dialect; target: string; changes: Changes; deleted: SnapshotGrant[] }): Snapshot {
  const c = args.changes;
  return {
    format: SNAPSHOT_FORMAT,
    createdAt: new Date().toISOString(),
    planId: args.planId,
    dialect: args.dialect,
    target: args.target,
    writer: { pid: process.pid, host: os.hostname() },
    deleted: { ab_permission_view_role: args.deleted },
    inserted: {
      ab_permission: c.createActions,
      ab_role: c.createRoles.map((r) => r.name),
      ab_view_menu: c.createResources,
      ab_permission_view: c.createPermissionViews,
      ab_permission_view_role: c.addGrants.map((g) => ({ role: g.role, action: g.action, resource: g.resource })),
    },
  };
}

/** Remove the snapshot of an apply that rolled back (best effort: a snapshot left behind is only clutter). */
export function discardSnapshot(file: string): void {
  fs.rmSync(file, { force: true });
}

/** Indented up to this many rows; larger snapshots are one compact line (half the size, twice as fast; `jq .` reads them). */
const PRETTY_MAX_ROWS = 1000;

function snapshotRows(s: Snapshot): number {
  const i = s.inserted;
  return s.deleted.ab_permission_view_role.length + i.ab_permission_view_role.length + i.ab_permission_view.length + i.ab_view_menu.length + i.ab_role.length + i.ab_permission.length;
}

const PENDING = '.pending.json';

/** `<host>-<pid>`, as a temp snapshot's name carries it. */
export function tmpOwner(): string {
  return `${os.hostname().replace(/[^A-Za-z0-9.-]/g, '_')}-${process.pid}`;
}

/** The writer named by a temp snapshot's file name, or null when it is not one. */
export function tmpOwnerOf(name: string): { host: string; pid: number } | null {
  const m = /\.pending\.json\.([A-Za-z0-9._-]+)-(\d+)\.tmp$/.exec(name);
  return m ? { host: m[1]!, pid: Number(m[2]) } : null;
}

/** The committed name of a snapshot. */
export function snapshotName(snap: Pick<Snapshot, 'createdAt' | 'planId'>): string {
  return `airflow-access-${snap.createdAt.replace(/[:.]/g, '-')}-${snap.planId}.json`;
}

export const isPendingSnapshot = (file: string) => file.endsWith(PENDING);

/** The name a pending snapshot gets once its transaction is known to have committed. */
export const committedPath = (file: string) => (isPendingSnapshot(file) ? `${file.slice(0, -PENDING.length)}.json` : file);

/**
 * Write durably as a pending snapshot (temp file + fsync + rename); returns its path. A failure is a
 * `snapshot` DbError: the apply then rolls back.
 */
export function writeSnapshot(dir: string, snap: Snapshot): string {
  snap.name ??= snapshotName(snap);
  const file = path.join(dir, snap.name.replace(/\.json$/, PENDING));
  // The writer in the temp name: a temp file of a process that is gone never got as far as COMMIT,
  // and the next sync into the folder removes it (snapshotCommitted.ts).
  const tmp = `${file}.${tmpOwner()}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify(snap, null, snapshotRows(snap) > PRETTY_MAX_ROWS ? undefined : 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // the folder itself is unusable: there is no temp file to remove
    }
    const why = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw new DbError('snapshot', `Cannot write the rollback snapshot in ${dir} (${why}); nothing was applied.`);
  }
  return file;
}

/**
 * The transaction committed: give the snapshot its committed name (and make the rename durable).
 * Returns the path it now has (unchanged when the rename fails: it then stays pending, and
 * `rollback` asks the database).
 */
export function markSnapshotCommitted(file: string): string {
  if (!isPendingSnapshot(file)) return file;
  const to = committedPath(file);
  try {
    fs.renameSync(file, to);
  } catch {
    return file;
  }
  try {
    const fd = fs.openSync(path.dirname(to), 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // directories cannot be fsynced on every platform; the rename itself is done
  }
  return to;
}

export function readSnapshot(file: string): Snapshot {
  let data: Snapshot;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  } catch (err) {
    throw new Error(`Cannot read snapshot ${file}: ${String((err as Error).message).split('\n')[0]}`);
  }
  if (data?.format !== SNAPSHOT_FORMAT) throw new Error(`${file} is not an airflow-dag-access snapshot.`);
  return data;
}
