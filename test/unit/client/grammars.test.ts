/** The .airflowignore grammar and the Python injection grammar: valid JSON, compiling regexps, scopes of sample lines. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { readJson } from './manifestHelpers';
import { MiniGrammar, compile, scopesOf, type GrammarJson } from './textmate';

const ignore = new MiniGrammar(readJson<GrammarJson>('syntaxes/airflowignore.tmLanguage.json'));
const injection = new MiniGrammar(readJson<GrammarJson>('syntaxes/python-access.injection.tmLanguage.json'));

function has(scopes: string[] | undefined, scope: string): boolean {
  return !!scopes && scopes.some((s) => s === scope || s.startsWith(scope + '.'));
}

describe('grammars compile', () => {
  for (const [name, g] of [['airflowignore', ignore], ['python injection', injection]] as const) {
    it(`${name}: every regexp compiles`, () => {
      const all = g.allRegexps();
      assert.ok(all.length > 5);
      for (const re of all) assert.doesNotThrow(() => compile(re), re);
    });
  }

  it('the injection targets Python code outside strings and comments', () => {
    const json = readJson('syntaxes/python-access.injection.tmLanguage.json');
    assert.equal(json.injectionSelector, 'L:source.python -string -comment');
  });
});

describe('.airflowignore grammar', () => {
  const lines = ignore.tokenize(
    ['# Files the DAG processor skips', 'scratch/.*', '^tmp_.*\\.py$', '**/experimental/*.py', '!keep.py', 'legacy_[0-9]?  # old', ''].join('\n'),
  );

  it('scopes comment lines and trailing comments', () => {
    assert.ok(has(lines[0][0].scopes, 'comment.line.number-sign'));
    const trailing = lines[5].find((t) => t.text.includes('old'));
    assert.ok(has(trailing?.scopes, 'comment.line.number-sign'));
  });

  it('scopes regexp lines as regexps', () => {
    assert.ok(lines[1].every((t) => has(t.scopes, 'meta.pattern.regexp')));
    assert.ok(has(scopesOf([lines[1]], '.'), 'constant.character.wildcard'));
    assert.ok(has(scopesOf([lines[1]], '*'), 'keyword.operator.quantifier'));
    assert.ok(has(scopesOf([lines[2]], '^'), 'keyword.control.anchor'));
    assert.ok(has(scopesOf([lines[2]], '\\.'), 'constant.character.escape'));
    assert.ok(has(scopesOf([lines[2]], '$'), 'keyword.control.anchor'));
  });

  it('scopes glob lines as globs', () => {
    assert.ok(lines[3].every((t) => has(t.scopes, 'meta.pattern.glob')));
    assert.ok(has(scopesOf([lines[3]], '**'), 'keyword.operator.globstar'));
    assert.ok(has(scopesOf([lines[3]], '*'), 'keyword.operator.wildcard'));
    assert.ok(has(scopesOf([lines[4]], '!'), 'keyword.operator.negation'));
    assert.ok(has(scopesOf([lines[5]], '0-9'), 'constant.other.character-class'));
    assert.ok(has(scopesOf([lines[5]], '?'), 'keyword.operator.wildcard'));
  });
});

describe('Python injection grammar', () => {
  const source = [
    'with DAG(',
    '    dag_id="finance_ledger",',
    '    tags=["finance_read", \'analytics_reporting_edit\'],',
    '    access_control={',
    '        "finance_auditor": {"can_read"},',
    '        \'ops\': {"DAGs": {"can_read", "can_edit"}, "DAG Runs": {"can_create"}},  # nested',
    '    },',
    '    description="not_a_role: x",',
    ') as dag:',
    '    other = ["not_a_tag"]',
  ].join('\n');
  const lines = injection.tokenize(source);

  it('scopes the strings inside tags=[...]', () => {
    assert.ok(has(scopesOf(lines, 'finance_read'), 'string.quoted.tag.airflow-dag-access'));
    assert.ok(has(scopesOf(lines, 'analytics_reporting_edit'), 'string.quoted.tag.airflow-dag-access'));
    assert.ok(has(scopesOf(lines, 'tags'), 'variable.parameter.function-call.python'));
  });

  it('scopes the keys of access_control={...} as roles, across lines', () => {
    assert.ok(has(scopesOf(lines, 'finance_auditor'), 'entity.name.type.role.airflow-dag-access'));
    assert.ok(has(scopesOf(lines, 'ops'), 'entity.name.type.role.airflow-dag-access'));
  });

  it('does not take nested keys or permissions for roles', () => {
    assert.ok(!has(scopesOf(lines, 'DAGs'), 'entity.name.type.role'));
    assert.ok(has(scopesOf(lines, 'DAGs'), 'support.type.resource.airflow-dag-access'));
    assert.ok(has(scopesOf(lines, 'can_edit'), 'support.constant.permission.airflow-dag-access'));
    assert.ok(has(scopesOf(lines, 'can_create'), 'support.constant.permission.airflow-dag-access'));
  });

  it('closes the access_control dict at its own brace', () => {
    assert.ok(!has(scopesOf(lines, 'not_a_role: x'), 'entity.name.type.role'));
    const close = lines[6].find((t) => t.text === '}');
    assert.ok(has(close?.scopes, 'punctuation.definition.dict.end.python'));
    assert.ok(!lines[7].some((t) => has(t.scopes, 'meta.airflow.access-control')));
  });

  it('leaves other lists alone', () => {
    assert.ok(!has(scopesOf(lines, 'not_a_tag'), 'string.quoted.tag'));
  });
});
