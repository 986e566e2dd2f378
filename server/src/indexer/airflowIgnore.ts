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
 * Lines as Airflow reads them (`_find_path_from_directory`, same in 2.x airflow/utils/file.py and 3.x
 * file_discovery.py): the file is opened in Python's text mode, whose universal newlines turn `\r\n` and a
 * lone `\r` into `\n`, so a CRLF file keeps no `\r`; each line loses `re.sub(r"\s*#.*", "", line)` (a
 * comment and the whitespace before it) and nothing else; an empty result is skipped. A regexp line
 * therefore keeps its leading and trailing whitespace (and a line of blanks is a regexp): the index
 * compiles it the same way, and ADA092 points at it. A glob line is then stripped by pathspec
 * (`GitWildMatchPattern.pattern_to_regex`: `strip()`, or `lstrip()` when it ends with an escaped space).
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

/**
 * A line of an ignore file Airflow does not read as written: `invalid` when its pattern could not be
 * compiled (it ignores nothing), `whitespace` when a regexp keeps blanks around it (it is compiled,
 * blanks included, and rarely matches what was meant), `bom` when the file's byte order mark is part of
 * its first pattern (compiled with it: it matches no path).
 */
export interface IgnoreProblem {
  file: string;
  line: number;
  /** The pattern on that line (without its comment). */
  range: Range;
  message: string;
  kind: 'invalid' | 'whitespace' | 'bom';
}

/**
 * Python's whitespace (`str.isspace`, `\s` of `re` on str): JavaScript's `\s` and `trim()` also take
 * U+FEFF (a byte order mark, which Python keeps) and miss U+001C..U+001F and U+0085.
 */
const PY_WS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const COMMENT = new RegExp(`[${PY_WS}]*#[\\s\\S]*`);
const LEADING_WS = new RegExp(`^[${PY_WS}]+`);
const TRAILING_WS = new RegExp(`[${PY_WS}]+$`);
const pyLstrip = (s: string) => s.replace(LEADING_WS, '');
const pyRstrip = (s: string) => s.replace(TRAILING_WS, '');
const pyStrip = (s: string) => pyRstrip(pyLstrip(s));

/** What Airflow keeps of a line: `re.sub(r"\s*#.*", "", line)`, a comment and the whitespace before it go. */
export function stripComment(line: string): string {
  return line.replace(COMMENT, '');
}

/** Python's universal newlines (text-mode `open`): `\r\n`, `\r` and `\n` all end a line. */
export function ignoreFileLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function parseIgnoreFile(text: string, source: string, syntax: IgnoreSyntax, problems: IgnoreProblem[] = []): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  const base = path.dirname(source);
  ignoreFileLines(text).forEach((lineText, i) => {
    const raw = stripComment(lineText);
    // Airflow skips only an empty line; pathspec then drops a glob line of blanks.
    if (!raw || (syntax === 'glob' && !pyStrip(raw))) return;
    // A regexp is the whole remainder, blanks included; a glob is what pathspec keeps after stripping.
    const start = syntax === 'regexp' ? 0 : raw.length - pyLstrip(raw).length;
    const end = syntax === 'regexp' ? raw.length : pyRstrip(raw).length;
    const range = { start: { line: i, character: start }, end: { line: i, character: Math.max(end, start) } };
    const problem = (kind: IgnoreProblem['kind'], message: string) => problems.push({ file: source, line: i, range, message, kind });
    if (syntax === 'glob' && pyStrip(raw) === '/') {
      problem('invalid', 'the glob pattern "/" matches nothing (Airflow skips it as a no-op)');
      return;
    }
    try {
      rules.push(syntax === 'regexp' ? regexpRule(raw, base, source, i) : globRule(raw, base, source, i));
    } catch (e) {
      problem('invalid', `invalid ${syntax} pattern "${pyStrip(raw)}": ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    // A BOM before a comment or nothing is a pattern too, but it stands for nothing the author wrote.
    if (i === 0 && raw.startsWith('\ufeff') && pyStrip(raw.slice(1))) {
      problem('bom', 'the file starts with a byte order mark, which Airflow (Python, UTF-8) keeps at the start of this pattern, so the line ignores nothing. Save the file as UTF-8 without BOM');
    } else if (syntax === 'regexp' && raw !== pyStrip(raw)) problem('whitespace', blanksMessage(raw));
  });
  return rules;
}

/** Why a regexp line with blanks around it does not ignore what it seems to. */
function blanksMessage(raw: string): string {
  if (!pyStrip(raw)) {
    return `this line holds only whitespace, which Airflow does not skip: it compiles it as the regexp ${JSON.stringify(raw)}, so every file or folder whose path contains it is ignored. Empty the line`;
  }
  const where = [LEADING_WS.test(raw) ? 'starts' : '', TRAILING_WS.test(raw) ? 'ends' : ''].filter(Boolean).join(' and ');
  return `the regexp ${JSON.stringify(raw)} ${where} with whitespace: Airflow removes whitespace only before a "#" comment, so it stays in the pattern and the line ignores only paths where "${pyStrip(raw)}" comes with that whitespace (usually none). Delete the whitespace around the pattern`;
}

function regexpRule(raw: string, base: string, source: string, line: number): IgnoreRule {
  const re = new RegExp(raw);
  return { syntax: 'regexp', base, source, line, raw, test: (rel) => re.test(rel), anchored: true, dirOnly: false, negate: false };
}

function globRule(rawIn: string, base: string, source: string, line: number): IgnoreRule {
  // pathspec keeps an escaped trailing space (`name\\ `): only the left side is stripped then.
  const kept = rawIn.endsWith('\\ ') ? pyLstrip(rawIn) : pyStrip(rawIn);
  let raw = kept;
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
  return { syntax: 'glob', base, source, line, raw: kept, test: (rel) => matchers.some((m) => m(rel)), anchored, dirOnly, negate };
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
