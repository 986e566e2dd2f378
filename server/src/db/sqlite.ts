/**
 * SQLite on the live file, with SQLite's own page-level writes (never a whole-file rewrite).
 *
 * Driver choice: Node's built-in `node:sqlite` when the runtime has it (Node >= 22.5): real SQLite
 * with POSIX locking, so it cooperates with Airflow's own processes on the same file. Otherwise
 * `node-sqlite3-wasm` (VS Code's extension host on older Electron, Node 20): no native rebuild,
 * direct file access, BUT its VFS locks with a `<db>.lock` directory instead of POSIX locks, which
 * processes using the native SQLite (Airflow) do not see. So its write transactions also take native
 * SQLite's lock through a Python helper (sqlitePosixLock.ts, one process per connection, kept between
 * transactions); without a Python with fcntl the sync
 * warns that Airflow should be stopped while it runs. That driver also cannot follow SQLite's crash
 * recovery (a hot journal, WAL): sqliteJournal.ts lets native SQLite do it first, or refuses. A
 * `<db>.lock` directory left by a killed process is found and removed (sqliteLockOwners.ts).
 *
 * Busy handling is done here, asynchronously: both drivers are synchronous, so SQLite's own
 * busy_timeout would block the event loop (and, with two connections in one process, deadlock).
 */
import * as fs from 'fs';
import { BaseDb } from './base';
import { DbError } from './errors';
import type { RunResult, SqlValue } from './types';
import { posixLockKnown, SqliteLockHelper, type HeldLock } from './sqlitePosixLock';
import { changeCounter, isWalMode, journalFile, journalMayBeHot, letNativeSqliteRecover } from './sqliteJournal';
import { lockFolder, lockFolderState, markOwnTransaction, recordOwner, unknownLockAdvice, type OwnerRecord } from './sqliteLockOwners';

interface SyncDriver {
  all(sql: string, params: readonly SqlValue[]): Record<string, unknown>[];
  run(sql: string, params: readonly SqlValue[]): number;
  close(): void;
  readonly name: 'node:sqlite' | 'node-sqlite3-wasm';
}

function loadNodeSqlite(): ((file: string, readOnly: boolean) => SyncDriver) | null {
  let mod: { DatabaseSync: new (f: string, o?: { readOnly?: boolean }) => NodeSqliteDb } | null = null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('node:sqlite');
  } catch {
    return null;
  }
  const M = mod!;
  return (file, readOnly) => {
    const db = new M.DatabaseSync(file, { readOnly });
    return {
      name: 'node:sqlite',
      all: (sql, params) => db.prepare(sql).all(...params.map(bindValue)) as Record<string, unknown>[],
      run: (sql, params) => Number(db.prepare(sql).run(...params.map(bindValue)).changes),
      close: () => db.close(),
    };
  };
}

interface NodeSqliteDb {
  prepare(sql: string): { all(...p: unknown[]): unknown[]; run(...p: unknown[]): { changes: number | bigint } };
  close(): void;
}

function openWasm(file: string, readOnly: boolean): SyncDriver {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Database } = require('node-sqlite3-wasm') as typeof import('node-sqlite3-wasm');
  const db = new Database(file, { fileMustExist: true, readOnly });
  return {
    name: 'node-sqlite3-wasm',
    all: (sql, params) => db.all(sql, params.map(bindValue) as never) as Record<string, unknown>[],
    run: (sql, params) => db.run(sql, params.map(bindValue) as never).changes,
    close: () => db.close(),
  };
}

function bindValue(v: SqlValue): string | number | bigint | null {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SqliteDb extends BaseDb {
  readonly dialect = 'sqlite' as const;
  /** Wait budget for locks outside explicit transactions (reads). */
  private lockWaitMs = 5_000;
  /** Native SQLite's lock, held for the wasm driver's write transaction (sqlitePosixLock.ts). */
  private nativeLock: HeldLock | null = null;
  /** wasm driver: the Python process that takes native SQLite's lock (started by the first write). */
  private lockHelper: SqliteLockHelper | null = null;
  /** wasm driver: this process's record as a possible holder of `<db>.lock`. */
  private owner: OwnerRecord | null = null;
  /** Inside our own write transaction (its journal is ours; reads need no checks). */
  private writing = false;
  /** Things done to recover the file (stale lock removed, journal rolled back), for the caller to show. */
  readonly notices: string[] = [];

  private constructor(
    private readonly driver: SyncDriver,
    readonly file: string,
    readonly readOnly: boolean,
  ) {
    super(file);
  }

  get driverName(): string {
    return this.driver.name;
  }

  /**
   * node-sqlite3-wasm locks with a `<db>.lock` directory, which Airflow's SQLite never looks at; a
   * write transaction then also takes native SQLite's lock through Python (sqlitePosixLock.ts). Without
   * a Python with fcntl, nothing keeps Airflow out: say so. Known once a write transaction began (the
   * helper that takes the lock is also what finds out whether Python has fcntl: no separate probe).
   */
  writeCaveat(): string | null {
    if (this.driver.name !== 'node-sqlite3-wasm' || posixLockKnown() !== false) return null;
    return `Warning: this Node (${process.version}) has no node:sqlite and no python3 with fcntl was found, so Airflow's processes do not see this sync's lock on ${this.file}. Stop the scheduler, webserver and DAG processor while it runs, or run the CLI with Node 22.5 or later.`;
  }

  /** Db.prepareWrite: the lock helper's Python starts now, not when the write transaction begins. */
  prepareWrite(): void {
    if (this.driver.name !== 'node-sqlite3-wasm' || this.readOnly) return;
    this.lockHelper ??= new SqliteLockHelper(this.file);
    this.lockHelper.prepare();
  }

  static async open(file: string, opts: { preferWasm?: boolean; busyTimeoutMs?: number; onNotice?: (m: string) => void; forWrite?: boolean } = {}): Promise<SqliteDb> {
    if (!fs.existsSync(file)) throw new DbError('missing-file', `SQLite database not found: ${file}`);
    if (fs.statSync(file).isDirectory()) throw new DbError('missing-file', `${file} is a directory, not a SQLite database.`);
    let readOnly = false;
    try {
      fs.accessSync(file, fs.constants.W_OK);
    } catch {
      readOnly = true; // plans still work; any write fails with a clear read-only message
    }
    const nodeSqlite = opts.preferWasm ? null : loadNodeSqlite();
    if (!nodeSqlite && isWalMode(file)) {
      throw new DbError(
        'unsupported',
        `${file} is in WAL journal mode, which this Node's SQLite driver (node-sqlite3-wasm, no shared memory) cannot open safely next to Airflow. Run airflow-access with Node 22.5 or later (built-in node:sqlite), or switch the database to journal_mode=DELETE while Airflow is stopped.`,
      );
    }
    // A caller that will write: the lock helper's Python starts while the wasm driver loads.
    const lockHelper = !nodeSqlite && !readOnly && opts.forWrite ? new SqliteLockHelper(file) : null;
    lockHelper?.prepare();
    let driver: SyncDriver;
    try {
      driver = nodeSqlite ? nodeSqlite(file, readOnly) : openWasm(file, readOnly);
      driver.all('PRAGMA busy_timeout = 0', []);
    } catch (err) {
      lockHelper?.close();
      throw openError(file, err);
    }
    const db = new SqliteDb(driver, file, readOnly);
    db.lockHelper = lockHelper;
    if (opts.busyTimeoutMs) db.lockWaitMs = opts.busyTimeoutMs;
    if (driver.name === 'node-sqlite3-wasm') db.owner = recordOwner(file);
    try {
      // The first read goes through the same recovery and busy handling as every other.
      await db.exec('SELECT count(*) AS n FROM sqlite_master', []);
    } catch (err) {
      await db.close();
      throw err instanceof DbError ? err : openError(file, err);
    }
    for (const n of db.notices) opts.onNotice?.(n);
    return db;
  }

  /**
   * wasm driver, before it touches the file outside its own transaction: no hot journal (native
   * SQLite rolls it back) and no lock folder of a killed process. Waits while a live writer owns the
   * journal; throws a DbError when `budgetMs` passes or when recovery cannot be done safely here.
   */
  private async settle(budgetMs: number): Promise<void> {
    if (this.driver.name !== 'node-sqlite3-wasm') return;
    const deadline = Date.now() + budgetMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      const folder = lockFolderState(this.file);
      if (folder.kind === 'stale') this.clearStaleFolder(folder.deadPids);
      if (!journalMayBeHot(this.file)) return;
      // A journal: a live native writer's (wait) or a crashed one's (hot: native SQLite rolls it back).
      const r = await letNativeSqliteRecover(this.file, Math.max(0, Math.min(deadline - Date.now(), 2_000)));
      if (r === 'unavailable') {
        throw new DbError(
          'unsupported',
          `${journalFile(this.file)} exists: a program writing ${this.file} is in the middle of a transaction or was interrupted. This Node's SQLite driver cannot tell which, and cannot roll an interrupted one back, and no python3 with sqlite3 was found to let native SQLite do it. Nothing was read or written. Wait for Airflow's write to finish; if the journal stays, open the database once with Airflow or the sqlite3 tool (sqlite3 '${this.file}' 'PRAGMA integrity_check') to roll it back, or run airflow-access with Node 22.5 or later.`,
        );
      }
      if (typeof r === 'object') throw new DbError('query', `Native SQLite could not recover ${this.file} from its journal: ${r.error}`);
      if (r === 'ok' && !journalMayBeHot(this.file)) {
        this.notices.push(`${journalFile(this.file)} was left by an interrupted write; native SQLite rolled it back before this run read the database.`);
        return;
      }
      if (Date.now() >= deadline) {
        throw new DbError('lock-timeout', `Timed out after ${Math.round(budgetMs / 1000)}s waiting for another program's write transaction on ${this.file} to finish (${journalFile(this.file)} is in use). Try again.`);
      }
      await sleep(delay);
    }
  }

  /** Remove `<db>.lock` left by killed processes of ours (a hot journal is dealt with right after, by settle). */
  private clearStaleFolder(deadPids: number[]): void {
    try {
      fs.rmdirSync(lockFolder(this.file));
      this.notices.push(`Removed ${lockFolder(this.file)}, the lock folder of a killed airflow-access process (pid ${deadPids.join(', ')}).`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new DbError('lock-timeout', `${lockFolder(this.file)} was left by a killed process (pid ${deadPids.join(', ')}) but cannot be removed: ${(e as Error).message}`);
    }
  }

  /** A busy error while `<db>.lock` exists that no live process of ours holds: say so (never a bare "database is locked"). */
  private lockFolderError(budgetMs: number): DbError | null {
    if (this.driver.name !== 'node-sqlite3-wasm') return null;
    const st = lockFolderState(this.file);
    if (st.kind === 'unknown') return new DbError('lock-timeout', `Timed out after ${Math.round(budgetMs / 1000)}s: ${unknownLockAdvice(this.file)}`);
    return null;
  }

  /** Retry on SQLITE_BUSY / "database is locked" until `budgetMs` passes, yielding between tries. */
  private async withBusyRetry<T>(fn: () => T, budgetMs: number): Promise<T> {
    const deadline = Date.now() + budgetMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      try {
        return fn();
      } catch (err) {
        if (!/database is locked|SQLITE_BUSY|database table is locked/i.test(String((err as Error).message))) throw err;
        const folder = this.driver.name === 'node-sqlite3-wasm' && !this.writing ? lockFolderState(this.file) : null;
        if (folder?.kind === 'stale') {
          this.clearStaleFolder(folder.deadPids);
          await this.settle(Math.max(0, deadline - Date.now()));
          continue;
        }
        if (Date.now() >= deadline) throw this.lockFolderError(budgetMs) ?? err;
      }
      await sleep(delay);
    }
  }

  protected async exec(sql: string, params: readonly SqlValue[]): Promise<RunResult> {
    const isRead = /^\s*(SELECT|PRAGMA|WITH)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE)\b/i.test(sql);
    const once = () =>
      this.withBusyRetry(() => {
        if (isRead) return { rows: this.driver.all(sql, params), changes: 0 };
        return { rows: [], changes: this.driver.run(sql, params) };
      }, this.lockWaitMs);
    if (this.driver.name !== 'node-sqlite3-wasm' || this.writing) return once();
    // The wasm driver takes no native SHARED lock: a read is kept only if no native write happened
    // while it ran (no journal before or after, same change counter; sqliteJournal.ts).
    const deadline = Date.now() + this.lockWaitMs;
    for (;;) {
      await this.settle(Math.max(0, deadline - Date.now()));
      const before = changeCounter(this.file);
      const r = await once();
      if (!isRead || (!journalMayBeHot(this.file) && changeCounter(this.file) === before)) return r;
      if (Date.now() >= deadline) throw new DbError('lock-timeout', `Timed out after ${Math.round(this.lockWaitMs / 1000)}s: Airflow kept writing ${this.file} during every read. Try again.`);
      await sleep(20);
    }
  }

  protected async begin(lockTimeoutMs: number): Promise<void> {
    if (this.readOnly) throw new DbError('read-only', `${this.file} is read-only (no write permission); cannot apply.`);
    const deadline = Date.now() + lockTimeoutMs;
    const timedOut = (who: string) => new DbError('lock-timeout', `Timed out after ${Math.round(lockTimeoutMs / 1000)}s waiting for the write lock on ${this.file}; ${who}. Try again, or give more time with --lock-timeout.`);
    if (this.driver.name === 'node-sqlite3-wasm') {
      for (;;) {
        await this.settle(Math.max(0, deadline - Date.now()));
        this.lockHelper ??= new SqliteLockHelper(this.file);
        const held = await this.lockHelper.lock(Math.max(0, deadline - Date.now()));
        if (held === 'busy') throw timedOut('Airflow or another program is reading or writing it');
        if (held === 'unavailable') {
          // No native lock: nothing keeps a native writer from starting after settle (writeCaveat says so).
          if (journalMayBeHot(this.file)) throw timedOut('another program is writing it');
          break;
        }
        // Under native SQLite's exclusive lock no live writer can own a journal: one now is hot
        // (its writer died after settle looked). Let go, let native SQLite roll it back, try again.
        if (!journalMayBeHot(this.file)) {
          this.nativeLock = held;
          break;
        }
        await held.release();
      }
    }
    try {
      await this.withBusyRetry(() => this.driver.run('BEGIN IMMEDIATE', []), Math.max(0, deadline - Date.now()));
    } catch (err) {
      await this.releaseNativeLock();
      if (err instanceof DbError) throw err;
      if (/locked|BUSY/i.test(String((err as Error).message))) throw this.lockFolderError(lockTimeoutMs) ?? timedOut('another sync or Airflow is writing');
      throw err;
    }
    this.writing = true;
    markOwnTransaction(this.file, true);
  }

  private endWrite(): void {
    if (!this.writing) return;
    this.writing = false;
    markOwnTransaction(this.file, false);
  }

  protected async commit(): Promise<void> {
    await this.run('COMMIT');
    // A failed COMMIT is followed by rollback(), which lets go of the lock after it.
    this.endWrite();
    await this.releaseNativeLock();
  }

  protected async rollback(): Promise<void> {
    try {
      this.driver.run('ROLLBACK', []);
    } catch {
      /* not in a transaction */
    } finally {
      this.endWrite();
      await this.releaseNativeLock();
    }
  }

  private async releaseNativeLock(): Promise<void> {
    const held = this.nativeLock;
    this.nativeLock = null;
    await held?.release();
  }

  async close(): Promise<void> {
    try {
      this.driver.close();
    } catch {
      /* already closed */
    }
    this.owner?.release();
    this.owner = null;
    this.lockHelper?.close();
    this.lockHelper = null;
  }
}

function openError(file: string, err: unknown): DbError {
  const msg = String((err as Error).message);
  if (/not a database|file is encrypted/i.test(msg)) return new DbError('not-airflow', `${file} is not a SQLite database.`);
  return new DbError('missing-file', `Cannot open SQLite database ${file}: ${msg.split('\n')[0]}`);
}
