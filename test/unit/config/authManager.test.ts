/** airflow.auth_manager: fab, file, simple, keycloak, aws; roles with tags under the last three get a located warning. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../server/src/config/load';

const ROLES = 'roles:\n  finance_auditor:\n    tags: [finance_read]\n';

test('simple, keycloak and aws load like fab and file', () => {
  for (const am of ['fab', 'file', 'simple', 'keycloak', 'aws']) {
    const r = loadConfigText('/w/airflow-access.yaml', `version: 1\nairflow:\n  version: "3.1"\n  auth_manager: ${am}\n`);
    assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), [], am);
    assert.equal(r.config?.airflow.authManager, am);
  }
});

test('an unknown auth manager is a located error naming the accepted ones', () => {
  const r = loadConfigText('/w/airflow-access.yaml', 'airflow:\n  auth_manager: ldap\n');
  const e = r.problems.find((p) => p.severity === 'error')!;
  assert.equal(e.range.start.line, 1);
  assert.match(e.message, /fab.*file.*simple.*keycloak.*aws/);
});

test('roles with tags under simple / keycloak / aws: a warning on `roles` that says they have no effect and plan refuses', () => {
  for (const [am, label] of [['simple', 'simple auth manager'], ['keycloak', 'Keycloak auth manager'], ['aws', 'AWS auth manager']]) {
    const r = loadConfigText('/w/airflow-access.yaml', `airflow:\n  auth_manager: ${am}\n${ROLES}`);
    const w = r.problems.find((p) => p.code === 'auth-manager-no-dag-grants');
    assert.ok(w, am);
    assert.equal(w.severity, 'warning');
    assert.equal(w.range.start.line, 2);
    assert.equal(w.message, `Roles and their tags have no effect under the ${label}: Airflow reads no FAB grants there, so plan and sync refuse (unless --force-fab, for a migration to FAB).`);
  }
  assert.equal(loadConfigText('/w/airflow-access.yaml', `airflow:\n  auth_manager: fab\n${ROLES}`).problems.length, 0);
});
