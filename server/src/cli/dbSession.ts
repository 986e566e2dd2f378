/**
 * Shared steps of the database commands: open the database named on the command line, load the
 * config (and, for --tag-source workspace, index the DAG files), read the state, and always close.
 */
import { UsageError, flag } from './args';
import type { CommandContext } from './command';
import { INLINE_PASSWORD_WARNING, lockTimeoutMs, resolveDb } from './dbUrl';
import type { EarlyConnection } from './earlyConnection';
import { openWorkspace, refuseInvalidConfig } from './workspace';
import { openDatabase } from '../db/connect';
import { readDbState, type DbState } from '../db/state';
import type { Db } from '../db/types';
import type { AccessConfig } from '../model/config';
import type { Project } from '../project/project';
import { workspaceDags } from '../project/workspaceDags';
import type { WorkspaceDag } from '../sync/types';
import { nonFabSyncRefusal } from '../project/syncGuard';

export { FORCE_FAB_OPTION } from './dbUrl';

/**
 * Open the database (or take the connection `early` opened: earlyConnection.ts), run `fn`, always
 * close. `forWrite`: the command writes (SQLite starts its lock helper while the file opens).
 */
export async function withDatabase<T>(ctx: CommandContext, fn: (db: Db, display: string) => Promise<T>, early?: EarlyConnection, opts: { forWrite?: boolean } = {}): Promise<T> {
  const target = early?.target ?? resolveDb(ctx.args, ctx.io.env, true, ctx.io.cwd)!;
  if (target.inlinePassword) ctx.warn(INLINE_PASSWORD_WARNING);
  ctx.progress.step(`Connecting to ${target.display}`);
  const opened = early ? await early.opened : undefined;
  if (opened && 'error' in opened) throw opened.error;
  const db =
    opened?.db ??
    (await openDatabase({
      url: target.url,
      password: target.password ?? null,
      env: ctx.io.env,
      baseDir: ctx.io.cwd,
      lockTimeoutMs: lockTimeoutMs(ctx.args),
      onNotice: (m) => ctx.warn(m),
      forWrite: opts.forWrite,
    }));
  try {
    return await fn(db, target.display);
  } finally {
    ctx.progress.done();
    await db.close().catch(() => undefined);
  }
}

export async function readState(ctx: CommandContext, db: Db): Promise<DbState> {
  ctx.progress.step('Reading roles, permissions and deployed DAGs');
  return readDbState(db);
}

export interface LoadedConfig {
  project: Project;
  config: AccessConfig;
  workspaceDags: WorkspaceDag[] | undefined;
}

/** The config (required and valid) and, when tags come from the workspace or it is cheap, the workspace's DAGs. */
export async function loadConfig(ctx: CommandContext, opts: { indexDags: boolean }): Promise<LoadedConfig> {
  const project = await openWorkspace(ctx, { requireConfig: true, scan: opts.indexDags });
  await refuseInvalidConfig(ctx, project, 'nothing was done');
  // refuseInvalidConfig returns only when the config file was found and parsed without errors.
  const config = project.config!;
  const refusal = flag(ctx.args, 'force-fab') ? null : nonFabSyncRefusal(config, project.configText, ctx.rel(project.configPath()));
  if (refusal) {
    await project.dispose();
    throw new Error(refusal);
  }
  return { project, config, workspaceDags: opts.indexDags ? workspaceDags(project) : undefined };
}
