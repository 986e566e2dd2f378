/** The drop-in sync DAG's Python: the built-in role names come from the model, not a hand-written copy. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { builtinRolesPy, generateDropInDag } from '../../../server/src/sync/dropInDag';
import { DEFAULT_ROLES } from '../../../server/src/model/defaultRoles';
import { config, role } from '../engine/factBuilders';

const replaced = { dagId: 'perm_sync', schedule: "'@daily'", scheduleProblem: null, startDate: null, line: 3 };

/** The names in the generated `BUILTIN_ROLES = (...)` tuple, read back as Python string literals. */
function builtinRolesOf(source: string): string[] {
  const line = source.split('\n').find((l) => l.startsWith('BUILTIN_ROLES = '));
  assert.ok(line, 'the generated DAG defines BUILTIN_ROLES');
  const tuple = /^BUILTIN_ROLES = \((.*)\)$/.exec(line)![1];
  return [...tuple.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
}

for (const version of ['2.10', '3.0']) {
  test(`Airflow ${version}: the generated sync DAG skips exactly the model's default roles`, () => {
    const src = generateDropInDag(config([role('sales', ['sales_edit'], ['can_read'])], { version }), replaced, { replacedFile: 'perm_sync.py' });
    assert.deepEqual(builtinRolesOf(src), [...DEFAULT_ROLES]);
    assert.doesNotMatch(src, /__[A-Z_]+__/, 'no placeholder left in the generated Python');
  });
}

test('the tuple is a Python literal of the model list', () => {
  assert.equal(builtinRolesPy(), `(${DEFAULT_ROLES.map((r) => `"${r}"`).join(', ')})`);
});
