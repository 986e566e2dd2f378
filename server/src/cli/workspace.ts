/**
 * Opening the workspace for a command: the same Project the language server builds per folder,
 * with settings derived from the command line (--config, --root) instead of VS Code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './args';
import type { CommandContext } from './command';
import type { DbTarget } from './dbUrl';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { Project } from '../project/project';

export interface OpenWorkspaceOptions {
  /** Fail with a usage error when no config file exists (commands that need the role mapping). */
  requireConfig?: boolean;
  /** Index the DAG files (default true); commands that only need the config skip it. */
  scan?: boolean;
  /** Adjust the settings before opening (e.g. `check --severity`). */
  adjust?: (settings: Settings) => void;
  /** Connect the project's database (explain --db): its grants then show up as provenance. */
  db?: DbTarget;
}

export function cliSettings(ctx: CommandContext): Settings {
  const settings: Settings = structuredClone(DEFAULT_SETTINGS);
  const config = ctx.configOption;
  if (config !== undefined) {
    if (!fs.existsSync(config)) throw new UsageError(`--config ${config}: no such file`);
    settings.configPath = config;
  }
  return settings;
}

export async function openWorkspace(ctx: CommandContext, opts: OpenWorkspaceOptions = {}): Promise<Project> {
  const settings = cliSettings(ctx);
  opts.adjust?.(settings);
  if (opts.db) settings.database.url = opts.db.url;
  const scan = opts.scan !== false;
  if (scan) ctx.progress.step(`Indexing ${ctx.root}`);
  // The wasm files sit beside the bundle (dist/); from compiled sources the loader finds node_modules.
  const project = await Project.open(ctx.root, settings, { wasmDir: __dirname, scan, connectDb: opts.db !== undefined, password: opts.db?.password ?? null, env: ctx.io.env });
  ctx.progress.done();
  if (project.configNotice) ctx.note(project.configNotice);
  if (opts.db && project.db.status === 'error') {
    const message = project.db.message ?? 'cannot connect to the database';
    await project.dispose();
    throw new Error(message);
  }
  if (opts.requireConfig && !project.configFile) {
    await project.dispose();
    throw new UsageError(`no role-mapping config found (looked for ${path.join(ctx.root, settings.configPath)}); pass --config FILE`);
  }
  return project;
}

/**
 * Refuse a config with any error (disposing the project): acting on, or showing, the valid part would silently
 * drop a role. Each error is printed located (file:line:col) on stderr. Without a config file there is nothing to check.
 */
export async function refuseInvalidConfig(ctx: CommandContext, project: Project, consequence: string): Promise<void> {
  if (!project.configFile) return;
  const errors = project.configErrors();
  if (project.config && errors.length === 0) return;
  const file = ctx.rel(project.configPath());
  for (const p of (errors.length ? errors : project.configProblems).slice(0, 10)) {
    ctx.note(`${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity} ${p.message}`);
  }
  await project.dispose();
  throw new Error(`the config ${file} has ${errors.length || 'unreadable'} error(s), ${consequence}; run "airflow-access check" for every problem`);
}
