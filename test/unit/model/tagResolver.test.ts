/** Tag → role, once: the resolver the engine, the planner, the rules and the editor features share. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isManagedRole, TagResolver, tagResolverOf } from '../../../server/src/model/tagResolver';
import { computeDagAccess } from '../../../server/src/engine/dagAccess';
import { describeProvenance } from '../../../server/src/engine/explainFormat';
import { suggestRoleForTag } from '../../../server/src/rules/configEdits';
import { at, config, dag, role } from '../engine/factBuilders';

const withPattern = (source: string, roles = [role('finance', ['ledger'], ['can_read']), role('ops', [], ['can_read', 'can_edit']), role('Viewer', ['viewer_edit'], ['can_edit'])]) => ({
  ...config(roles),
  permissionTagPattern: { source, regex: new RegExp(source.replace(/\(\?P</g, '(?<')), range: at(1, 24, source.length) },
});

test('exact tags: case-sensitive, each role once, with the tag entry as provenance', () => {
  const c = config([role('a', ['t', 't'], ['can_read']), role('b', ['t'], ['can_edit'])]);
  const r = tagResolverOf(c);
  assert.deepEqual(r.grants('t').map((g) => [g.role.name, g.match, g.configRange?.start.character]), [['a', 'exact', 11], ['b', 'exact', 11]]);
  assert.deepEqual(r.grants('T'), []);
  assert.equal(tagResolverOf(c), r, 'compiled once per config');
});

test('permission_tag_pattern: its `role` group names a config role; other groups name nothing', () => {
  const r = tagResolverOf(withPattern('^(?P<role>\\w+?)_(read|edit)$'));
  const g = r.grants('ops_edit');
  assert.deepEqual(g.map((x) => [x.role.name, x.match, x.managed]), [['ops', 'pattern', true]]);
  assert.deepEqual(g[0].configRange, at(1, 24, '^(?P<role>\\w+?)_(read|edit)$'.length), 'provenance: the pattern in the config');
  assert.deepEqual(r.grants('nobody_read'), [], 'a role the config lacks');
  assert.deepEqual(r.grants('OPS_edit'), [], 'role names compare case-sensitively');
  assert.deepEqual(r.grants('finance_read').map((x) => x.match), ['pattern']);
  assert.equal(r.isMapped('ledger'), true);
  // The README's pattern has one unnamed group, (read|edit): it names no role, even one called "read".
  const readme = tagResolverOf(withPattern('_(read|edit)$', [role('read', [], ['can_read'])]));
  assert.deepEqual(readme.grants('finance_read'), []);
  assert.equal(readme.matchesPattern('finance_read'), true);
});

test('a tag both listed and named by the pattern grants its role once, as the listed entry', () => {
  const r = tagResolverOf(withPattern('^(?P<role>\\w+)$'));
  assert.deepEqual(r.grants('ledger').map((g) => g.role.name), ['finance']);
  assert.deepEqual(r.grants('finance').map((g) => [g.role.name, g.match]), [['finance', 'pattern']]);
});

test('managed roles: never Admin, built-in roles only with manage_builtin', () => {
  assert.equal(isManagedRole('Admin', true), false);
  assert.equal(isManagedRole('Viewer', false), false);
  assert.equal(isManagedRole('Viewer', true), true);
  assert.equal(isManagedRole('team', false), true);
  const r = tagResolverOf(withPattern('^(?P<role>\\w+?)_(read|edit)$'));
  assert.deepEqual(r.grants('viewer_edit').map((g) => g.managed), [false]);
  assert.deepEqual(r.managedGrants('viewer_edit'), []);
});

test('the plan side: the same answers from JSON-safe inputs (names only, flags g/y dropped)', () => {
  const r = new TagResolver([{ name: 'ops', tags: [{ value: 'x' }] }], { source: '^(?<role>\\w+?)_read$', flags: 'gy' }, false);
  assert.deepEqual(r.grants('ops_read').map((g) => g.role.name), ['ops']);
  assert.deepEqual(r.grants('ops_read').map((g) => g.role.name), ['ops'], 'no lastIndex carried between calls');
  assert.deepEqual(r.grants('x').map((g) => [g.match, g.configRange]), [['exact', null]]);
});

test('the access engine grants what the pattern names, and says so', () => {
  const c = withPattern('^(?P<role>\\w+?)_(read|edit)$');
  const a = computeDagAccess({ dag: dag({ tags: ['ops_edit', 'viewer_edit'] }), file: '/ws/dags/d.py', config: c });
  const ops = a.roles.find((r) => r.role === 'ops')!;
  assert.deepEqual(ops.dagActions, ['can_read', 'can_edit']);
  const via = ops.grants.find((g) => g.scope === 'dag')!.via[0];
  assert.equal(via.kind === 'tag' && via.match, 'pattern');
  assert.match(describeProvenance(via), /tag `ops_edit` .* names the role through permission_tag_pattern in /);
  assert.ok(!a.roles.find((r) => r.role === 'Viewer')?.grants.some((g) => g.scope === 'dag'), 'Viewer: not managed without manage_builtin');
});

test('the "add a role" fix names the role the pattern would grant', () => {
  assert.equal(suggestRoleForTag('sales_edit', withPattern('^(?P<role>\\w+?)_(read|edit)$')).role, 'sales');
  assert.equal(suggestRoleForTag('team:sales', withPattern('^team:(?P<role>\\w+)$')).role, 'sales');
  assert.equal(suggestRoleForTag('sales_edit', withPattern('_(read|edit)$')).role, 'sales', 'no role group: the part before the match');
  assert.equal(suggestRoleForTag('ops_read', withPattern('^(?P<role>\\w+?)_(read|edit)$')).role, 'ops_2', 'a taken name gets a suffix');
});
