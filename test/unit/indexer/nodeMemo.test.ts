import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { forgetNodeAnswers, textOf, typeOf } from '../../../server/src/indexer/nodeMemo';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import { factsOf, slice } from './helpers';

test('remembered node answers never carry over to another tree, even where node ids repeat', async () => {
  const parser = await createPythonParser();
  const typeById = new Map<number, string>();
  let reused = 0;
  // A deleted tree's memory is reused by the next parse, so ids come back on nodes of other kinds.
  for (const src of ['x = 1\n', 'def f(a):\n    return a\n', 'import os\n', '"""doc"""\n', 'with open(p) as f:\n    pass\n']) {
    const tree = parser.parse(src)!;
    const stack = [tree.rootNode];
    while (stack.length) {
      const n = stack.pop()!;
      assert.equal(typeOf(n), n.type);
      assert.equal(textOf(n), n.text);
      if (typeById.has(n.id) && typeById.get(n.id) !== n.type) reused++;
      typeById.set(n.id, n.type);
      for (const c of n.children) if (c) stack.push(c);
    }
    tree.delete();
  }
  forgetNodeAnswers();
  assert.ok(reused > 0, 'no node id was reused: the test does not exercise the hazard');
});

test('plain string literals read from the text give the same value and range as the general path', async () => {
  const src = 'from airflow import DAG\nwith DAG("a", tags=["plain", r\'raw\', u"uni", "", "é📊", "esc\\n", f"f{1}", "{x}", b"b"]):\n    pass\n';
  const tags = (await factsOf(src)).dags[0]!.tags!;
  assert.deepEqual(tags.items.map((t) => t.value), ['plain', 'raw', 'uni', '', 'é📊', 'esc\n', 'f1', '{x}']);
  assert.deepEqual(tags.items.map((t) => slice(src, t.range)), ['"plain"', "r'raw'", 'u"uni"', '""', '"é📊"', '"esc\\n"', 'f"f{1}"', '"{x}"']);
  assert.equal(tags.dynamic.length, 1);
});
