/**
 * SQLite on the live file, with SQLite's own page-level writes (never a whole-file rewrite).
 *
 * Driver choice: Node's built-in `node:sqlite` when the runtime has it (Node >= 22.5): real SQLite
 * with POSIX locking, so it cooperates with Airflow's own processes on the same file. Otherwise
 * `node-sqlite3-wasm` (VS Code's extension host on older Electron, Node 20): no native rebuild,
 * direct file access, BUT its VFS locks with a `<db>.lock` directory instead of POSIX locks, which
 * processes using the native SQLite (Airflow) do not see. So its write transactions also take native
 * SQLite's lock through a Python helper (sqlitePosixLock.ts); without a Python with fcntl the sync
 * warns that Airflow should be stopped while it runs. A crash can leave a stale `<db>.lock` directory
 * that must be removed by hand.
 *
 * Busy handling is done here, asynchronously: both drivers are synchronous, so SQLite's own
 * busy_timeout would block the event loop (and, with two connections in one process, deadlock).
 */
import * as fs from 'fs';
import { BaseDb } from './base';
import { DbError } from './errors';
import type { RunResult, SqlValue } from './types';
import { posixLockAvailable, takeSqliteLock, type HeldLock } from './sqlitePosixLock';

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
   * a Python with fcntl, nothing keeps Airflow out: say so.
   */
  writeCaveat(): string | null {
    if (this.driver.name !== 'node-sqlite3-wasm' || posixLockAvailable()) return null;
    return `Warning: this Node (${process.version}) has no node:sqlite and no python3 with fcntl was found, so Airflow's processes do not see this sync's lock on ${this.file}. Stop the scheduler, webserver and DAG processor while it runs, or run the CLI with Node 22.5 or later.`;
  }

  static async open(file: string, opts: { preferWasm?: boolean; busyTimeoutMs?: number } = {}): Promise<SqliteDb> {
    if (!fs.existsSync(file)) throw new DbError('missing-file', `SQLite database not found: ${file}`);
    if (fs.statSync(file).isDirectory()) throw new DbError('missing-file', `${file} is a directory, not a SQLite database.`);
    let readOnly = false;
    try {
      fs.accessSync(file, fs.constants.W_OK);
    } catch {
      readOnly = true; // plans still work; any write fails with a clear read-only message
    }
    const nodeSqlite = opts.preferWasm ? null : loadNodeSqlite();
    let driver: SyncDriver;
    try {
      driver = nodeSqlite ? nodeSqlite(file, readOnly) : openWasm(file, readOnly);
      driver.all('PRAGMA busy_timeout = 0', []);
      driver.all('SELECT count(*) AS n FROM sqlite_master', []);
    } catch (err) {
      const msg = String((err as Error).message);
      if (/not a database|file is encrypted/i.test(msg)) throw new DbError('not-airflow', `${file} is not a SQLite database.`);
      throw new DbError('missing-file', `Cannot open SQLite database ${file}: ${msg.split('\n')[0]}`);
    }
    const db = new SqliteDb(driver, file, readOnly);
    if (opts.busyTimeoutMs) db.lockWaitMs = opts.busyTimeoutMs;
    return db;
  }

  /** Retry on SQLITE_BUSY / "database is locked" until `budgetMs` passes, yielding between tries. */
  private async withBusyRetry<T>(fn: () => T, budgetMs: number): Promise<T> {
    const deadline = Date.now() + budgetMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      try {
        return fn();
      } catch (err) {
        if (!/database is locked|SQLITE_BUSY|database table is locked/i.test(String((err as Error).message)) || Date.now() >= deadline) throw err;
      }
      await sleep(delay);
    }
  }

  protected async exec(sql: string, params: readonly SqlValue[]): Promise<RunResult> {
    const isRead = /^\s*(SELECT|PRAGMA|WITH)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE)\b/i.test(sql);
    return this.withBusyRetry(() => {
      if (isRead) return { rows: this.driver.all(sql, params), changes: 0 };
      return { rows: [], changes: this.driver.run(sql, params) };
    }, this.lockWaitMs);
  }

  protected async begin(lockTimeoutMs: number): Promise<void> {
    if (this.readOnly) throw new DbError('read-only', `${this.file} is read-only (no write permission); cannot apply.`);
    if (this.driver.name === 'node-sqlite3-wasm') {
      const held = await takeSqliteLock(this.file, lockTimeoutMs);
      if (held === 'busy') {
        throw new DbError('lock-timeout', `Timed out after ${Math.round(lockTimeoutMs / 1000)}s waiting for the write lock on ${this.file}; Airflow or another program is reading or writing it. Try again.`);
      }
      if (held !== 'unavailable') this.nativeLock = held;
    }
    try {
      await this.withBusyRetry(() => this.driver.run('BEGIN IMMEDIATE', []), lockTimeoutMs);
    } catch (err) {
      await this.releaseNativeLock();
      if (/locked|BUSY/i.test(String((err as Error).message)))
        throw new DbError('lock-timeout', `Timed out after ${Math.round(lockTimeoutMs / 1000)}s waiting for the write lock on ${this.file}; another sync or Airflow is writing. Try again.`);
      throw err;
    }
  }

  protected async commit(): Promise<void> {
    await this.run('COMMIT');
    // A failed COMMIT is followed by rollback(), which lets go of the lock after it.
    await this.releaseNativeLock();
  }

  protected async rollback(): Promise<void> {
    try {
      this.driver.run('ROLLBACK', []);
    } catch {
      /* not in a transaction */
    } finally {
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
  }
}
