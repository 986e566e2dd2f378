/** The tag → role resolver and the plan's inputs: what a tag pattern grants and how versions compare. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { planInputs } from '../../../server/src/sync/inputs';
import { roleFromTag } from '../../../server/src/model/tagResolver';
import { versionAtLeast } from '../../../server/src/model/airflowVersion';
import { makeConfig } from '../../helpers/dbConfig';

test('roleFromTag: only the group named "role" names a role', () => {
  assert.equal(roleFromTag('finance_read', /^(?<role>\w+?)_(read|edit)$/), 'finance');
  assert.equal(roleFromTag('other', /^(?<role>\w+?)_(read|edit)$/), null, 'no match');
  assert.equal(roleFromTag('team', /^team$/), null, 'a match without a group names no role');
  assert.equal(roleFromTag('team:ops', null), null, 'no pattern');
  // An unnamed group is the pattern's own business: `_(read|edit)$` (the README's) names no role "read".
  assert.equal(roleFromTag('team:ops', /^team:(\w+)$/), null);
  assert.equal(roleFromTag('finance_read', /_(read|edit)$/), null);
  // A "role" group that did not take part in the match names nothing.
  assert.equal(roleFromTag('x-ops', /^x-(ops)|(?<role>y)$/), null);
  assert.equal(roleFromTag('y', /^x-(ops)|(?<role>y)$/), 'y');
});

test('versionAtLeast (the one comparison, model/airflowVersion): numbers, not text; no version means the latest', () => {
  assert.equal(versionAtLeast('2.10', '2.10'), true);
  assert.equal(versionAtLeast('2.9', '2.10'), false, '9 < 10 as numbers, not as text');
  assert.equal(versionAtLeast('2.11', '2.10'), true);
  assert.equal(versionAtLeast('3.0', '2.10'), true);
  assert.equal(versionAtLeast('1.99', '2.10'), false);
  assert.equal(versionAtLeast('2.10.3', '2.11'), false);
  assert.equal(versionAtLeast('12.1', '2.10'), true);
  assert.equal(versionAtLeast('10.5', '11.0'), false, 'two-digit majors');
  assert.equal(versionAtLeast('2.7.0', '2.7.1'), false, 'patch releases count');
  assert.equal(versionAtLeast(null, '9.9'), true);
});

test('planInputs: duplicates dropped, g/y flags of the tag pattern dropped (a stateful regexp would skip tags), workspace DAGs copied', () => {
  const config = makeConfig([{ name: 'a', tags: ['t', 't', 'u'], dag: ['can_read', 'can_read', 'can_edit'], dagRun: ['can_create', 'can_create'], cleanup: false, baseRole: '' }], {
    tagPattern: /^team:(\w+)$/giy,
    manageBuiltin: true,
    version: '2.10',
  });
  const ws = [
    { dagId: 'd', tags: ['x', 'x'], file: '/w/d.py', hasAccessControl: true, importError: 'SyntaxError' },
    { dagId: 'e', tags: [], file: '/w/e.py', hasAccessControl: false },
  ];
  const i = planInputs(config, { tagSource: 'workspace', workspaceDags: ws });
  assert.deepEqual(i, {
    roles: [{ name: 'a', tags: ['t', 'u'], dagActions: ['can_read', 'can_edit'], dagRunActions: ['can_create'], cleanup: false, baseRole: null }],
    tagPattern: { source: '^team:(\\w+)$', flags: 'i' },
    manageBuiltin: true,
    airflowVersion: '2.10',
    tagSource: 'workspace',
    workspaceDags: [
      { dagId: 'd', tags: ['x'], file: '/w/d.py', hasAccessControl: true, importError: 'SyntaxError' },
      { dagId: 'e', tags: [], file: '/w/e.py', hasAccessControl: false },
    ],
  });
  const db = planInputs(makeConfig([{ name: 'b', tags: ['t'], baseRole: 'Viewer' }]), { tagSource: 'db' });
  assert.equal(db.workspaceDags, null);
  assert.equal(db.tagPattern, null);
  assert.equal(db.roles[0].baseRole, 'Viewer');
});
