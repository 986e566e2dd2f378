/**
 * Who may hold node-sqlite3-wasm's `<db>.lock` folder.
 *
 * The wasm driver locks a database by making a `<db>.lock` folder and unlocks by removing it; a
 * process killed in between leaves the folder, and every later open then fails with "database is
 * locked" forever. The folder carries no owner, so each of our processes that opens a database with
 * that driver records itself (pid, start time, host) in a registry under the temporary folder,
 * keyed by the database's real path, and removes the record when it closes. A folder whose recorded
 * owners are all gone, with no live owner recorded, was left by a killed process and can be removed.
 * A folder with no record at all may belong to another program (or an older version of this one):
 * that cannot be known, and the message says how to clear it by hand.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const lockFolder = (db: string) => `${db}.lock`;

function registryDir(db: string): string {
  let real = db;
  try {
    real = fs.realpathSync(db);
  } catch {
    /* keep the given path */
  }
  const key = createHash('sha256').update(real).digest('hex').slice(0, 24);
  return path.join(process.env.AIRFLOW_ACCESS_LOCK_REGISTRY || path.join(os.tmpdir(), 'airflow-access-sqlite-owners'), key);
}

/** The start time of a process (Linux: field 22 of /proc/<pid>/stat), to tell a reused pid apart. */
function startTicks(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

interface Owner {
  pid: number;
  start: string;
  host: string;
}

function alive(o: Owner): boolean {
  if (o.host !== os.hostname()) return true; // another machine's process: cannot tell, assume alive
  try {
    process.kill(o.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  return !o.start || !startTicks(o.pid) || startTicks(o.pid) === o.start;
}

export interface OwnerRecord {
  release(): void;
}

/** Record this process as a possible owner of `db`'s lock folder until `release()`. */
export function recordOwner(db: string): OwnerRecord {
  const dir = registryDir(db);
  const file = path.join(dir, `${process.pid}-${Math.random().toString(36).slice(2, 10)}.json`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, start: startTicks(process.pid), host: os.hostname(), db } satisfies Owner & { db: string }));
  } catch {
    return { release: () => undefined }; // no registry: stale folders are then reported, not removed
  }
  const release = () => {
    fs.rmSync(file, { force: true });
    process.removeListener('exit', release);
  };
  process.once('exit', release);
  return { release };
}

/** Databases on which this process has a write transaction open (it then holds the lock folder itself). */
const ownTransactions = new Map<string, number>();

export function markOwnTransaction(db: string, open: boolean): void {
  const n = (ownTransactions.get(db) ?? 0) + (open ? 1 : -1);
  if (n > 0) ownTransactions.set(db, n);
  else ownTransactions.delete(db);
}

export type LockFolderState = { kind: 'none' } | { kind: 'held' } | { kind: 'stale'; deadPids: number[] } | { kind: 'unknown' };

/**
 * Whether `db.lock` exists and, if so, whether a live process of ours may hold it. Records of dead
 * processes are removed as they are found.
 */
export function lockFolderState(db: string): LockFolderState {
  if (!fs.existsSync(lockFolder(db))) return { kind: 'none' };
  if (ownTransactions.has(db)) return { kind: 'held' };
  const dir = registryDir(db);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    /* no registry */
  }
  const dead: number[] = [];
  let live = 0;
  for (const n of names) {
    let o: Owner;
    try {
      o = JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')) as Owner;
    } catch {
      continue;
    }
    if (o.pid === process.pid && o.host === os.hostname()) continue; // this process: see ownTransactions
    if (alive(o)) live++;
    else {
      dead.push(o.pid);
      fs.rmSync(path.join(dir, n), { force: true });
    }
  }
  if (live) return { kind: 'held' };
  return dead.length ? { kind: 'stale', deadPids: dead } : { kind: 'unknown' };
}

/** The words for a lock folder nobody is known to hold. */
export function unknownLockAdvice(db: string): string {
  return `${lockFolder(db)} exists: the lock folder of the embedded SQLite driver (node-sqlite3-wasm), and no running airflow-access process holds it. It is most likely left by a process that was killed. If no other program that uses that driver has this database open, remove it (rmdir '${lockFolder(db)}') and try again; a crash journal next to the database is then rolled back first.`;
}
