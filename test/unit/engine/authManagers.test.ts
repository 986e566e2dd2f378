/**
 * The simple auth manager (role matrix of Airflow's SimpleAuthManager.is_authorized_dag, users from
 * simple_auth_manager_users) and the Keycloak / AWS auth managers (requests Airflow sends the external policies).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDagAccess } from '../../../server/src/engine/dagAccess';
import { dagAccessToJson, formatDagAccessMarkdown } from '../../../server/src/engine/explainFormat';
import { parseSimpleUsers, readCfgValues, resolveSimpleUsers, simpleAuthorizedDag, simpleDagOperations } from '../../../server/src/engine/simpleAuth';
import type { AuthManagerKind } from '../../../server/src/model/config';
import { accessControl, config, dag, role } from './factBuilders';

function cfg(authManager: AuthManagerKind) {
  const c = config([role('finance_auditor', ['finance_read'], ['can_read'])], { version: '3.1' });
  return { ...c, airflow: { ...c.airflow, authManager }, permissionTagPattern: { source: '_(read|edit)$', regex: /_(read|edit)$/, range: c.roles[0].nameRange } };
}

const financeDag = () => dag({ id: 'finance_ledger', tags: ['finance_read', 'billing_edit', 'nightly'], accessControl: accessControl({ finance_auditor: ['can_read'] }) });

describe('simple auth manager: is_authorized_dag', () => {
  // Role | read (GET) | trigger (POST, RUN) | edit (PUT) | delete (DELETE) — GET needs VIEWER, the rest USER, ADMIN everything.
  const matrix: [string, boolean, boolean, boolean, boolean][] = [
    ['viewer', true, false, false, false],
    ['user', true, true, true, true],
    ['op', true, true, true, true],
    ['admin', true, true, true, true],
  ];
  for (const [r, read, trigger, edit, del] of matrix) {
    test(`${r}: read ${read}, trigger ${trigger}, edit ${edit}, delete ${del}`, () => {
      assert.deepEqual(simpleDagOperations(r as 'viewer'), { read, trigger, edit, delete: del });
    });
  }
  test('the method decides, as in _is_authorized: GET against viewer, every other method against user', () => {
    assert.equal(simpleAuthorizedDag('viewer', 'GET'), true);
    for (const m of ['POST', 'PUT', 'DELETE']) assert.equal(simpleAuthorizedDag('viewer', m), false, m);
    for (const m of ['POST', 'PUT', 'DELETE']) assert.equal(simpleAuthorizedDag('user', m), true, m);
  });
});

describe('simple_auth_manager_users', () => {
  test('username:role pairs, roles case-insensitive, teams after a second colon, quotes of the docs example', () => {
    const { users, invalid } = parseSimpleUsers('"bob:admin, peter:VIEWER,alice:op:team1|team2"');
    assert.deepEqual(users, [
      { username: 'bob', role: 'admin', teams: [] },
      { username: 'peter', role: 'viewer', teams: [] },
      { username: 'alice', role: 'op', teams: ['team1', 'team2'] },
    ]);
    assert.deepEqual(invalid, []);
  });

  test('an unknown role or a missing one is reported, the other users still load', () => {
    const { users, invalid } = parseSimpleUsers('bob:admin,eve:superuser,mallory');
    assert.deepEqual(users.map((u) => u.username), ['bob']);
    assert.deepEqual(invalid, [
      { entry: 'eve:superuser', reason: "unknown role 'superuser' (viewer, user, op, admin)" },
      { entry: 'mallory', reason: 'expected username:role' },
    ]);
  });

  const airflowCfg = '[webserver]\nsimple_auth_manager_users = nope:admin\n\n[core]\n# users\nsimple_auth_manager_users = bob:admin,\n    peter:viewer\nsimple_auth_manager_all_admins = False\n';

  test('airflow.cfg: only [core], continuation lines, located at the value', () => {
    const v = readCfgValues(airflowCfg, 'core', ['simple_auth_manager_users'])!.get('simple_auth_manager_users')!;
    assert.equal(v.value, 'bob:admin,\npeter:viewer');
    assert.equal(v.range.start.line, 5);
    const r = resolveSimpleUsers({}, [{ file: '/w/airflow.cfg', text: airflowCfg }]);
    assert.deepEqual(r.users.map((u) => `${u.username}:${u.role}`), ['bob:admin', 'peter:viewer']);
    assert.deepEqual(r.source, { kind: 'airflow.cfg', name: '[core] simple_auth_manager_users', file: '/w/airflow.cfg', range: v.range });
    assert.equal(r.allAdmins, false);
  });

  test('the environment variable wins over airflow.cfg, as in Airflow; all_admins from either', () => {
    const r = resolveSimpleUsers({ AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: 'carol:user', AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS: 'true' }, [{ file: '/w/airflow.cfg', text: airflowCfg }]);
    assert.deepEqual(r.users.map((u) => u.username), ['carol']);
    assert.equal(r.source?.kind, 'env');
    assert.equal(r.allAdmins, true);
    assert.equal(resolveSimpleUsers({}, [{ file: 'a', text: '[core]\nsimple_auth_manager_all_admins = True\n' }]).allAdmins, true);
    assert.equal(resolveSimpleUsers({}, []).source, null);
  });
});

describe('DAG access under the simple auth manager', () => {
  const users = resolveSimpleUsers({ AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: 'bob:admin,peter:viewer,ursula:user' }, []);

  test('per role and per user: who reads, triggers, edits, deletes; roles nobody holds are left out', () => {
    const a = computeDagAccess({ dag: financeDag(), file: '/w/dags/f.py', config: cfg('simple'), simpleUsers: users });
    assert.equal(a.authManager, 'simple');
    assert.deepEqual(a.roles.map((r) => [r.role, r.dagActions.join(','), r.dagRunActions.join(',')]), [
      ['viewer', 'can_read', 'can_read'],
      ['user', 'can_read,can_edit,can_delete', 'can_read,can_create,can_delete'],
      ['admin', 'can_read,can_edit,can_delete', 'can_read,can_create,can_delete'],
    ]);
    assert.deepEqual(a.summary, { canRead: 3, canEdit: 2, canDelete: 2, nonAdminReachable: true, perDagRoles: 0 });
    assert.deepEqual(a.authAnswer!.users!.map((u) => [u.username, u.role, Object.entries(u.operations).filter(([, v]) => v).map(([k]) => k).join(',')]), [
      ['bob', 'admin', 'read,trigger,edit,delete'],
      ['peter', 'viewer', 'read'],
      ['ursula', 'user', 'read,trigger,edit,delete'],
    ]);
    assert.deepEqual(a.authAnswer!.roles!.find((r) => r.role === 'op'), { role: 'op', operations: { read: true, trigger: true, edit: true, delete: true }, users: [] });
  });

  test('access tags (mapped or matching the pattern) and access_control have no effect: one warning each, plain tags none', () => {
    const a = computeDagAccess({ dag: financeDag(), file: '/w/dags/f.py', config: cfg('simple'), simpleUsers: users });
    assert.deepEqual(a.conflicts.map((c) => [c.kind, c.message.slice(0, 40)]), [
      ['no_effect_auth_manager', "Tag 'finance_read' maps to 'finance_audi"],
      ['no_effect_auth_manager', "Tag 'billing_edit' looks like an access "],
      ['no_effect_auth_manager', 'access_control has no effect under the s'],
    ]);
    for (const c of a.conflicts) assert.match(c.message, /no effect under the simple auth manager/);
  });

  test('an entry Airflow cannot use is left out and said so in the hover and the JSON', () => {
    const bad = resolveSimpleUsers({ AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: 'bob:admin,eve:superuser' }, []);
    const a = computeDagAccess({ dag: financeDag(), file: '/w/dags/f.py', config: cfg('simple'), simpleUsers: bad });
    assert.deepEqual(a.authAnswer!.users!.map((u) => u.username), ['bob']);
    assert.match(formatDagAccessMarkdown(a), /⚠ Left out: `eve:superuser`: unknown role 'superuser' \(viewer, user, op, admin\)\./);
    assert.deepEqual((dagAccessToJson(a) as { authAnswer: { invalidUsers: unknown } }).authAnswer.invalidUsers, [{ entry: 'eve:superuser', reason: "unknown role 'superuser' (viewer, user, op, admin)" }]);
  });

  test('simple_auth_manager_all_admins: everyone is the anonymous admin', () => {
    const all = resolveSimpleUsers({ AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS: '1', AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: 'peter:viewer' }, []);
    const a = computeDagAccess({ dag: financeDag(), file: '/w/dags/f.py', config: cfg('simple'), simpleUsers: all });
    assert.deepEqual(a.roles.map((r) => r.role), ['admin']);
    assert.deepEqual(a.authAnswer!.users!.map((u) => `${u.username}:${u.role}`), ['Anonymous:admin']);
  });

  test('without users the whole matrix is shown; the Markdown and JSON carry the answer per role', () => {
    const a = computeDagAccess({ dag: financeDag(), file: '/w/dags/f.py', config: cfg('simple') });
    assert.deepEqual(a.roles.map((r) => r.role), ['viewer', 'user', 'op', 'admin']);
    const md = formatDagAccessMarkdown(a);
    assert.match(md, /\(Airflow 3\.1, simple auth manager\)/);
    assert.match(md, /\| viewer \| ✓ \| — \| — \| — \| — \|/);
    assert.match(md, /Airflow defaults to admin:admin/);
    const json = dagAccessToJson(a) as { authManager: string; authAnswer: { roles: { role: string; trigger: boolean }[]; usersSource: unknown } };
    assert.equal(json.authManager, 'simple');
    assert.deepEqual(json.authAnswer.roles.map((r) => [r.role, r.trigger]), [['viewer', false], ['user', true], ['op', true], ['admin', true]]);
    assert.equal(json.authAnswer.usersSource, null);
  });
});

describe('DAG access under Keycloak and AWS', () => {
  test('Keycloak: no roles; the permission Dag#<method> with resource_id and dag_entity RUN to trigger', () => {
    const a = computeDagAccess({ dag: financeDag(), file: '/w/dags/f.py', config: cfg('keycloak') });
    assert.equal(a.authManager, 'keycloak');
    assert.deepEqual(a.roles, []);
    assert.deepEqual(a.authAnswer!.requests!.map((r) => [r.operation, r.permission, r.resourceId, r.dagEntity]), [
      ['read', 'Dag#GET', 'finance_ledger', null],
      ['trigger', 'Dag#POST', 'finance_ledger', 'RUN'],
      ['edit', 'Dag#PUT', 'finance_ledger', null],
      ['delete', 'Dag#DELETE', 'finance_ledger', null],
    ]);
    assert.equal(a.conflicts.length, 3);
    for (const c of a.conflicts) assert.match(c.message, /no effect under the Keycloak auth manager/);
    const md = formatDagAccessMarkdown(a);
    assert.match(md, /^\*\*DAG `finance_ledger`\*\* \(Airflow 3\.1, Keycloak auth manager\)\n/);
    assert.match(md, /decided by Keycloak authorization services/);
    assert.doesNotMatch(md, /\| Role \| Actions \| Why \|/);
  });

  test('AWS: Amazon Verified Permissions action Dag.<method> on Airflow::Dag with the dag_entity context', () => {
    const a = computeDagAccess({ dag: financeDag(), file: '/w/dags/f.py', config: cfg('aws') });
    assert.deepEqual(a.authAnswer!.requests!.map((r) => [r.operation, r.permission, `${r.resourceType}::"${r.resourceId}"`, r.dagEntity]), [
      ['read', 'Airflow::Action::"Dag.GET"', 'Airflow::Dag::"finance_ledger"', null],
      ['trigger', 'Airflow::Action::"Dag.POST"', 'Airflow::Dag::"finance_ledger"', 'RUN'],
      ['edit', 'Airflow::Action::"Dag.PUT"', 'Airflow::Dag::"finance_ledger"', null],
      ['delete', 'Airflow::Action::"Dag.DELETE"', 'Airflow::Dag::"finance_ledger"', null],
    ]);
    for (const c of a.conflicts) assert.match(c.message, /no effect under the AWS auth manager/);
    const json = dagAccessToJson(a) as { authAnswer: { decidedBy: string } };
    assert.match(json.authAnswer.decidedBy, /Amazon Verified Permissions/);
  });

  test('FAB answers are unchanged: no auth answer, tags grant', () => {
    const a = computeDagAccess({ dag: financeDag(), file: '/w/dags/f.py', config: cfg('fab') });
    assert.equal(a.authAnswer, undefined);
    assert.ok(a.roles.some((r) => r.role === 'finance_auditor'));
  });
});
