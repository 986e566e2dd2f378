/** The file auth manager: role hierarchy, permission matrix and HTTP-method mapping (seed 003), users file, DAG access. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fileAuthDagOperations, hasMinimumRole, isAuthorized, loadUsersText, permissionTypeOf,
  type FileAuthResource, type HttpMethod,
} from '../../../server/src/engine/fileAuth';
import { computeDagAccess } from '../../../server/src/engine/dagAccess';
import { formatDagAccessMarkdown } from '../../../server/src/engine/explainFormat';
import { accessControl, config, dag, role } from './factBuilders';

// Resource | Action | method it is done with | Viewer | Editor | Admin
const Y = true, N = false;
const matrix: [FileAuthResource, string, HttpMethod, boolean, boolean, boolean][] = [
  ['dag', 'View Dag list', 'GET', Y, Y, Y], ['dag', 'View Dag details', 'GET', Y, Y, Y], ['dag', 'View Dag code', 'GET', Y, Y, Y],
  ['dag_run', 'Trigger Dag run', 'POST', N, Y, Y], ['dag', 'Pause/unpause Dag', 'PATCH', N, Y, Y], ['dag', 'Delete Dag', 'DELETE', N, Y, Y],
  ['dag_run', 'View Dag runs', 'GET', Y, Y, Y], ['dag_run', 'View run details', 'GET', Y, Y, Y], ['dag_run', 'Clear Dag run', 'POST', N, Y, Y],
  ['dag_run', 'Mark run success', 'PATCH', N, Y, Y], ['dag_run', 'Mark run failed', 'PATCH', N, Y, Y], ['dag_run', 'Delete Dag run', 'DELETE', N, Y, Y],
  ['task_instance', 'View task instances', 'GET', Y, Y, Y], ['task_instance', 'View task logs', 'GET', Y, Y, Y],
  ['task_instance', 'Clear task', 'POST', N, Y, Y], ['task_instance', 'Mark task success', 'PATCH', N, Y, Y], ['task_instance', 'Mark task failed', 'PATCH', N, Y, Y],
  ['connection', 'List connections', 'GET', Y, Y, Y], ['connection', 'View connection', 'GET', Y, Y, Y], ['connection', 'Create connection', 'POST', N, N, Y],
  ['connection', 'Modify connection', 'PATCH', N, N, Y], ['connection', 'Delete connection', 'DELETE', N, N, Y], ['connection', 'Test connection', 'POST', N, N, Y],
  ['variable', 'List variables', 'GET', Y, Y, Y], ['variable', 'View variable', 'GET', Y, Y, Y], ['variable', 'Create variable', 'POST', N, N, Y],
  ['variable', 'Modify variable', 'PUT', N, N, Y], ['variable', 'Delete variable', 'DELETE', N, N, Y],
  ['pool', 'List pools', 'GET', Y, Y, Y], ['pool', 'View pool', 'GET', Y, Y, Y], ['pool', 'Create pool', 'POST', N, N, Y],
  ['pool', 'Modify pool', 'PATCH', N, N, Y], ['pool', 'Delete pool', 'DELETE', N, N, Y],
  ['asset', 'List assets', 'GET', Y, Y, Y], ['asset', 'View asset', 'GET', Y, Y, Y], ['asset', 'Trigger asset event', 'POST', N, Y, Y],
  ['configuration', 'View configuration', 'GET', Y, Y, Y], ['configuration', 'Modify configuration', 'PUT', N, N, Y],
];

describe('file auth manager permission matrix', () => {
  for (const [resource, action, method, viewer, editor, admin] of matrix) {
    test(`${action}: viewer ${viewer ? '✅' : '❌'} editor ${editor ? '✅' : '❌'} admin ${admin ? '✅' : '❌'}`, () => {
      assert.deepEqual([isAuthorized(resource, method, 'viewer'), isAuthorized(resource, method, 'editor'), isAuthorized(resource, method, 'admin')], [viewer, editor, admin]);
    });
  }
});

test('HTTP method mapping: GET read; POST, PUT, PATCH, DELETE write', () => {
  const table: [HttpMethod, 'read' | 'write'][] = [['GET', 'read'], ['POST', 'write'], ['PUT', 'write'], ['PATCH', 'write'], ['DELETE', 'write']];
  for (const [m, t] of table) assert.equal(permissionTypeOf(m), t, m);
});

test('role hierarchy: Viewer < Editor < Admin, higher roles inherit lower ones', () => {
  assert.equal(hasMinimumRole('editor', 'viewer'), true);
  assert.equal(hasMinimumRole('admin', 'editor'), true);
  assert.equal(hasMinimumRole('viewer', 'editor'), false);
  assert.equal(hasMinimumRole('editor', 'admin'), false);
});

const USERS = `users:
  - username: platform_admin
    role: admin
  - username: data_engineer
    role: editor
  - username: analyst
    role: Viewer
  - username: monitoring_bot
    role: viewer
`;

test('users file: located error with did-you-mean; the valid users still load', () => {
  const { users, problems } = loadUsersText('/ws/users.yaml', USERS);
  assert.deepEqual(users!.users.map((u) => u.username), ['platform_admin', 'data_engineer', 'monitoring_bot']);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].code, 'invalid-value');
  assert.match(problems[0].message, /Did you mean 'viewer'/);
  assert.deepEqual(problems[0].range, { start: { line: 6, character: 10 }, end: { line: 6, character: 16 } });
});

test('who can view, trigger, pause, delete a DAG', () => {
  const { users } = loadUsersText('/ws/users.yaml', USERS.replace('Viewer', 'viewer'));
  assert.deepEqual(fileAuthDagOperations(users), {
    view: ['platform_admin', 'data_engineer', 'analyst', 'monitoring_bot'],
    trigger: ['platform_admin', 'data_engineer'],
    pause: ['platform_admin', 'data_engineer'],
    delete: ['platform_admin', 'data_engineer'],
  });
});

test('under the file auth manager, tag grants and access_control have no effect (warned at the tag)', () => {
  const c = config([role('analyst', ['analyst_edit'], ['can_read', 'can_edit'])], { authManager: 'file', version: '3.0' });
  const { users } = loadUsersText('/ws/users.yaml', USERS.replace('Viewer', 'viewer'));
  const a = computeDagAccess({ dag: dag({ tags: ['analyst_edit'], accessControl: accessControl({ analyst: ['can_read'] }) }), file: '/ws/d.py', config: c, users });
  assert.deepEqual(a.conflicts.map((x) => x.kind), ['no_effect_file_auth', 'no_effect_file_auth']);
  assert.deepEqual(a.conflicts[0].range.start, { line: 5, character: 10 });
  assert.deepEqual(a.roles.map((r) => [r.role, r.dagActions.join(',')]), [['viewer', 'can_read'], ['editor', 'can_read,can_edit,can_delete'], ['admin', 'can_read,can_edit,can_delete']]);
  assert.equal(a.roles.some((r) => r.role === 'analyst'), false);
});

test('explain under the file auth manager keeps a line per role with its users (only FAB default roles are grouped)', () => {
  const c = config([], { authManager: 'file', version: '3.0' });
  const { users } = loadUsersText('/ws/users.yaml', USERS.replace('Viewer', 'viewer'));
  const a = computeDagAccess({ dag: dag({ tags: [] }), file: '/ws/d.py', config: c, users });
  const md = formatDagAccessMarkdown(a);
  assert.doesNotMatch(md, /Default roles/);
  assert.match(md, /^\*\*viewer\*\* \*\(default role\)\* — read · runs: read\n- file auth manager role \(users: analyst, monitoring_bot\)$/m);
});
