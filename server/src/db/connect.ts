/**
 * Open an Airflow metadata database from a `sql_alchemy_conn` style URL.
 *
 *   const db = await openDatabase({ url, password });   // url may be '' → AIRFLOW__DATABASE__SQL_ALCHEMY_CONN
 *
 * Every failure is a `DbError` with one line and no password (wrong password, unreachable host,
 * missing file, read-only file, lock timeout...).
 */
import { DbError } from './errors';
import type { Db } from './types';
import { parseConnectionUrl, redactUrl, resolveUrl, targetLabel, type ConnectionTarget } from './url';

export interface OpenOptions {
  /** SQLAlchemy-style URL; empty → `AIRFLOW__DATABASE__SQL_ALCHEMY_CONN` from `env`. */
  url: string;
  /** Password from SecretStorage; else `AIRFLOW_ACCESS_DB_PASSWORD`; else the URL's own. */
  password?: string | null;
  env?: NodeJS.ProcessEnv;
  connectTimeoutMs?: number;
  /** Base directory for relative `sqlite:///file.db` URLs (default: cwd). */
  baseDir?: string;
  /** SQLite: use node-sqlite3-wasm even when node:sqlite exists (tests). */
  preferWasm?: boolean;
  /** SQLite: how long reads wait for a lock or for another program's write to finish (default 5 s). */
  lockTimeoutMs?: number;
  /** SQLite: the caller will write (sync, rollback): the native lock's helper is started at once. */
  forWrite?: boolean;
  /** SQLite: what was done to recover the file (a stale lock folder removed, a crash journal rolled back). */
  onNotice?: (message: string) => void;
}

export interface OpenedTarget {
  target: ConnectionTarget;
  /** Redacted URL, safe to print. */
  redactedUrl: string;
  /** The URL carried a password inline (works; callers should suggest SecretStorage / env). */
  inlinePassword: boolean;
}

export function describeTarget(opts: Pick<OpenOptions, 'url' | 'password' | 'env' | 'baseDir'>): OpenedTarget {
  const url = resolveUrl(opts.url, opts.env);
  const target = parseConnectionUrl(url, { password: opts.password, env: opts.env, baseDir: opts.baseDir });
  return { target, redactedUrl: redactUrl(url), inlinePassword: target.inlinePassword };
}

export async function openDatabase(opts: OpenOptions): Promise<Db> {
  const { target } = describeTarget(opts);
  const timeout = opts.connectTimeoutMs ?? 10_000;
  switch (target.dialect) {
    // Each driver is imported when its dialect is opened: a PostgreSQL sync never loads mysql2 or the SQLite wasm.
    case 'postgres':
      return (await import('./postgres.js')).PostgresDb.open(target, targetLabel(target), timeout);
    case 'mysql':
      return (await import('./mysql.js')).MysqlDb.open(target, targetLabel(target), timeout);
    case 'sqlite':
      return (await import('./sqlite.js')).SqliteDb.open(target.file, { preferWasm: opts.preferWasm, busyTimeoutMs: opts.lockTimeoutMs, onNotice: opts.onNotice, forWrite: opts.forWrite });
  }
}

/** Message for any thrown value, safe to show (one line, no password). */
export function errorMessage(err: unknown): string {
  if (err instanceof DbError) return err.message;
  return String((err as Error)?.message ?? err).split('\n')[0];
}
