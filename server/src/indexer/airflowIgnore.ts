/**
 * `.airflowignore` rules as Airflow's DAG processor applies them.
 * - regexp (Airflow 2 default): each line is a regular expression searched in the path relative to the
 *   DAGs root; the first match ignores the file or directory.
 * - glob (`[core] dag_ignore_file_syntax = glob`, the Airflow 3 default; model/ignoreSyntax.ts): gitignore
 *   style (`_GlobIgnoreRule`, pathspec's GitWildMatchPattern); a pattern with a `/` at the start or in the
 *   middle is relative to the ignore file's folder, otherwise it matches the base name at any depth;
 *   `**` spans folders; `!` re-includes (the last matching rule wins, but a folder once ignored is not
 *   walked, so nothing below it comes back); a trailing `/` matches directories only; `{a,b}` and
 *   extglobs are literal characters. POSIX classes (`[[:alpha:]]`) are reported (ADA092), not guessed.
 * `#` starts a comment anywhere on a line. Rules of a folder's ignore file apply to its whole subtree.
 * A line `/` is a no-op Airflow skips in glob mode (`_GlobIgnoreRule.compile` logs a warning), while in
 * regexp mode it is the regexp `/`, found in every path below a folder: it ignores every file that is
 * not at the top of the DAGs folder (`_RegexpIgnoreRule` in apache/airflow
 * shared/module_loading/src/airflow_shared/module_loading/file_discovery.py; airflow/utils/file.py in 2.x).
 */
import * as path from 'path';
import picomatch from 'picomatch';
import type { Range } from '../model/facts';
import type { IgnoreSyntax } from '../model/ignoreSyntax';

export type { IgnoreSyntax } from '../model/ignoreSyntax';

export interface IgnoreRule {
  syntax: IgnoreSyntax;
  /** Folder holding the .airflowignore (absolute). */
  base: string;
  source: string;
  line: number;
  raw: string;
  test: (rel: string) => boolean;
  anchored: boolean;
  dirOnly: boolean;
  negate: boolean;
}

/** A line of an ignore file whose pattern could not be compiled: it ignores nothing. */
export interface IgnoreProblem {
  file: string;
  line: number;
  /** The pattern on that line (without its comment). */
  range: Range;
  message: string;
}

export function stripComment(line: string): string {
  const i = line.indexOf('#');
  return (i >= 0 ? line.slice(0, i) : line).replace(/\s+$/, '');
}

export function parseIgnoreFile(text: string, source: string, syntax: IgnoreSyntax, problems: IgnoreProblem[] = []): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  const base = path.dirname(source);
  text.split(/\r?\n/).forEach((lineText, i) => {
    const raw = stripComment(lineText);
    if (!raw.trim()) return;
    const start = raw.search(/\S/);
    const range = { start: { line: i, character: start }, end: { line: i, character: raw.length } };
    if (syntax === 'glob' && raw.trim() === '/') {
      problems.push({ file: source, line: i, range, message: 'the glob pattern "/" matches nothing (Airflow skips it as a no-op)' });
      return;
    }
    try {
      rules.push(syntax === 'regexp' ? regexpRule(raw, base, source, i) : globRule(raw, base, source, i));
    } catch (e) {
      problems.push({ file: source, line: i, range, message: `invalid ${syntax} pattern "${raw.trim()}": ${e instanceof Error ? e.message : String(e)}` });
    }
  });
  return rules;
}

function regexpRule(raw: string, base: string, source: string, line: number): IgnoreRule {
  const re = new RegExp(raw);
  return { syntax: 'regexp', base, source, line, raw, test: (rel) => re.test(rel), anchored: true, dirOnly: false, negate: false };
}

function globRule(rawIn: string, base: string, source: string, line: number): IgnoreRule {
  let raw = rawIn.trim();
  const negate = raw.startsWith('!');
  if (negate) raw = raw.slice(1);
  // `\!name`: a name starting with "!" (other escapes stay for the matcher: `\*` is a literal star).
  if (raw.startsWith('\\!')) raw = raw.slice(1);
  if (/\[\[:[a-z]+:\]/.test(raw)) throw new Error('POSIX character classes ([[:alpha:]]) are not read the same way by Airflow (pathspec) and the editor; list the characters instead');
  const dirOnly = raw.endsWith('/');
  const body = raw.replace(/\/+$/, '');
  const anchored = raw.startsWith('/') || body.includes('/');
  const pattern = body.replace(/^\/+/, '');
  // gitwildmatch has no braces, extglobs or leading-"!" negation inside a pattern: keep those characters literal.
  const opts = { dot: true, nobrace: true, noextglob: true, nonegate: true };
  const matchers = [picomatch(pattern, opts), picomatch(`${pattern}/**`, opts)];
  return { syntax: 'glob', base, source, line, raw: rawIn.trim(), test: (rel) => matchers.some((m) => m(rel)), anchored, dirOnly, negate };
}

/**
 * Whether `abs` is ignored by `rules` (in definition order, parents first). `root` is the DAGs root,
 * against which regexp rules are matched.
 */
export function isIgnoredBy(rules: IgnoreRule[], abs: string, isDir: boolean, root: string): IgnoreRule | null {
  let hit: IgnoreRule | null = null;
  for (const r of rules) {
    if (r.syntax === 'regexp') {
      if (r.test(toPosix(path.relative(root, abs)))) return r;
      continue;
    }
    if (r.dirOnly && !isDir) continue;
    const rel = r.anchored ? toPosix(path.relative(r.base, abs)) : path.basename(abs);
    if (rel.startsWith('..')) continue;
    if (r.test(rel)) hit = r.negate ? null : r;
  }
  return hit;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
