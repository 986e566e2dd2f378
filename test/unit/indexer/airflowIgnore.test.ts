/**
 * .airflowignore rules one by one (parseIgnoreFile + isIgnoredBy), without a file system: comments,
 * escapes, anchoring, directory-only patterns, dot files and rules of a sub-folder's ignore file.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ignoreFileLines, isIgnoredBy, parseIgnoreFile, stripComment, type IgnoreProblem } from '../../../server/src/indexer/airflowIgnore';

const ROOT = '/dags';
const glob = (text: string, folder = ROOT) => parseIgnoreFile(text, `${folder}/.airflowignore`, 'glob');
const ignored = (rules: ReturnType<typeof glob>, rel: string, isDir = false) => isIgnoredBy(rules, `${ROOT}/${rel}`, isDir, ROOT)?.raw ?? null;

test('stripComment: # starts a comment anywhere and takes the whitespace before it; other whitespace stays (as Airflow\'s re.sub)', () => {
  assert.equal(stripComment('#all comment'), '');
  assert.equal(stripComment('a.py  # why'), 'a.py');
  assert.equal(stripComment('a.py \t#x # y'), 'a.py');
  assert.equal(stripComment('  b.py \t'), '  b.py \t');
  assert.equal(stripComment('c.py'), 'c.py');
});

test('parseIgnoreFile: blank and comment lines make no rule; line numbers, source and folder are kept', () => {
  const problems: IgnoreProblem[] = [];
  const rules = parseIgnoreFile('# header\n\n   \nfoo.py\n# more\nbar/ # dirs\n', '/dags/team/.airflowignore', 'glob', problems);
  assert.deepEqual(rules.map((r) => [r.raw, r.line, r.base, r.source, r.syntax]), [
    ['foo.py', 3, '/dags/team', '/dags/team/.airflowignore', 'glob'],
    ['bar/', 5, '/dags/team', '/dags/team/.airflowignore', 'glob'],
  ]);
  assert.deepEqual(problems, []);
  const bad: IgnoreProblem[] = [];
  const regexp = parseIgnoreFile('ok\n(unclosed\n', '/dags/.airflowignore', 'regexp', bad);
  assert.deepEqual(regexp.map((r) => [r.raw, r.line, r.syntax]), [['ok', 0, 'regexp']]);
  assert.equal(bad.length, 1);
  assert.equal(bad[0].line, 1);
  assert.match(bad[0].message, /^invalid regexp pattern "\(unclosed": /);
});

test('glob: a name without "/" matches at any depth, files and folders; with "/" it is anchored to the ignore file\'s folder', () => {
  const rules = glob('tmp_*.py\nlib/helpers.py\n/top.py\n');
  assert.equal(ignored(rules, 'tmp_a.py'), 'tmp_*.py');
  assert.equal(ignored(rules, 'deep/er/tmp_b.py'), 'tmp_*.py');
  assert.equal(ignored(rules, 'lib/helpers.py'), 'lib/helpers.py');
  assert.equal(ignored(rules, 'x/lib/helpers.py'), null, 'anchored: not below another folder');
  assert.equal(ignored(rules, 'top.py'), '/top.py');
  assert.equal(ignored(rules, 'sub/top.py'), null);
  assert.equal(ignored(rules, 'keep.py'), null);
});

test('glob: a trailing "/" matches folders only; a matched folder covers what is inside it', () => {
  const rules = glob('build/\n');
  assert.equal(ignored(rules, 'build', true), 'build/');
  assert.equal(ignored(rules, 'build', false), null, 'a file named build is kept');
  assert.equal(ignored(rules, 'a/build', true), 'build/');
  const anchored = glob('/vendor\n');
  assert.equal(ignored(anchored, 'vendor/pkg/x.py'), '/vendor', 'everything under an ignored folder');
});

test('glob: "!" re-includes and the last matching rule wins; "\\\\" escapes a leading "!" or "#"', () => {
  const rules = glob('*.py\n!keep.py\n');
  assert.equal(ignored(rules, 'drop.py'), '*.py');
  assert.equal(ignored(rules, 'keep.py'), null);
  assert.equal(ignored(glob('!keep.py\n*.py\n'), 'keep.py'), '*.py', 'order matters');
  const escaped = glob('\\!bang.py\n');
  assert.equal(ignored(escaped, '!bang.py'), '\\!bang.py');
  assert.equal(ignored(escaped, 'bang.py'), null);
});

test('glob: dot files match like any other; anchored rules of a sub-folder apply only below it', () => {
  assert.equal(ignored(glob('*.py\n'), '.hidden.py'), '*.py');
  assert.equal(ignored(glob('.*\n'), '.scratch', true), '.*');
  const sub = glob('/local.py\nx.py\n', '/dags/team');
  assert.equal(ignored(sub, 'team/local.py'), '/local.py');
  assert.equal(ignored(sub, 'local.py'), null, 'outside the folder of the ignore file');
  // (Which folders' rules apply to a path is the caller's choice: discovery passes only those on its way.)
  assert.equal(ignored(sub, 'team/deep/x.py'), 'x.py');
});

test('regexp: searched (not anchored) in the path relative to the DAGs root; the first match wins', () => {
  const rules = parseIgnoreFile('old\nold_v2\n', '/dags/.airflowignore', 'regexp');
  assert.equal(ignored(rules, 'very_old_dag.py'), 'old');
  assert.equal(ignored(rules, 'old_v2.py'), 'old');
  assert.equal(ignored(rules, 'new.py'), null);
  assert.equal(isIgnoredBy(rules, '/dags/x/older', true, ROOT)?.raw, 'old', 'folders too');
});

test('a line "/": in regexp mode the regexp "/" ignores every file below a folder (not top-level files); in glob mode a no-op reported as a problem', () => {
  const regexp = parseIgnoreFile('/\n', `${ROOT}/.airflowignore`, 'regexp');
  assert.deepEqual(regexp.map((r) => r.raw), ['/']);
  assert.equal(ignored(regexp, 'top.py'), null);
  assert.equal(ignored(regexp, 'team', true), null, 'a top-level folder is walked');
  assert.equal(ignored(regexp, 'team/sales.py'), '/');
  assert.equal(ignored(regexp, 'team/inner', true), '/');
  const problems: IgnoreProblem[] = [];
  const rules = parseIgnoreFile('a.py\n  /  # everything?\n', `${ROOT}/.airflowignore`, 'glob', problems);
  assert.deepEqual(rules.map((r) => r.raw), ['a.py']);
  assert.deepEqual(problems.map((p) => [p.line, p.range.start.character, p.range.end.character, p.message]), [[1, 2, 3, 'the glob pattern "/" matches nothing (Airflow skips it as a no-op)']]);
  assert.equal(ignored(rules, 'team/sales.py'), null);
});

// Airflow 3's glob rules are pathspec GitWildMatchPattern (`_GlobIgnoreRule`, shared/module_loading
// file_discovery.py): no braces or extglobs, "**" spans folders, "\\" escapes.
test('glob: "**" spans any number of folders, anchored to the ignore file\'s folder', () => {
  const rules = glob('**/fixtures\nreports/**/old_*.py\n');
  assert.equal(ignored(rules, 'fixtures', true), '**/fixtures');
  assert.equal(ignored(rules, 'a/b/fixtures', true), '**/fixtures');
  assert.equal(ignored(rules, 'reports/old_x.py'), 'reports/**/old_*.py', '"**/" also matches no folder');
  assert.equal(ignored(rules, 'reports/2024/q1/old_x.py'), 'reports/**/old_*.py');
  assert.equal(ignored(rules, 'x/reports/old_x.py'), null, 'anchored');
  assert.equal(ignored(rules, 'reports/new_x.py'), null);
});

test('glob: braces and extglob characters are literal, "\\*" is a literal star (as in gitwildmatch)', () => {
  assert.equal(ignored(glob('{a,b}.py\n'), 'a.py'), null);
  assert.equal(ignored(glob('{a,b}.py\n'), '{a,b}.py'), '{a,b}.py');
  assert.equal(ignored(glob('@(x).py\n'), 'x.py'), null);
  assert.equal(ignored(glob('\\*.py\n'), 'dag.py'), null);
  assert.equal(ignored(glob('\\*.py\n'), '*.py'), '\\*.py');
});

test('glob: a POSIX class, read differently by pathspec, is reported (ADA092) and ignores nothing', () => {
  const problems: IgnoreProblem[] = [];
  const rules = parseIgnoreFile('[[:digit:]]*.py\nok.py\n', `${ROOT}/.airflowignore`, 'glob', problems);
  assert.deepEqual(rules.map((r) => r.raw), ['ok.py']);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.message, /POSIX character classes/);
});

// Airflow opens .airflowignore in text mode (universal newlines) and removes only `\s*#.*` from each
// line (apache/airflow airflow/utils/file.py `_find_path_from_directory`; 3.x file_discovery.py).
const regexpOf = (text: string, problems: IgnoreProblem[] = []) => parseIgnoreFile(text, `${ROOT}/.airflowignore`, 'regexp', problems);

test('CRLF and lone CR end lines like LF, under both syntaxes: no carriage return is left in a pattern, nothing is reported', () => {
  assert.deepEqual(ignoreFileLines('a\r\nb\rc\nd'), ['a', 'b', 'c', 'd']);
  for (const syntax of ['regexp', 'glob'] as const) {
    const problems: IgnoreProblem[] = [];
    const rules = parseIgnoreFile('old_.*\r\nscratch # tmp\r\n\r\n', `${ROOT}/.airflowignore`, syntax, problems);
    assert.deepEqual(rules.map((r) => [r.raw, r.line]), [['old_.*', 0], ['scratch', 1]], syntax);
    assert.deepEqual(problems, [], syntax);
    assert.equal(ignored(rules, syntax === 'regexp' ? 'scratch/x.py' : 'scratch', syntax === 'glob'), 'scratch', syntax);
  }
  const mac = regexpOf('one\rtwo');
  assert.deepEqual(mac.map((r) => [r.raw, r.line]), [['one', 0], ['two', 1]], 'a lone CR is a line break in Python text mode');
});

test('regexp: trailing whitespace without a comment stays in the pattern (Airflow does not strip), and ADA092 points at it', () => {
  const problems: IgnoreProblem[] = [];
  const rules = regexpOf('legacy  \nscratch   # removed with the comment\n', problems);
  assert.deepEqual(rules.map((r) => r.raw), ['legacy  ', 'scratch']);
  assert.equal(ignored(rules, 'legacy/dag.py'), null, 'Airflow loads it: "legacy  " is not in the path');
  assert.equal(ignored(rules, 'legacy  copy.py'), 'legacy  ', 'only a path holding the spaces');
  assert.equal(ignored(rules, 'scratch/x.py'), 'scratch');
  assert.deepEqual(problems.map((p) => [p.kind, p.line, p.range.start.character, p.range.end.character]), [['whitespace', 0, 0, 8]]);
  assert.match(problems[0]!.message, /^the regexp "legacy  " ends with whitespace: Airflow removes whitespace only before a "#" comment/);
});

test('regexp: leading whitespace is kept too; a line of blanks is a regexp that ignores every path holding them', () => {
  const problems: IgnoreProblem[] = [];
  const rules = regexpOf('  tmp\n \nok\n', problems);
  assert.deepEqual(rules.map((r) => r.raw), ['  tmp', ' ', 'ok']);
  assert.equal(ignored(rules, 'tmp.py'), null);
  assert.equal(ignored(rules, 'my report.py'), ' ', 'Airflow ignores this file');
  assert.deepEqual(problems.map((p) => [p.kind, p.line]), [['whitespace', 0], ['whitespace', 1]]);
  assert.match(problems[0]!.message, /"  tmp" starts with whitespace/);
  assert.match(problems[1]!.message, /only whitespace, which Airflow does not skip: it compiles it as the regexp " "/);
});

test('glob: pathspec strips the line, so trailing whitespace changes nothing and is not reported; an escaped trailing space stays', () => {
  const problems: IgnoreProblem[] = [];
  const rules = parseIgnoreFile('legacy  \n  *.tmp.py\t\n   \nname\\ \n', `${ROOT}/.airflowignore`, 'glob', problems);
  assert.deepEqual(rules.map((r) => r.raw), ['legacy', '*.tmp.py', 'name\\ ']);
  assert.equal(ignored(rules, 'legacy', true), 'legacy');
  assert.equal(ignored(rules, 'a/b.tmp.py'), '*.tmp.py');
  assert.equal(ignored(rules, 'name '), 'name\\ ');
  assert.equal(ignored(rules, 'name'), null);
  assert.deepEqual(problems, []);
});

test('an invalid regexp with whitespace is reported once, as invalid', () => {
  const problems: IgnoreProblem[] = [];
  assert.deepEqual(regexpOf('(open  \n', problems), []);
  assert.deepEqual(problems.map((p) => p.kind), ['invalid']);
});

test('a byte order mark stays in the first pattern (Python keeps it, it is not whitespace there): reported, and it matches nothing', () => {
  for (const syntax of ['regexp', 'glob'] as const) {
    const problems: IgnoreProblem[] = [];
    const rules = parseIgnoreFile('\ufeffscratch\nold\n', `${ROOT}/.airflowignore`, syntax, problems);
    assert.deepEqual(rules.map((r) => r.raw), ['\ufeffscratch', 'old'], syntax);
    assert.equal(ignored(rules, 'scratch', true), null, syntax);
    assert.deepEqual(problems.map((p) => [p.kind, p.line]), [['bom', 0]], syntax);
    assert.match(problems[0]!.message, /byte order mark/);
    const comment: IgnoreProblem[] = [];
    parseIgnoreFile('\ufeff# header\nold\n', `${ROOT}/.airflowignore`, syntax, comment);
    assert.deepEqual(comment, [], `${syntax}: nothing meant on that line`);
  }
});

test('whitespace is Python\'s: U+0085 before a comment goes, and counts as trailing whitespace of a regexp', () => {
  assert.equal(stripComment('a.py\u0085# x'), 'a.py');
  const problems: IgnoreProblem[] = [];
  assert.deepEqual(regexpOf('tmp\u0085\n', problems).map((r) => r.raw), ['tmp\u0085']);
  assert.deepEqual(problems.map((p) => p.kind), ['whitespace']);
});
