/** PostgreSQL connection over `pg` (one Client, not a pool). */
import { Client, type ClientConfig } from 'pg';
import type { ConnectionOptions } from 'tls';
import { BaseDb, toDollarParams } from './base';
import { runCopyFrom } from './pgCopy';
import { DbError, toDbError } from './errors';
import { readTlsFiles } from './tlsFiles';
import { PG_ADVISORY_KEY, type RunResult, type SqlValue } from './types';
import type { ServerTarget } from './url';

export class PostgresDb extends BaseDb {
  readonly dialect = 'postgres' as const;
  private busy = false;
  private readonly waiting: (() => void)[] = [];

  private constructor(
    private readonly client: Client,
    label: string,
    secrets: (string | null)[],
  ) {
    super(label, secrets);
  }

  static async open(t: ServerTarget, label: string, connectTimeoutMs: number): Promise<PostgresDb> {
    const base: ClientConfig = {
      host: t.host,
      port: t.port,
      user: t.user,
      database: t.database,
      password: t.password ?? undefined,
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: 'airflow-dag-access',
      options: t.pgOptions,
    };
    const secrets = [t.password];
    const attempt = async (ssl: ClientConfig['ssl']) => {
      const client = new Client({ ...base, ssl });
      // A server-side disconnect emits 'error' on the client; statements then fail and are reported.
      client.on('error', () => undefined);
      try {
        await client.connect();
      } catch (err) {
        await client.end().catch(() => undefined);
        throw err;
      }
      return client;
    };
    const db = (client: Client) => new PostgresDb(client, label, secrets);
    // No sslmode in the URL: libpq's default, as Airflow's own connection gets it (TLS without
    // verification when the server offers it, else plain).
    const tls = t.tls ?? { mode: 'prefer' as const };
    try {
      if (tls.mode === 'disable') return db(await attempt(false));
      const ssl = tlsOptions(tls);
      if (tls.mode === 'prefer' || tls.mode === 'allow') {
        try {
          return db(await attempt(ssl));
        } catch (err) {
          // As libpq: a server without TLS, or one whose pg_hba.conf has no line for TLS connections, gets a plain one.
          const e = err as { message?: string; code?: string };
          const tlsRefused = /does not support SSL|error establishing an SSL connection/i.test(String(e.message)) || (e.code === '28000' && /SSL encryption/i.test(String(e.message)));
          if (!tlsRefused) throw err;
          return db(await attempt(false));
        }
      }
      return db(await attempt(ssl));
    } catch (err) {
      // Closed before the server said anything: nothing was connected, so no transaction was lost.
      if (/^(Connection terminated unexpectedly|There was an error establishing an SSL connection)/.test(String((err as Error)?.message))) {
        throw new DbError('unreachable', `Cannot reach ${label}: the connection was closed before the server answered (wrong host or port, a firewall, or not a PostgreSQL server).`);
      }
      throw toDbError(err, label, secrets);
    }
  }

  protected async exec(sql: string, params: readonly SqlValue[]): Promise<RunResult> {
    const r = await this.serial(() => this.client.query({ text: toDollarParams(sql), values: params.map((v) => (typeof v === 'bigint' ? v.toString() : v)) }));
    const rows = (r.rows ?? []) as Record<string, unknown>[];
    const write = r.command === 'INSERT' || r.command === 'UPDATE' || r.command === 'DELETE';
    return { rows, changes: write ? (r.rowCount ?? 0) : 0 };
  }

  override async copyFrom(sql: string, data: string): Promise<RunResult> {
    return this.roundTrip(async () => ({ rows: [], changes: await this.serial(() => runCopyFrom(this.client, sql, data)) }));
  }

  /**
   * Statements issued while another runs wait here, not in pg's own queue (deprecated; pg 9 drops
   * it). The next one is sent the moment the running one completes, before that one's result is
   * handed back, so the server runs it while the caller reads the previous result. A statement
   * issued on an idle connection is sent at once (`sent` relies on it).
   */
  private serial<T>(send: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.busy = true;
        let pending: Promise<T>;
        try {
          pending = send();
        } catch (err) {
          pending = Promise.reject(err);
        }
        pending.then(
          (v) => {
            this.next();
            resolve(v);
          },
          (err: unknown) => {
            this.next();
            reject(err);
          },
        );
      };
      if (this.busy) this.waiting.push(start);
      else start();
    });
  }

  private next(): void {
    this.busy = false;
    this.waiting.shift()?.();
  }

  /** The socket pg writes to: a large statement (e.g. 60,000 grant ids) may still be queued in it. */
  override async sent(): Promise<void> {
    const stream = (this.client as unknown as { connection?: { stream?: NodeJS.WritableStream & { writableNeedDrain?: boolean } } }).connection?.stream;
    if (stream?.writableNeedDrain) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }

  protected async begin(lockTimeoutMs: number): Promise<void> {
    await this.run('BEGIN');
    // lock_timeout bounds both the advisory lock wait and row locks held by Airflow itself.
    await this.run(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
    await this.run(`SELECT pg_advisory_xact_lock(${PG_ADVISORY_KEY})`);
  }

  protected async commit(): Promise<void> {
    await this.run('COMMIT');
  }

  protected async rollback(): Promise<void> {
    await this.exec('ROLLBACK', []);
  }

  /** Backend pid (tests use it to kill the connection from another session). */
  async backendPid(): Promise<number> {
    const rows = await this.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return Number(rows[0].pid);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

function tlsOptions(tls: NonNullable<ServerTarget['tls']>): ConnectionOptions {
  const opts: ConnectionOptions = { ...readTlsFiles(tls) };
  if (tls.mode === 'require' || tls.mode === 'prefer' || tls.mode === 'allow') opts.rejectUnauthorized = !!tls.rootCert && tls.mode === 'require' ? true : false;
  else opts.rejectUnauthorized = true;
  // libpq verify-ca checks the chain but not the host name.
  if (tls.mode === 'verify-ca' || (tls.mode === 'require' && tls.rootCert)) opts.checkServerIdentity = () => undefined;
  return opts;
}
