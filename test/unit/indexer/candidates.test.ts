/**
 * The text-first finders against a whole-tree walk: on every corpus file (and on mutated copies, whose
 * broken syntax splits tokens in odd ways) they must find every node extraction reads, and nothing that
 * is not such a node. A finder that misses one drops a DAG, an asset or a producer without a trace.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Node, Parser } from 'web-tree-sitter';
import { UNLIMITED } from '../../../server/src/indexer/budget';
import { findCalls, findDecorated } from '../../../server/src/indexer/candidates';
import { findScopes } from '../../../server/src/indexer/scopeKeywords';
import { CallPlacements } from '../../../server/src/indexer/placements';
import { SCOPE_TYPES } from '../../../server/src/indexer/scope';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import { mutate, pythonCorpus } from '../hardening/mutate';
import { Prng } from '../hardening/prng';
import { factsOf, withTree } from './helpers';

const NAMES = ['DAG', 'Asset', 'Dataset', 'D'];

function ids(nodes: (Node | null)[]): number[] {
  return nodes.filter((n): n is Node => !!n).map((n) => n.id);
}

/** Every call whose callee ends in one of NAMES (a plain dotted name), or that passes `outlets=`. */
function wantedCalls(root: Node): number[] {
  return ids(
    root.descendantsOfType('call').filter((c) => {
      const fn = c!.childForFieldName('function');
      const last = fn?.type === 'identifier' ? fn : fn?.type === 'attribute' ? fn.childForFieldName('attribute') : null;
      if (last && NAMES.includes(last.text)) return true;
      return (c!.childForFieldName('arguments')?.namedChildren ?? []).some((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'outlets');
    }),
  );
}

function wantedDecorated(root: Node): number[] {
  return ids(root.descendantsOfType('decorated_definition').filter((d) => d!.namedChildren.some((c) => c?.type === 'decorator' && /\b(dag|task)\b/.test(c.text))));
}

function check(parser: Parser, text: string, label: string): void {
  withTree(parser, text, (tree) => {
    const root = tree.rootNode;
    assert.deepEqual(ids(findScopes(root, text, UNLIMITED)).sort(), ids(root.descendantsOfType(SCOPE_TYPES).filter((n) => n?.isNamed)).sort(), `${label}: scopes`);
    const found = findCalls(root, text, NAMES, UNLIMITED).filter((n): n is Node => !!n);
    const calls = ids(found);
    const wanted = wantedCalls(root);
    for (const id of wanted) assert.ok(calls.includes(id), `${label}: a wanted call was not found`);
    assert.equal(new Set(calls).size, calls.length, `${label}: a call was found twice`);
    const extra = found.filter((n) => !wanted.includes(n.id)).map((n) => `${n.type} \`${n.text.slice(0, 40)}\``);
    assert.deepEqual(extra, [], `${label}: found what is not a wanted call`);
    const decoratedNodes = findDecorated(root, text, new Set(['dag', 'task']), UNLIMITED).filter((n): n is Node => !!n);
    const decorated = ids(decoratedNodes);
    const wantedDefs = wantedDecorated(root);
    for (const id of wantedDefs) assert.ok(decorated.includes(id), `${label}: a @dag/@task definition was not found`);
    const extraDefs = decoratedNodes.filter((n) => !wantedDefs.includes(n.id)).map((n) => `${n.type} \`${n.text.slice(0, 40)}\``);
    assert.deepEqual(extraDefs, [], `${label}: found what is not a @dag/@task definition`);
  });
}

test('text-first finders find every scope, kept call and kept decorated definition of the corpus, also when mutated', async () => {
  const parser = await createPythonParser();
  const scopes = [
    'class Holder:',
    '    key = lambda self: [x for x in self] + list(y for y in {k: v for k, v in d.items()})',
    '    async def run(self):',
    '        return {z async for z in src}',
    'for item in items:',
    '    pass',
    '',
  ].join('\n');
  const corpus = [scopes, ...pythonCorpus()];
  corpus.forEach((text, i) => check(parser, text, `corpus file ${i}`));
  const r = new Prng(0xca11);
  for (let k = 0; k < 1500; k++) check(parser, mutate(r, corpus[r.int(corpus.length)]!, corpus, 'py'), `mutation ${k}`);
  parser.delete();
});

test('names inside strings and comments, longer names and non-calls are not calls', async () => {
  const parser = await createPythonParser();
  const text = [
    'from airflow import DAG',
    '# DAG("in a comment")',
    'doc = "DAG(\'in a string\')"',
    'MyDAG("x")',
    'DAG_ID = "x"',
    'print(DAG)',
    'obj.DAG.build("x")',
    'f(outlets)',
    'DAG("real")',
    'models.DAG("dotted")',
    'op = Op(task_id="t", outlets=[a])',
    '',
  ].join('\n');
  const found = withTree(parser, text, (tree) => findCalls(tree.rootNode, text, ['DAG'], UNLIMITED).map((c) => c.text));
  assert.deepEqual(found, ['DAG("real")', 'models.DAG("dotted")', 'Op(task_id="t", outlets=[a])']);
  parser.delete();
});

test('an e-mail address or a matrix product is not a decorator; a decorator after junk on its line still is', async () => {
  const junk = await factsOf('from airflow.decorators import dag\n\u0000@dag(schedule=None)\ndef after_junk():\n    pass\n');
  assert.deepEqual(junk.dags.map((d) => d.dagId.kind === 'static' && d.dagId.value), ['after_junk']);
  const facts = await factsOf(
    [
      'from airflow.decorators import dag as make_dag',
      'default_args = {"email": ["ops@dag.example.com"]}',
      'x = a @ dag',
      '@make_dag(tags=["t"])',
      'def pipeline():',
      '    pass',
      'pipeline()',
      '',
    ].join('\n'),
  );
  assert.deepEqual(
    facts.dags.map((d) => [d.dagId.kind === 'static' ? d.dagId.value : null, d.style, d.instantiated]),
    [['pipeline', 'decorator', true]],
  );
});

test('past the point-question limit, one tree walk finds the same calls, definitions, scopes and placements', async () => {
  const parser = await createPythonParser();
  const corpus = pythonCorpus();
  const r = new Prng(0x3a1c);
  const texts = [...corpus, ...Array.from({ length: 400 }, () => mutate(r, corpus[r.int(corpus.length)]!, corpus, 'py'))];
  let calls = 0;
  texts.forEach((text, i) =>
    withTree(parser, text, (tree) => {
      const root = tree.rootNode;
      const label = `text ${i}`;
      const pointCalls = findCalls(root, text, NAMES, UNLIMITED, Infinity);
      assert.deepEqual(ids(findCalls(root, text, NAMES, UNLIMITED, 0)), ids(pointCalls), `${label}: calls`);
      const names = new Set(['dag', 'task']);
      assert.deepEqual(ids(findDecorated(root, text, names, UNLIMITED, 0)), ids(findDecorated(root, text, names, UNLIMITED, Infinity)), `${label}: decorated`);
      assert.deepEqual(ids(findScopes(root, text, UNLIMITED, 0)), ids(findScopes(root, text, UNLIMITED, Infinity)), `${label}: scopes`);
      const climb = new CallPlacements(root, UNLIMITED, Infinity);
      const walk = new CallPlacements(root, UNLIMITED, 0);
      const shape = (p: CallPlacements, c: Node) => {
        const a = p.assignedTo(c);
        const w = p.withItemOf(c);
        return [a?.assignment.id, a?.left?.id, a?.topLevel, w?.body?.id, w?.variable?.id];
      };
      for (const c of pointCalls) assert.deepEqual(shape(walk, c), shape(climb, c), `${label}: placement of \`${c.text.slice(0, 40)}\``);
      calls += pointCalls.length;
    }),
  );
  assert.ok(calls > 300, `only ${calls} calls compared`);
  parser.delete();
});
