import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createPythonParser } from '../../server/src/parsing/treeSitter';

test('the pinned Python grammar loads into the pinned web-tree-sitter runtime and parses a DAG call', async () => {
  const parser = await createPythonParser();
  const tree = parser.parse('with DAG("etl", tags=["a_edit"]) as dag:\n    pass\n');
  assert.ok(tree);
  const call = tree.rootNode.descendantsOfType('call')[0];
  assert.equal(call?.childForFieldName('function')?.text, 'DAG');
  assert.equal(tree.rootNode.hasError, false);
  tree.delete();
  parser.delete();
});
