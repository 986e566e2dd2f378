/**
 * Name binding reads `name = value` statements and the scopes around a node from the source text
 * when the tree has no errors. These tests hold the text answers to the tree's: a wrong answer would
 * make a constant of a rebound name (a wrong tag reported as static) or hide a function's local name.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Node, Parser } from 'web-tree-sitter';
import { collectImports } from '../../../server/src/indexer/extractImports';
import { forgetNodeAnswers, rememberSource } from '../../../server/src/indexer/nodeMemo';
import { statementType } from '../../../server/src/indexer/statementKind';
import { ModuleScope, targetNames, withItemTargets } from '../../../server/src/indexer/scope';
import { NO_BINDING, simpleAssignmentName } from '../../../server/src/indexer/simpleAssignment';
import { moduleStatements } from '../../../server/src/indexer/syntax';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import { mutate, pythonCorpus } from '../hardening/mutate';
import { Prng } from '../hardening/prng';
import { eachCleanTree, withTree } from './helpers';

const TRICKY = [
  'a = 1',
  'a = b = 1',
  'a = b, c = 1, 2',
  'a = lambda x=1: x',
  'a = f(x=1, y=[i for i in z if i == 2])',
  'a = x == y',
  'a = x <= y >= z != w',
  'a = "=" + \'=\' + """=\n=""" + r"\\"="',
  "a = f'{b}=' + f\"{c['k']}\"",
  'a = {"k": (1, [2, {3}])}  # = comment',
  'a = 1; b = 2',
  'a = (\n    1,\n    2,\n)',
  'a = 1 \\\n    + 2',
  'a: int = 1',
  'a += 1',
  'a.b = 1',
  'a[0] = 1',
  'a = f(x)[0] = 2',
  'a = yield_value = 3',
  'a = not_a_string"x"',
  'print(a == 1)',
  'a = [x for x in y]',
  'async_task = DAG("x")',
  't1 >> [t2, t3] >> t4',
  'x: int',
  'print(x := 3)',
  'f(lambda: 1)',
  'x = lambda: {"a": 1}',
  '"""docstring with = and : inside"""',
  'chain(*[a, b], key=lambda t: t)',
];

function bindingsInTree(st: Node): string[] | null {
  const a = st.type === 'expression_statement' ? st.namedChildren.find((c) => c?.type === 'assignment') : undefined;
  if (!a) return null;
  const names: string[] = [];
  let cur: Node | null = a;
  while (cur && cur.type === 'assignment') {
    const left = cur.childForFieldName('left');
    if (left) names.push(...targetNames(left));
    cur = cur.childForFieldName('right');
  }
  return names;
}

function checkAssignments(parser: Parser, text: string, label: string): number {
  let fast = 0;
  eachCleanTree(parser, [text], (tree) => {
    for (const st of moduleStatements(tree.rootNode)) {
      if (st.type !== 'expression_statement') continue;
      const name = simpleAssignmentName(text, st.startIndex);
      if (name === null) continue;
      fast++;
      if (name === NO_BINDING) {
        assert.deepEqual(bindingsInTree(st), null, `${label}: \`${st.text.slice(0, 60)}\` read as binding nothing`);
        continue;
      }
      assert.deepEqual(bindingsInTree(st), [name], `${label}: \`${st.text.slice(0, 60)}\` read as binding only ${name}`);
      const left = st.namedChildren.find((c) => c?.type === 'assignment')!.childForFieldName('left')!;
      assert.equal(left.type, 'identifier', `${label}: ${st.text.slice(0, 60)}`);
    }
  });
  return fast;
}

test('a statement read as `name = value` from the text binds exactly that name in the tree', async () => {
  const parser = await createPythonParser();
  let fast = 0;
  for (const [i, text] of [...TRICKY.map((t) => `${t}\n`), TRICKY.join('\n') + '\n', ...pythonCorpus()].entries()) fast += checkAssignments(parser, text, `text ${i}`);
  assert.ok(fast > 50, `only ${fast} statements took the text path: it is not exercised`);
  assert.equal(simpleAssignmentName('t1 >> t2 >> t3\n', 0), NO_BINDING);
  for (const plain of ['a = 1\n', 'dag = DAG("x", tags=["a=b"])\n', 't1 = BashOperator(task_id="t", bash_command="x == y")\n']) {
    assert.notEqual(simpleAssignmentName(plain, 0), null, plain);
  }
  for (const odd of ['x: int\n', 'a = b = 1\n', 'a = lambda x=1: x\n', 'a = 1 \\\n + 2\n', "a = f'{b}'\n", 'a: int = 1\n', 'a += 1\n']) {
    assert.equal(simpleAssignmentName(odd, 0), null, odd);
  }
  parser.delete();
});

test('scopes found from the text around every identifier equal those of a whole-tree walk', async () => {
  const parser = await createPythonParser();
  const extra = [
    'from airflow import DAG\nmake = lambda: DAG("l", tags=[t for t in TAGS])\nclass C:\n    def m(self, TAGS=1):\n        return [DAG(x) for x in {k: TAGS for k in y}]\nTAGS = ["a"]\n',
    'with DAG("d", tags=[x for x in (lambda: T)()]) as d:\n    def cb(T):\n        return T\n    for i in range(3):\n        pass\n',
  ];
  let compared = 0;
  eachCleanTree(parser, [...extra, ...pythonCorpus()], (tree, text, label) => {
    const root = tree.rootNode;
    const statements = [...moduleStatements(root)];
    const bindings = collectImports(statements).bindings;
    const fromText = new ModuleScope(root, bindings, statements, undefined, { text });
    const fromTree = new ModuleScope(root, bindings, statements);
    for (const id of root.descendantsOfType('identifier')) {
      const a = [...fromText.enclosingScopes(id!)].map((s) => s.id);
      const b = [...fromTree.enclosingScopes(id!)].map((s) => s.id);
      assert.deepEqual(a, b, `${label}: scopes around \`${id!.text}\` at ${id!.startIndex}`);
      compared++;
    }
  });
  assert.ok(compared > 1000, `only ${compared} identifiers compared`);
  parser.delete();
});

test('imports read from the text give the same facts, bindings and ranges as the tree', async () => {
  const parser = await createPythonParser();
  const imports = [
    'import os',
    'import os.path, sys as system',
    'import  a . b  as  m',
    'from airflow import DAG',
    'from airflow.sdk import DAG as D, Asset, dag as dag_decorator',
    'from . import tags',
    'from ..common.tags import (TEAM_TAGS, OWNER as O,)',
    'from .x import *',
    'from airflow.decorators import (dag, task)',
    'from a import b  # trailing comment',
    'from a import (\n    b,\n    c,\n)',
    'import a; import b',
    'x = "é"; from airflow import DAG',
  ];
  let viaText = 0;
  eachCleanTree(parser, [imports.join('\n') + '\n', ...pythonCorpus()], (tree, text, label) => {
    const statements = [...moduleStatements(tree.rootNode)];
    const fromText = collectImports(statements, text);
    const fromTree = collectImports(statements, null);
    assert.deepEqual(fromText, fromTree, label);
    viaText += fromText.facts.length;
  });
  assert.ok(viaText > 100, `only ${viaText} imports compared`);
  parser.delete();
});

test('statement kinds read from their first word match the tree, soft keywords included', async () => {
  const parser = await createPythonParser();
  const tricky = [
    'from __future__ import annotations',
    'import os',
    'async def f():\n    async with a as b:\n        pass\n    async for x in y:\n        pass',
    '@dag\ndef g():\n    pass',
    'match = 1',
    'match x:\n    case 1:\n        pass',
    'type = 2',
    'print(1)',
    'exec_me = 3',
    'assert x, "m"',
    'del x',
    'global q',
    'try:\n    pass\nexcept E:\n    pass',
    'while x:\n    break',
    'for i in r:\n    continue',
    'if x:\n    raise E\nelif y:\n    pass\nelse:\n    pass',
    '"""doc"""',
    '(a, b) = 1, 2',
    '*a, b = c',
    'await_value = 1',
    'lambda: 0',
    'class C(Base):\n    x = 1',
    'with open(p) as f, open(q) as g:\n    pass',
  ];
  let compared = 0;
  withTree(parser, tricky.join('\n') + '\n', (tree) => assert.equal(tree.rootNode.hasError, false, 'the tricky statements must parse cleanly'));
  eachCleanTree(parser, [tricky.join('\n') + '\n', ...pythonCorpus()], (tree, text, label) => {
    for (const st of moduleStatements(tree.rootNode, false)) {
      const truth = st.type;
      forgetNodeAnswers();
      rememberSource(tree, text);
      assert.equal(statementType(st), truth, `${label}: \`${st.text.slice(0, 40)}\``);
      compared++;
    }
  });
  assert.ok(compared > 300, `only ${compared} statements compared`);
  parser.delete();
});

test('with-statement targets read from the items equal every as_pattern_target under the clause (clean trees)', async () => {
  const parser = await createPythonParser();
  const r = new Prng(7);
  const corpus = pythonCorpus();
  const texts = [
    ...corpus,
    ...Array.from({ length: 600 }, () => mutate(r, corpus[r.int(corpus.length)]!, corpus, 'py')),
    'with DAG("a") as dag, open(f) as (x, y), lock:\n    pass\n',
    'with (DAG("a", default_args={"k": [v for v in w]}) as dag, ctx() as [p, q]):\n    pass\n',
    'async def f():\n    async with s() as t:\n        pass\n',
    'with a as b.c, d as e[0]:\n    with f(g(lambda h: h)) as i:\n        pass\n',
  ];
  let compared = 0;
  try {
    eachCleanTree(parser, texts, (tree, _text, label) => {
      for (const clause of tree.rootNode.descendantsOfType('with_clause')) {
        if (!clause) continue;
        const direct = withItemTargets(clause).map((n) => `${n.startIndex}:${n.text}`);
        const searched = clause.descendantsOfType('as_pattern_target').flatMap((n) => (n ? [`${n.startIndex}:${n.text}`] : []));
        assert.deepEqual(direct, searched, `${label}: ${clause.text.slice(0, 80)}`);
        compared++;
      }
    });
  } finally {
    parser.delete();
  }
  assert.ok(compared > 40, `only ${compared} with clauses compared`);
});
