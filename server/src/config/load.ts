/**
 * Entry points for reading the role-mapping config. YAML files may be v1 or the seed's
 * `role_mappings` list; a `.py` file is read as an MWAA-style sync DAG (needs a tree-sitter parser).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import type { ConfigLoadResult, ConfigProblem } from '../model/config';
import type { Range } from '../model/facts';
import { createPythonParser } from '../parsing/treeSitter';
import { loadSeedPythonText } from './seedPython';
import { emptyRange } from './textPositions';
import { isSeedShape, validateSeed, validateV1 } from './validate';
import { readYaml } from './yamlSource';

export const CONFIG_FILE_NAMES = ['airflow-access.yaml', 'airflow-access.yml'] as const;

export interface LoadOptions {
  /** Needed only for `.py` files (the seed sync DAG). */
  pythonParser?: Parser;
}

export function isPythonConfig(file: string): boolean {
  return file.toLowerCase().endsWith('.py');
}

/** Validate config text; never throws: every problem is a located ConfigProblem. */
export function loadConfigText(file: string, text: string, opts: LoadOptions = {}): ConfigLoadResult {
  try {
    if (isPythonConfig(file)) {
      if (!opts.pythonParser) {
        return { config: null, problems: [{ code: 'needs-parser', severity: 'error', range: emptyRange, message: `Cannot read role_mappings from ${path.basename(file)}: the Python parser (tree-sitter wasm) could not be loaded.` }] };
      }
      return withNameChecks(loadSeedPythonText(file, text, opts.pythonParser));
    }
    const src = readYaml(text);
    if (!src.root) {
      const problems = src.problems.length ? src.problems : [{ code: 'empty-config', severity: 'warning' as const, range: src.positions.firstLine(), message: 'The config file is empty.' }];
      return { config: null, problems };
    }
    const fallback = src.positions.firstLine();
    const result = isSeedShape(src.root) ? validateSeed(file, 'seed-yaml', src.root, fallback) : validateV1(file, src.root, fallback);
    return withNameChecks({ config: result.config, problems: [...src.problems, ...result.problems] });
  } catch (e) {
    return { config: null, problems: [{ code: 'internal-error', severity: 'error', range: emptyRange, message: `Could not read the config: ${String(e)}` }] };
  }
}

/**
 * Names the database must store: a NUL character fits in no PostgreSQL text column (the whole sync
 * would fail on it), so a role name, tag or base_role with one is an error at its own position.
 */
function withNameChecks(result: ConfigLoadResult): ConfigLoadResult {
  if (!result.config) return result;
  const problems: ConfigProblem[] = [];
  const nul = (what: string, value: string, range: Range) => {
    if (value.includes('\u0000'))
      problems.push({ code: 'nul-in-name', severity: 'error', range, message: `${what} ${JSON.stringify(value)} contains a NUL character (\\u0000), which PostgreSQL cannot store: remove it.` });
  };
  for (const role of result.config.roles) {
    nul('Role name', role.name, role.nameRange);
    for (const t of role.tags) nul('Tag', t.value, t.range);
    if (role.baseRole) nul('base_role', role.baseRole, role.range);
  }
  return problems.length ? { config: result.config, problems: [...result.problems, ...problems] } : result;
}

function readOrProblem(file: string): { text: string } | ConfigLoadResult {
  try {
    return { text: fs.readFileSync(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'config-not-found' : 'config-unreadable';
    return { config: null, problems: [{ code, severity: 'error', range: emptyRange, message: `Cannot read ${file}: ${(e as Error).message}` }] };
  }
}

export function loadConfigFile(file: string, opts: LoadOptions = {}): ConfigLoadResult {
  const r = readOrProblem(file);
  return 'text' in r ? loadConfigText(file, r.text, opts) : r;
}

/** Like loadConfigFile, creating the Python parser when the config is a `.py` file. */
export async function loadConfigFileAsync(file: string, opts: LoadOptions & { wasmDir?: string } = {}): Promise<ConfigLoadResult> {
  const r = readOrProblem(file);
  if (!('text' in r)) return r;
  let parser = opts.pythonParser;
  if (!parser && isPythonConfig(file)) parser = await createPythonParser(opts.wasmDir);
  return loadConfigText(file, r.text, { pythonParser: parser });
}

/**
 * The config file of a workspace: `configured` (absolute, or relative to root) when given, else
 * airflow-access.yaml / .yml at the root. Null when none exists.
 */
export function findConfigFile(root: string, configured?: string | null): string | null {
  const exists = (p: string) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (configured && configured.trim()) {
    const p = path.resolve(root, configured.trim());
    return exists(p) ? p : null;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const p = path.join(root, name);
    if (exists(p)) return p;
  }
  return null;
}
