/**
 * SQLite's crash-recovery files, seen from a driver that cannot follow SQLite's own rules.
 *
 * node-sqlite3-wasm's VFS answers "is a RESERVED lock held?" (xCheckReservedLock) by looking for its
 * own `<db>.lock` folder, which it has just made itself when it asks. So it never finds a rollback
 * journal hot: after a native writer (Airflow, or Python's sqlite3) dies mid-transaction, it reads
 * and writes on top of half-written pages. Its VFS has no shared memory either, so it cannot open a
 * database in WAL mode at all ("unable to open database file").
 *
 * What native SQLite does (https://www.sqlite.org/fileformat2.html, "Hot Journals"; pager.c
 * hasHotJournal): a `<db>-journal` that exists, is not empty, does not start with a zero byte, while
 * no connection holds a RESERVED lock, is hot; the next connection that reads takes an EXCLUSIVE lock
 * and plays it back. We leave that to native SQLite itself: Python's sqlite3 (the SQLite Airflow
 * runs on) opens the file and reads, which rolls a hot journal back under SQLite's own locks, or
 * waits while a live writer owns the journal. Without such a Python, a journal that may be hot is
 * refused with a message, never read past.
 *
 * Rollback-journal commits also bump the file change counter (header bytes 24..27) and keep the
 * journal on disk for as long as they modify the database file, so a read that starts and ends with
 * no journal and the same counter saw no native write (sqlite.ts uses this for reads outside
 * transactions, since the wasm driver takes no native SHARED lock).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';

export const journalFile = (db: string) => `${db}-journal`;

/** A journal that native SQLite could treat as hot: present, not empty, first byte non-zero (pager.c). */
export function journalMayBeHot(db: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(journalFile(db), 'r');
  } catch {
    return false;
  }
  try {
    const b = Buffer.alloc(1);
    return fs.readSync(fd, b, 0, 1, 0) === 1 && b[0] !== 0;
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

/** The database header says WAL (file format read/write versions 2, header bytes 18 and 19). */
export function isWalMode(db: string): boolean {
  try {
    const fd = fs.openSync(db, 'r');
    try {
      const b = Buffer.alloc(2);
      return fs.readSync(fd, b, 0, 2, 18) === 2 && (b[0] === 2 || b[1] === 2);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** File change counter (header bytes 24..27), or -1 when unreadable. */
export function changeCounter(db: string): number {
  try {
    const fd = fs.openSync(db, 'r');
    try {
      const b = Buffer.alloc(4);
      return fs.readSync(fd, b, 0, 4, 24) === 4 ? b.readUInt32BE(0) : -1;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return -1;
  }
}

const RECOVER = `
import sqlite3, sys
try:
    c = sqlite3.connect(sys.argv[1], timeout=float(sys.argv[2]))
    c.execute("SELECT count(*) FROM sqlite_master").fetchone()
    c.close()
    print("ok", flush=True)
except sqlite3.OperationalError as e:
    print("busy" if "locked" in str(e) or "busy" in str(e) else "error " + str(e), flush=True)
except Exception as e:
    print("error " + str(e), flush=True)
`;

const PYTHON = () => process.env.AIRFLOW_ACCESS_PYTHON || 'python3';

export type RecoveryResult = 'ok' | 'busy' | 'unavailable' | { error: string };

/**
 * Let native SQLite open `db` and read once: a hot journal is rolled back (SQLite takes its EXCLUSIVE
 * lock to do it); a journal owned by a live writer is left alone. 'busy': the writer kept its lock
 * for `timeoutMs`; 'unavailable': no python3 with sqlite3 here.
 */
export async function letNativeSqliteRecover(db: string, timeoutMs: number): Promise<RecoveryResult> {
  return new Promise((resolve) => {
    let out = '';
    let child;
    try {
      child = spawn(PYTHON(), ['-c', RECOVER, db, String(Math.max(0, timeoutMs) / 1000)], { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      resolve('unavailable');
      return;
    }
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', () => resolve('unavailable'));
    child.once('close', (code) => {
      const line = out.trim();
      if (line === 'ok') resolve('ok');
      else if (line === 'busy') resolve('busy');
      else if (line.startsWith('error ')) resolve({ error: line.slice(6) });
      else resolve(code === 127 || !line ? 'unavailable' : { error: line });
    });
  });
}
