/** Every config problem is reported at its exact YAML range (0-based line / UTF-16 character). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../server/src/config/load';

/** Text with one `⟦...⟧` marker: returns the text without markers and the marked range. */
function marked(src: string) {
  const lines = src.split('\n');
  let start: { line: number; character: number } | null = null;
  let end: { line: number; character: number } | null = null;
  const out = lines.map((l, i) => {
    const a = l.indexOf('⟦');
    if (a >= 0) { start = { line: i, character: a }; l = l.slice(0, a) + l.slice(a + 1); }
    const b = l.indexOf('⟧');
    if (b >= 0) { end = { line: i, character: b }; l = l.slice(0, b) + l.slice(b + 1); }
    return l;
  });
  return { text: out.join('\n'), range: { start: start!, end: end! } };
}

const cases: [string, string, string, RegExp][] = [
  ['unknown top-level key with did-you-mean', 'version: 1\n⟦rolez⟧:\n  a: {tags: [x]}\n', 'unknown-key', /Unknown key 'rolez'.*Did you mean 'roles'/],
  ['unknown role key with did-you-mean', 'roles:\n  a:\n    tags: [x]\n    ⟦dag_permission⟧: [can_read]\n', 'unknown-key', /Did you mean 'dag_permissions'/],
  ['unknown airflow key', 'airflow:\n  ⟦multiteam⟧: true\n', 'unknown-key', /Did you mean 'multi_team'/],
  ['wrong type: tags is a string', 'roles:\n  a:\n    tags: ⟦analytics_edit⟧\n', 'wrong-type', /Expected a list at 'roles.a.tags', got the string 'analytics_edit'/],
  ['wrong type: cleanup', 'roles:\n  a:\n    cleanup: ⟦"yes"⟧\n', 'wrong-type', /Expected true or false/],
  ['bad DAG permission name', 'roles:\n  a:\n    dag_permissions: [can_read, ⟦can_eddit⟧]\n', 'bad-permission', /'can_eddit' is not a DAG permission.*Did you mean 'can_edit'/],
  ['can_edit is not a DAG Run permission', 'roles:\n  a:\n    dag_run_permissions:\n      - ⟦can_edit⟧\n', 'bad-permission', /not a DAG Run permission. Valid: can_read, can_create, can_delete, menu_access/],
  ['bad regexp', 'permission_tag_pattern: ⟦"_(read|edit$"⟧\n', 'bad-regexp', /Invalid regular expression/],
  ['bad auth manager', 'airflow:\n  auth_manager: ⟦fabb⟧\n', 'invalid-value', /Did you mean 'fab'/],
  ['role name longer than 64', `roles:\n  ⟦${'r'.repeat(65)}⟧: {tags: [x]}\n`, 'invalid-name', /65 characters; Airflow role names are at most 64/],
  ['tag longer than 100', `roles:\n  a:\n    tags: [⟦${'t'.repeat(101)}⟧]\n`, 'tag-too-long', /101 characters; Airflow tags are at most 100/],
  ['YAML syntax error', 'roles:\n  a: {tags: [x]\n⟦⟧', 'yaml-syntax', /YAML syntax error/],
  ['duplicate key', 'roles:\n  a: {}\n  ⟦a⟧: {}\n', 'duplicate-key', /Duplicate key/],
  ['duplicate key among many (found with one pass per mapping)', `roles:\n${Array.from({ length: 3000 }, (_, i) => `  r${i}: {tags: [t]}\n`).join('')}  ⟦r1500⟧: {tags: [u]}\n`, 'duplicate-key', /Duplicate key/],
  ['version must be 1', 'version: ⟦2⟧\n', 'invalid-value', /expected 1/],
  ['unicode before the error: UTF-16 columns', 'roles:\n  "é😀": {tags: [x], ⟦bogus⟧: 1}\n', 'unknown-key', /Unknown key 'bogus'/],
];

test('a base_role a letter or two from a built-in or configured role is a located warning with the likely name', () => {
  const cases: [string, RegExp][] = [
    ['roles:\n  a:\n    tags: [x]\n    base_role: ⟦Vewer⟧\n', /base_role 'Vewer' is not a built-in role or a role of this config\. Did you mean 'Viewer'\?/],
    ['roles:\n  team_base: {tags: []}\n  a:\n    tags: [x]\n    base_role: ⟦team_bse⟧\n', /Did you mean 'team_base'/],
  ];
  for (const [src, message] of cases) {
    const { text, range } = marked(src);
    const p = loadConfigText('/ws/airflow-access.yaml', text).problems.find((x) => x.code === 'unknown-base-role');
    assert.ok(p, src);
    assert.match(p.message, message);
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.range, range);
  }
});

test('a base_role far from every known role is a custom database role: no warning', () => {
  const r = loadConfigText('/tmp/airflow-access.yaml', 'roles:\n  a:\n    tags: [x]\n    base_role: Platform Readers\n  b:\n    tags: [y]\n    base_role: Op\n  c:\n    tags: [z]\n    base_role: a\n');
  assert.deepEqual(r.problems.filter((p) => p.code === 'unknown-base-role'), []);
});

describe('config problems at exact ranges', () => {
  for (const [name, src, code, message] of cases) {
    test(name, () => {
      const { text, range } = marked(src);
      const r = loadConfigText('/ws/airflow-access.yaml', text);
      const p = r.problems.find((x) => x.code === code);
      assert.ok(p, `expected a '${code}' problem, got ${JSON.stringify(r.problems.map((x) => [x.code, x.message]))}`);
      assert.match(p.message, message);
      assert.equal(p.severity, 'error');
      assert.deepEqual(p.range, range);
    });
  }
});

describe('warnings and leniency', () => {
  test('unquoted airflow version keeps what was written and warns', () => {
    const r = loadConfigText('/ws/a.yaml', 'airflow:\n  version: 2.10\n');
    assert.equal(r.config!.airflow.version, '2.10');
    assert.deepEqual(r.problems.map((p) => [p.code, p.severity]), [['unquoted-version', 'warning']]);
  });

  test('dag_run_permissions below Airflow 2.10 warn at the key', () => {
    const r = loadConfigText('/ws/a.yaml', 'airflow: {version: "2.9"}\nroles:\n  a:\n    tags: [x]\n    dag_run_permissions: [can_create]\n');
    const p = r.problems.find((x) => x.code === 'dag-run-needs-2.10')!;
    assert.deepEqual(p.range, { start: { line: 4, character: 4 }, end: { line: 4, character: 23 } });
  });

  test('one broken role does not drop the others', () => {
    const r = loadConfigText('/ws/a.yaml', 'roles:\n  good: {tags: [g]}\n  bad: {tags: [b], dag_permissions: [nope]}\n');
    assert.deepEqual(r.config!.roles.map((x) => x.name), ['good']);
    assert.equal(r.problems.filter((p) => p.severity === 'error').length, 1);
  });

  test('defaults: cleanup false, base_role Viewer, dag_permissions [can_read], fab, latest Airflow', () => {
    const r = loadConfigText('/ws/a.yaml', 'roles:\n  a: {tags: [x]}\n');
    const a = r.config!.roles[0];
    assert.deepEqual([a.cleanup, a.baseRole, a.dagPermissions.map((p) => p.value)], [false, 'Viewer', ['can_read']]);
    assert.deepEqual(r.config!.airflow, { version: null, authManager: 'fab', multiTeam: false });
    assert.deepEqual(r.config!.dags, { include: ['**/*.py'], exclude: [] });
  });

  test('Python-style named groups in permission_tag_pattern are accepted', () => {
    const r = loadConfigText('/ws/a.yaml', 'permission_tag_pattern: "^(?P<role>\\\\w+)_(read|edit)$"\n');
    assert.deepEqual(r.problems, []);
    assert.equal(r.config!.permissionTagPattern!.regex.test('finance_read'), true);
  });

  test('garbage never throws: each input gets its one located problem', () => {
    const cases: [string, string, string, number, number, RegExp][] = [
      // text, severity, code, line, character, message
      ['', 'warning', 'empty-config', 0, 0, /^The config file is empty\.$/],
      [':', 'error', 'unknown-key', 0, 0, /^Unknown key 'null'\./],
      ['- - -', 'error', 'seed-entry-shape', 0, 2, /^role_mappings entry 1 is a list; each entry must have one of two shapes:\n {2}nested/],
      ['[1, 2', 'error', 'yaml-syntax', 0, 5, /^YAML syntax error: Flow sequence must end with a \]/],
      ['roles: 3', 'error', 'wrong-type', 0, 7, /^Expected a mapping at 'roles', got number 3\.$/],
      ['roles:\n  a: [1]\n', 'error', 'wrong-type', 1, 5, /^Expected a mapping at 'roles\.a', got a list\.$/],
      ['\t\tx', 'error', 'yaml-syntax', 0, 0, /^YAML syntax error: Tabs are not allowed as indentation/],
      ['*alias', 'error', 'yaml-syntax', 0, 0, /^YAML error: alias \*alias names no anchor &alias\.$/],
      ['a: &x [*x]', 'error', 'unknown-key', 0, 0, /^Unknown key 'a'\./],
    ];
    for (const [text, severity, code, line, character, message] of cases) {
      const r = loadConfigText('/ws/a.yaml', text);
      assert.equal(r.problems.length, 1, `${JSON.stringify(text)}: ${JSON.stringify(r.problems)}`);
      const [p] = r.problems;
      assert.deepEqual([p.severity, p.code, p.range.start.line, p.range.start.character], [severity, code, line, character], JSON.stringify(text));
      assert.match(p.message, message, JSON.stringify(text));
    }
    // An unknown alias where a mapping belongs: the alias is the cause, the empty value its effect.
    assert.deepEqual(loadConfigText('/ws/a.yaml', 'roles: *nope\n').problems.map((p) => `${p.range.start.line}:${p.range.start.character} ${p.message}`), [
      '0:7 YAML error: alias *nope names no anchor &nope.',
      "0:7 Expected a mapping at 'roles', got an empty value.",
    ]);
  });
});

test('a duplicate key inside an anchored mapping is reported once, however often aliases reach it', () => {
  const r = loadConfigText('/w/airflow-access.yaml', 'x-base: &base\n  tags: [a]\n  tags: [b]\nroles:\n  one: *base\n  two: *base\n');
  const dups = r.problems.filter((p) => p.code === 'duplicate-key');
  assert.equal(dups.length, 1);
  assert.deepEqual(dups[0].range, { start: { line: 2, character: 2 }, end: { line: 2, character: 6 } });
});

test('keys 1 and "1" are different keys; "a" twice is not', () => {
  assert.equal(loadConfigText('/w/airflow-access.yaml', 'roles:\n  a:\n    tags: [x]\nx-meta:\n  1: a\n  "1": b\n').problems.filter((p) => p.code === 'duplicate-key').length, 0);
  assert.equal(loadConfigText('/w/airflow-access.yaml', 'x-meta:\n  a: 1\n  "a": 2\n').problems.filter((p) => p.code === 'duplicate-key').length, 1);
});

test('multi_team with the FAB auth manager gets an information note at auth_manager (FAB has no team scoping)', () => {
  const text = 'airflow:\n  version: "3.3"\n  auth_manager: fab\n  multi_team: true\nteams:\n  t1: {paths: ["dags/**"]}\n';
  const p = loadConfigText('/ws/airflow-access.yaml', text).problems.find((x) => x.code === 'multi-team-fab');
  assert.equal(p?.severity, 'info');
  assert.match(p!.message, /FAB auth manager has no multi-team support \(apache\/airflow#71242\)/);
  assert.deepEqual(p!.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 14 } });
  assert.equal(loadConfigText('/ws/airflow-access.yaml', text.replace('multi_team: true', 'multi_team: false')).problems.some((x) => x.code === 'multi-team-fab'), false);
});

test('a NUL character in a role name, a tag or base_role is an error at its position (PostgreSQL cannot store it)', () => {
  const r = loadConfigText('/w/airflow-access.yaml', 'version: 1\nroles:\n  "team\\0x":\n    tags: [ok_read, "bad\\0tag"]\n  other:\n    tags: [o]\n    base_role: "Vie\\0wer"\n');
  const nul = r.problems.filter((p) => p.code === 'nul-in-name').map((p) => [p.severity, p.range.start.line, p.range.start.character, p.message]);
  assert.deepEqual(nul, [
    ['error', 2, 2, 'Role name "team\\u0000x" contains a NUL character (\\u0000), which PostgreSQL cannot store: remove it.'],
    ['error', 3, 20, 'Tag "bad\\u0000tag" contains a NUL character (\\u0000), which PostgreSQL cannot store: remove it.'],
    ['error', 4, 2, 'base_role "Vie\\u0000wer" contains a NUL character (\\u0000), which PostgreSQL cannot store: remove it.'],
  ]);
});
