/**
 * `COPY ... FROM STDIN` on a `pg` Client, which has no COPY support of its own (pg-copy-streams
 * plugs in through the same Submittable interface: an object with `submit` and the `handle*`
 * callbacks the Client calls for each server message).
 *
 * The statement and its data are written together, without waiting for the server's
 * CopyInResponse: the data then leaves while the statement starts, like any other statement's
 * parameters. If the statement fails before copying, the server ignores the copy messages that
 * follow (protocol: CopyData / CopyDone outside COPY are accepted and discarded).
 */
import type { Client } from 'pg';

interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

class CopyIn {
  private rows = 0;
  private done = false;

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
    private readonly callback: (err: Error | null, rows: number) => void,
  ) {}

  submit(connection: PgConnection): void {
    connection.query(this.text);
    connection.sendCopyFromChunk(this.data);
    connection.endCopyFrom();
  }

  handleCommandComplete(msg: { text?: string }): void {
    this.rows = Number(/ (\d+)$/.exec(msg.text ?? '')?.[1] ?? 0);
  }

  /** A server error (the Client then drops this query) or a lost connection: the last call. */
  handleError(err: Error): void {
    this.finish(err);
  }

  handleReadyForQuery(): void {
    this.finish(null);
  }

  private finish(err: Error | null): void {
    if (this.done) return;
    this.done = true;
    this.callback(err, this.rows);
  }

  // Messages a COPY FROM does not produce (or, for CopyInResponse, needs no answer: the data is sent).
  handleCopyInResponse(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/**
 * Whether `client`'s connection has the methods a COPY is written with. They are pg internals: a pg
 * that renamed them must make the COPY fail before anything is sent (the bulk path then rolls back to
 * its savepoint and inserts the ordinary way), not leave the client stuck in a half-submitted query.
 */
export function canCopy(client: Client): boolean {
  const c = (client as unknown as { connection?: Partial<PgConnection> }).connection;
  return typeof c?.query === 'function' && typeof c.sendCopyFromChunk === 'function' && typeof c.endCopyFrom === 'function';
}

/** Run `sql` (a `COPY <table> (<columns>) FROM STDIN`) with `data` as its text-format rows; resolves to the rows copied. */
export function runCopyFrom(client: Client, sql: string, data: string): Promise<number> {
  if (!canCopy(client)) return Promise.reject(new Error('this version of the pg driver cannot send COPY data (its connection has no sendCopyFromChunk/endCopyFrom)'));
  return new Promise((resolve, reject) => {
    const q = new CopyIn(sql, Buffer.from(data, 'utf8'), (err, rows) => (err ? reject(err) : resolve(rows)));
    // `query` accepts any Submittable; its typings only name pg's own query types.
    (client.query as unknown as (q: CopyIn) => void)(q);
  });
}
