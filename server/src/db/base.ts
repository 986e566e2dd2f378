/**
 * Shared behaviour of the three connections: round-trip counting, one-at-a-time statements on the
 * single connection, and the transaction wrapper (lock, commit, rollback on error or abort).
 */
import { DbError, toDbError } from './errors';
import type { Db, Dialect, Row, RunResult, SqlValue, TransactionOptions } from './types';

export abstract class BaseDb implements Db {
  abstract readonly dialect: Dialect;
  private trips = 0;
  private inTx = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly label: string,
    protected readonly secrets: readonly (string | null)[] = [],
  ) {}

  get roundTrips(): number {
    return this.trips;
  }

  /** Dialect statement execution (one round trip). Errors may be raw driver errors. */
  protected abstract exec(sql: string, params: readonly SqlValue[]): Promise<RunResult>;
  /** Start a serialized write transaction (lock included). */
  protected abstract begin(lockTimeoutMs: number): Promise<void>;
  protected abstract commit(): Promise<void>;
  protected abstract rollback(): Promise<void>;
  abstract close(): Promise<void>;

  /** PostgreSQL: COPY FROM STDIN (see Db.copyFrom). */
  copyFrom?(sql: string, data: string): Promise<RunResult>;

  /** Drivers that buffer outgoing data override this (PostgreSQL); the others send synchronously or in-process. */
  sent(): Promise<void> {
    return Promise.resolve();
  }

  protected fail(err: unknown): DbError {
    return toDbError(err, this.label, this.secrets);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return this.roundTrip(() => this.exec(sql, params));
  }

  /** One round trip to the server, counted, with driver errors turned into DbErrors. */
  protected async roundTrip<T>(send: () => Promise<T>): Promise<T> {
    this.trips++;
    try {
      return await send();
    } catch (err) {
      throw this.fail(err);
    }
  }

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.run(sql, params)).rows as T[];
  }

  async transaction<T>(fn: (db: Db) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    if (this.inTx) throw new DbError('unsupported', 'Nested transactions are not supported.');
    // Transactions on one connection run one after another (a second caller waits here).
    const prev = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((r) => (release = r));
    await prev.catch(() => undefined);
    this.inTx = true;
    try {
      return await this.runInTx(fn, opts);
    } finally {
      this.inTx = false;
      release();
    }
  }

  private async runInTx<T>(fn: (db: Db) => Promise<T>, opts: TransactionOptions): Promise<T> {
    const signal = opts.signal;
    throwIfAborted(signal);
    try {
      await this.begin(opts.lockTimeoutMs ?? 30_000);
    } catch (err) {
      await this.rollback().catch(() => undefined);
      throw this.fail(err);
    }
    const guarded = signal ? abortingProxy(this, signal) : this;
    try {
      const result = await fn(guarded);
      throwIfAborted(signal);
      try {
        await this.commit();
      } catch (err) {
        throw this.fail(err);
      }
      return result;
    } catch (err) {
      await this.rollback().catch(() => undefined);
      throw err instanceof DbError ? err : this.fail(err);
    }
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new DbError('aborted', 'Sync cancelled before commit; the transaction was rolled back and nothing changed.');
}

/** A view of `db` whose statements first check the abort signal. */
function abortingProxy(db: BaseDb, signal: AbortSignal): Db {
  return {
    dialect: db.dialect,
    label: db.label,
    get roundTrips() {
      return db.roundTrips;
    },
    run: (sql, params) => {
      throwIfAborted(signal);
      return db.run(sql, params);
    },
    query: (sql, params) => {
      throwIfAborted(signal);
      return db.query(sql, params);
    },
    copyFrom: db.copyFrom
      ? (sql: string, data: string) => {
          throwIfAborted(signal);
          return db.copyFrom!(sql, data);
        }
      : undefined,
    transaction: () => Promise.reject(new DbError('unsupported', 'Nested transactions are not supported.')),
    sent: () => db.sent(),
    close: () => db.close(),
  } as Db;
}

/** `?` → `$1, $2, ...` outside quoted strings / identifiers (PostgreSQL). */
export function toDollarParams(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') out += `$${++n}`;
    else out += ch;
  }
  return out;
}
