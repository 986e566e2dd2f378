/**
 * Shared steps of the database commands: open the database named on the command line, load the
 * config (and, for --tag-source workspace, index the DAG files), read the state, and always close.
 */
import { UsageError, str } from './args';
import type { CommandContext } from './command';
import { resolveDb } from './dbUrl';
import { openWorkspace } from './workspace';
import { openDatabase } from '../db/connect';
import { readDbState, type DbState } from '../db/state';
import type { Db } from '../db/types';
import type { AccessConfig } from '../model/config';
import type { Project } from '../project/project';
import type { TagSource, WorkspaceDag } from '../sync/types';

export async function withDatabase<T>(ctx: CommandContext, fn: (db: Db, display: string) => Promise<T>): Promise<T> {
  const target = resolveDb(ctx.args, ctx.io.env)!;
  ctx.progress.step(`Connecting to ${target.display}`);
  const db = await openDatabase({ url: target.url, password: target.password ?? null, env: ctx.io.env, baseDir: ctx.io.cwd });
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

export function tagSource(ctx: CommandContext): TagSource {
  return (str(ctx.args, 'tag-source') ?? 'db') as TagSource;
}

export interface LoadedConfig {
  project: Project;
  config: AccessConfig;
  workspaceDags: WorkspaceDag[] | undefined;
}

/** The config (required and valid) and, when tags come from the workspace or it is cheap, the workspace's DAGs. */
export async function loadConfig(ctx: CommandContext, opts: { indexDags: boolean }): Promise<LoadedConfig> {
  const project = await openWorkspace(ctx, { requireConfig: true, scan: opts.indexDags });
  const config = project.config;
  if (!config) {
    const problems = project.configProblems.filter((p) => p.severity === 'error');
    const first = problems[0] ?? project.configProblems[0];
    await project.dispose();
    const where = first ? ` (first: ${ctx.rel(project.configPath())}:${first.range.start.line + 1}: ${first.message})` : '';
    throw new Error(`the config ${ctx.rel(project.configPath())} is invalid${where}; run "airflow-access check" for every problem`);
  }
  return { project, config, workspaceDags: opts.indexDags ? workspaceDags(project) : undefined };
}

export function workspaceDags(project: Project): WorkspaceDag[] {
  const out: WorkspaceDag[] = [];
  for (const { file, dag } of project.allDags()) {
    if (dag.dagId.kind !== 'static') continue;
    out.push({
      dagId: dag.dagId.value,
      tags: dag.tags?.items.map((t) => t.value) ?? [],
      file,
      hasAccessControl: dag.accessControl !== null && dag.accessControl.kind !== 'none',
    });
  }
  return out;
}

export function requireYes(ctx: CommandContext, message: string): void {
  if (ctx.args.options.get('yes') !== true) throw new UsageError(message);
}
