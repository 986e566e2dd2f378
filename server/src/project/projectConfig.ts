/**
 * How a Project finds and reads its role-mapping config: the named file, else airflow-access.yaml, else
 * a workspace DAG file defining `role_mappings = [...]` (the MWAA sync DAG); a text with errors keeps
 * the last version without any (typically mid-typing).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import type { AccessConfig, ConfigProblem } from '../model/config';
import type { Settings } from '../settings';
import { IGNORE_SYNTAX_ENV, ignoreSyntaxFor, type IgnoreSyntax, type IgnoreSyntaxChoice } from '../model/ignoreSyntax';
import { CONFIG_FILE_NAMES, findConfigFile, isPythonConfig, loadConfigText } from '../config';
import { discoverSeedDag, type SeedDagDiscovery } from './discoverSeedDag';
import { createPythonParser } from '../parsing/treeSitter';

/** The loaded config and what goes with it; replaced as a whole on every load. */
export interface ConfigState {
  file: string | null;
  text: string | null;
  config: AccessConfig | null;
  problems: ConfigProblem[];
  /** The text has errors and `config` is its last version without any. */
  stale: boolean;
  /** Why a DAG file's role_mappings is the config (there is no airflow-access.yaml). */
  notice: string | null;
}

export interface PreparedConfig {
  parser: Parser | null;
  discovered: SeedDagDiscovery | null;
}

export function usesDefaultConfigPath(settings: Settings): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(settings.configPath.trim());
}

/**
 * Before a Project loads its config: without airflow-access.yaml (and no other config named), look for
 * a DAG file defining `role_mappings = [...]`; load the Python parser when the config is a `.py` file.
 */
export async function prepareConfig(root: string, settings: Settings, wasmDir?: string, env?: NodeJS.ProcessEnv): Promise<PreparedConfig> {
  let file = findConfigFile(root, settings.configPath);
  let discovered: SeedDagDiscovery | null = null;
  if (!file && usesDefaultConfigPath(settings)) {
    discovered = await discoverSeedDag({ root, include: settings.dags.include, exclude: settings.dags.exclude, ignoreSyntax: seedIgnoreSyntax(settings, env) });
    file = discovered.file;
  }
  const parser = file && isPythonConfig(file) ? await createPythonParser(wasmDir).catch(() => null) : null;
  return { parser, discovered };
}

/** Before any config is read (looking for the sync DAG): only the settings' Airflow version can decide. */
export function seedIgnoreSyntax(settings: Settings, env: NodeJS.ProcessEnv = process.env): IgnoreSyntax {
  return ignoreSyntaxFor(null, env[IGNORE_SYNTAX_ENV], settings.airflowVersion).syntax;
}

export function discoveryNotice(root: string, d: SeedDagDiscovery): string {
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const others = d.candidates.length > 1 ? ` (${d.candidates.length - 1} other file(s) also define role_mappings: ${d.candidates.slice(1, 4).map(rel).join(', ')})` : '';
  return `No airflow-access.yaml: using the role_mappings list of ${rel(d.file!)}${others}.`;
}

/**
 * Read `file` (or use `text`, an editor's unsaved version) into a ConfigState. `lastGood` is the last
 * config loaded without errors; the second value is the new one.
 */
export function readConfig(
  file: string | null,
  text: string | undefined,
  notice: string | null,
  pythonParser: Parser | null,
  lastGood: AccessConfig | null,
): [ConfigState, AccessConfig | null] {
  let source = text;
  if (file && source === undefined) {
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch {
      source = undefined;
    }
  }
  if (!file || source === undefined) return [{ file, text: null, config: null, problems: [], stale: false, notice }, lastGood];
  const result = loadConfigText(file, source, { pythonParser: pythonParser ?? undefined });
  const broken = result.problems.some((p) => p.severity === 'error');
  const keepLastGood = broken && lastGood?.file === file;
  const state = { file, text: source, config: keepLastGood ? lastGood : result.config, problems: result.problems, stale: keepLastGood, notice };
  return [state, broken ? lastGood : result.config];
}

export interface DiscoveryGlobs {
  include: string[];
  exclude: string[];
  safeMode: boolean;
  ignoreSyntax: IgnoreSyntax;
}

/**
 * Which files are DAG files: the settings' globs, the config's `dags:` block (its include replaces
 * the default glob, its exclude adds up) and nested workspace folders (they have their own project);
 * `.airflowignore` files are read in the syntax `ignoreSyntaxFor` picks (model/ignoreSyntax.ts).
 */
export function discoveryGlobs(root: string, settings: Settings, config: AccessConfig | null, nestedRoots: string[], syntax: IgnoreSyntaxChoice): DiscoveryGlobs {
  const fromConfig = config?.dags;
  const configInclude = fromConfig?.include.length && !(fromConfig.include.length === 1 && fromConfig.include[0] === '**/*.py') ? fromConfig.include : null;
  const nested = nestedRoots
    .map((r) => path.relative(root, r).split(path.sep).join('/'))
    .filter((rel) => rel && !rel.startsWith('..') && !path.isAbsolute(rel))
    .map((rel) => `${rel}/**`);
  return {
    include: configInclude ?? settings.dags.include,
    exclude: [...settings.dags.exclude, ...(fromConfig?.exclude ?? []), ...nested],
    safeMode: settings.safeMode,
    ignoreSyntax: syntax.syntax,
  };
}
