/** MySQL / MariaDB connection over `mysql2` (one connection). */
import * as mysql from 'mysql2/promise';
import { BaseDb } from './base';
import { DbError, toDbError } from './errors';
import { readTlsFiles } from './tlsFiles';
import { SYNC_LOCK_NAME, type RunResult, type SqlValue } from './types';
import type { ServerTarget } from './url';

export class MysqlDb extends BaseDb {
  readonly dialect = 'mysql' as const;
  private locked = false;

  private constructor(
    private readonly conn: mysql.Connection,
    label: string,
    secrets: (string | null)[],
  ) {
    super(label, secrets);
  }

  static async open(t: ServerTarget, label: string, connectTimeoutMs: number): Promise<MysqlDb> {
    const secrets = [t.password];
    try {
      const conn = await mysql.createConnection({
        host: t.host,
        port: t.port,
        user: t.user,
        password: t.password ?? undefined,
        database: t.database,
        connectTimeout: connectTimeoutMs,
        charset: 'utf8mb4',
        supportBigNumbers: true,
        multipleStatements: false,
        ssl: t.tls ? { ...readTlsFiles(t.tls), rejectUnauthorized: t.tls.mode !== 'require' } : undefined,
      });
      conn.on('error', () => undefined);
      return new MysqlDb(conn, label, secrets);
    } catch (err) {
      throw toDbError(err, label, secrets);
    }
  }

  protected async exec(sql: string, params: readonly SqlValue[]): Promise<RunResult> {
    const values = params.map((v) => (typeof v === 'bigint' ? v.toString() : typeof v === 'boolean' ? (v ? 1 : 0) : v));
    const [res] = await this.conn.query(sql, values);
    if (Array.isArray(res)) return { rows: res as Record<string, unknown>[], changes: 0 };
    return { rows: [], changes: (res as mysql.ResultSetHeader).affectedRows ?? 0 };
  }

  protected async begin(lockTimeoutMs: number): Promise<void> {
    // GET_LOCK is per session (not per transaction): released after COMMIT / ROLLBACK below, and by
    // the server when the connection dies.
    const secs = Math.max(1, Math.ceil(lockTimeoutMs / 1000));
    const rows = await this.query<{ got: number | null }>('SELECT GET_LOCK(?, ?) AS got', [SYNC_LOCK_NAME, secs]);
    if (Number(rows[0]?.got) !== 1) throw new DbError('lock-timeout', `Timed out after ${secs}s waiting for another sync on ${this.label}. Try again.`);
    this.locked = true;
    await this.run(`SET SESSION innodb_lock_wait_timeout = ${secs}`);
    await this.run('START TRANSACTION');
  }

  protected async commit(): Promise<void> {
    await this.run('COMMIT');
    await this.release();
  }

  protected async rollback(): Promise<void> {
    try {
      await this.exec('ROLLBACK', []);
    } finally {
      await this.release().catch(() => undefined);
    }
  }

  private async release(): Promise<void> {
    if (!this.locked) return;
    this.locked = false;
    await this.exec('SELECT RELEASE_LOCK(?)', [SYNC_LOCK_NAME]);
  }

  /** Server thread id (tests kill it from another session). */
  async threadId(): Promise<number> {
    return this.conn.threadId;
  }

  async close(): Promise<void> {
    await this.conn.end().catch(() => undefined);
  }
}
