/**
 * Which files of a workspace folder Airflow would load: `.py` files not ignored by `.airflowignore`
 * (nested ignore files apply to their subtree), matching the include globs and none of the exclude
 * globs. Safe mode is a content check (`passesSafeMode`) applied when a file is analysed.
 */
import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import { isIgnoredBy, parseIgnoreFile, toPosix, type IgnoreProblem, type IgnoreRule, type IgnoreSyntax } from './airflowIgnore';

export interface DiscoveryOptions {
  root: string;
  include?: string[];
  exclude?: string[];
  ignoreSyntax?: IgnoreSyntax;
}

export interface DiscoveredFile {
  file: string;
  size: number;
  mtimeMs: number;
}

export interface DiscoveryResult {
  files: DiscoveredFile[];
  problems: IgnoreProblem[];
}

/** Folders that never hold DAGs a project deploys (dependencies, VCS data, virtual environments, caches). */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', '.airflow-access-cache']);

export const IGNORE_FILE = '.airflowignore';

/**
 * Airflow's safe-mode heuristic: a file is considered only if its text mentions "airflow" and "dag"
 * (Airflow 3 also accepts "asset"), case-insensitively.
 */
export function passesSafeMode(text: string): boolean {
  const t = text.toLowerCase();
  return t.includes('airflow') && (t.includes('dag') || t.includes('asset'));
}

function globFilter(opts: DiscoveryOptions): (rel: string) => boolean {
  const inc = opts.include?.length ? picomatch(opts.include, { dot: true }) : null;
  const exc = opts.exclude?.length ? picomatch(opts.exclude, { dot: true }) : null;
  return (rel) => (!inc || inc(rel)) && !(exc && exc(rel));
}

function isVenv(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'pyvenv.cfg'));
}

/** `progress`: called with the number of files found so far, after each folder. */
export async function discoverFiles(opts: DiscoveryOptions, token?: { isCancellationRequested: boolean }, progress?: (found: number) => void): Promise<DiscoveryResult> {
  const syntax = opts.ignoreSyntax ?? 'regexp';
  const root = path.resolve(opts.root);
  const keep = globFilter(opts);
  const out: DiscoveryResult = { files: [], problems: [] };
  const queue: { dir: string; rules: IgnoreRule[] }[] = [{ dir: root, rules: [] }];
  while (queue.length && !token?.isCancellationRequested) {
    const { dir, rules: inherited } = queue.shift()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    let rules = inherited;
    if (entries.some((e) => e.name === IGNORE_FILE && e.isFile())) {
      const source = path.join(dir, IGNORE_FILE);
      const text = await fs.promises.readFile(source, 'utf8').catch(() => '');
      rules = [...inherited, ...parseIgnoreFile(text, source, syntax, out.problems)];
    }
    const files: string[] = [];
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || isVenv(abs) || isIgnoredBy(rules, abs, true, root)) continue;
        queue.push({ dir: abs, rules });
      } else if ((e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.py')) {
        if (isIgnoredBy(rules, abs, false, root) || !keep(toPosix(path.relative(root, abs)))) continue;
        files.push(abs);
      }
    }
    const stats = await Promise.all(files.map((f) => fs.promises.stat(f).catch(() => null)));
    files.forEach((f, i) => {
      const st = stats[i];
      if (st?.isFile()) out.files.push({ file: f, size: st.size, mtimeMs: st.mtimeMs });
    });
    progress?.(out.files.length);
  }
  out.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return out;
}

/** Why a single file would not be loaded (ignored, excluded, not Python), or null when it would be. */
export function exclusionReason(file: string, opts: DiscoveryOptions): string | null {
  const root = path.resolve(opts.root);
  const abs = path.resolve(file);
  const rel = toPosix(path.relative(root, abs));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return 'outside the workspace folder';
  if (!abs.endsWith('.py')) return 'not a Python file';
  const parts = rel.split('/');
  if (parts.slice(0, -1).some((p) => SKIP_DIRS.has(p))) return 'inside a dependency, cache or VCS folder';
  const syntax = opts.ignoreSyntax ?? 'regexp';
  let rules: IgnoreRule[] = [];
  let dir = root;
  for (let i = 0; i < parts.length; i++) {
    const ignoreFile = path.join(dir, IGNORE_FILE);
    if (fs.existsSync(ignoreFile)) rules = [...rules, ...parseIgnoreFile(fs.readFileSync(ignoreFile, 'utf8'), ignoreFile, syntax)];
    const here = path.join(dir, parts[i]!);
    const hit = isIgnoredBy(rules, here, i < parts.length - 1, root);
    if (hit) return `ignored by ${toPosix(path.relative(root, hit.source))} line ${hit.line + 1} (${hit.raw})`;
    dir = here;
  }
  return globFilter(opts)(rel) ? null : 'excluded by the include/exclude globs';
}
