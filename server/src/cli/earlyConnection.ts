/**
 * A database server connection opened as soon as a command starts: connecting (a TCP and TLS
 * handshake, authentication, importing the driver) then overlaps loading the engine, the config and
 * the workspace, instead of following them. Nothing is read or written before the command asks:
 * a config error still stops the command before it touches the database, and the connection is
 * closed unused. SQLite files are not opened early: opening one may recover it (a stale lock folder,
 * a crash journal), which must not happen for a command that then refuses to run.
 */
import type { CommandContext } from './command';
import { type DbTarget, lockTimeoutMs, resolveDb } from './dbUrl';
import { openDatabase } from '../db/connect';
import type { Db } from '../db/types';

export interface EarlyConnection {
  target: DbTarget;
  /** Settled, never rejected (a rejection nobody awaits yet would end the process). */
  opened: Promise<{ db: Db } | { error: unknown }>;
}

export function connectEarly(ctx: CommandContext): EarlyConnection | undefined {
  const target = resolveDb(ctx.args, ctx.io.env, true, ctx.io.cwd)!;
  if (/^sqlite/i.test(target.url)) return undefined;
  const opened = openDatabase({ url: target.url, password: target.password ?? null, env: ctx.io.env, baseDir: ctx.io.cwd, lockTimeoutMs: lockTimeoutMs(ctx.args) }).then(
    (db) => ({ db }),
    (error: unknown) => ({ error }),
  );
  return { target, opened };
}

/**
 * Close an early connection the command did not use (it stopped before reaching the database), once it
 * is open. Not awaited: an unreachable host must not hold back the command's own error until the
 * connect timeout (main.ts ends a finished command whose connection is still pending after 3 s).
 */
export function discardEarly(early: EarlyConnection | undefined): void {
  void early?.opened.then((r) => ('db' in r ? r.db.close().catch(() => undefined) : undefined));
}

/** Run `fn` and, if it throws, close the unused early connection first. */
export async function orDiscard<T>(early: EarlyConnection | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    discardEarly(early);
    throw e;
  }
}

/**
 * Start a read on the early connection now (for a read-only command: plan), so the database works
 * while the config loads. The returned function gives its result, or throws its error, when awaited.
 */
export function readEarly<T>(early: EarlyConnection, read: (db: Db) => Promise<T>): () => Promise<T> {
  const result = early.opened.then((r) => ('db' in r ? read(r.db).then((value) => ({ value }), (error: unknown) => ({ error })) : r));
  return async () => {
    const r = await result;
    if ('error' in r) throw r.error;
    return r.value;
  };
}
