/**
 * The small database surface the sync engine needs. One `Db` is one connection (never a pool), so a
 * transaction, its lock and every statement inside it run on the same session.
 */

export type Dialect = 'postgres' | 'mysql' | 'sqlite';

export type SqlValue = string | number | bigint | boolean | null;
export type Row = Record<string, unknown>;

export interface RunResult {
  rows: Row[];
  /** Rows inserted / updated / deleted by a write statement (0 for reads). */
  changes: number;
}

export interface TransactionOptions {
  /** Abort before the next statement when signalled; the transaction rolls back. */
  signal?: AbortSignal;
  /** How long to wait for another writer (SQLite busy / MySQL GET_LOCK / PG lock_timeout), ms. */
  lockTimeoutMs?: number;
}

export interface Db {
  readonly dialect: Dialect;
  /** The connection target with any password removed (safe to print). */
  readonly label: string;
  /** Statements sent to the server since open (each call is one round trip). */
  readonly roundTrips: number;
  /** Run one statement. `?` placeholders on every dialect; values are always bound, never inlined. */
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /** `run` returning only the rows. */
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Run `fn` inside one transaction: committed when it resolves, rolled back when it throws (or the
   * signal aborts). Serialized against other syncs: PG `pg_advisory_xact_lock`, MySQL `GET_LOCK`,
   * SQLite `BEGIN IMMEDIATE` retried until `lockTimeoutMs`.
   */
  transaction<T>(fn: (db: Db) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * PostgreSQL only: `COPY <table> (<columns>) FROM STDIN` with `data` as its text-format rows, in
   * one round trip; returns the rows copied. Absent on the other dialects.
   */
  copyFrom?(sql: string, data: string): Promise<RunResult>;
  /**
   * Resolves once every statement sent so far has left this process (the server may still be
   * running it): work done after this overlaps with the server's instead of holding back the rest
   * of a large statement.
   */
  sent(): Promise<void>;
  /**
   * A caveat to show while writing, when this connection cannot keep other programs out while it
   * writes. Known once a write transaction has started (ask inside `transaction`).
   */
  writeCaveat?(): string | null;
  /**
   * A caller about to write on a connection opened for reading (the language server's): start now
   * what the write transaction will need, as `forWrite` does at open. SQLite over the wasm driver
   * starts its lock helper (sqlitePosixLock.ts); absent or a no-op elsewhere.
   */
  prepareWrite?(): void;
  close(): Promise<void>;
}

/** Name of the lock every sync takes (advisory lock key derives from it on PostgreSQL). */
export const SYNC_LOCK_NAME = 'airflow_dag_access_sync';
/** pg_advisory_xact_lock key: a fixed 64-bit number ("ADA sync"). */
export const PG_ADVISORY_KEY = '4702111234474983745';
