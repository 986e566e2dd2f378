/**
 * Every SQL dialect (db/dialects) writes a small grant set with bound parameters and skips rows
 * already present. The list is DIALECTS itself, so a new dialect is checked as soon as it exists,
 * and it needs its expected statements below before this test passes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DIALECTS, dialectFor, isDialect } from '../../../server/src/db/dialects';
import type { Dialect } from '../../../server/src/db/types';
import { parseConnectionUrl, targetLabel } from '../../../server/src/db/url';
import { planToSql } from '../../../server/src/sync/formatSql';
import { deleteGrantsById, insertGrantsById } from '../../../server/src/sync/idStatements';
import { deleteUnusedNames, insertAudit, restoreGrants, type Stmt } from '../../../server/src/sync/statements';
import { contextForScript, planSteps, type Changes } from '../../../server/src/sync/steps';
import type { SyncPlan } from '../../../server/src/sync/types';

const ROLE = "ops'team\\x";
const changes: Changes = {
  createActions: ['can_read'],
  createRoles: [{ name: ROLE, baseRole: null, copied: 0 }],
  createResources: ['DAG:etl'],
  createPermissionViews: [{ action: 'can_read', resource: 'DAG:etl' }],
  addGrants: [{ role: ROLE, action: 'can_read', resource: 'DAG:etl', dagId: 'etl', reason: 'tag "etl"' }],
  revokeGrants: [{ role: ROLE, action: 'can_edit', resource: 'DAG:old', dagId: 'old', reason: 'not explained by the config' }],
};

/** The grant insert and revoke each dialect sends for `changes` (one JSON parameter each). */
const EXPECTED: Record<Dialect, { add: string; revoke: string }> = {
  postgres: {
    add:
      "INSERT INTO ab_permission_view_role (id, permission_view_id, role_id) SELECT nextval('ab_permission_view_role_id_seq'), pv.id, r.id FROM (SELECT e->>0 AS c0, e->>1 AS c1, e->>2 AS c2 FROM json_array_elements(CAST(? AS json)) AS e) AS x" +
      ' JOIN ab_role r ON r.name = x.c0 JOIN ab_permission p ON p.name = x.c1 JOIN ab_view_menu v ON v.name = x.c2 JOIN ab_permission_view pv ON pv.permission_id = p.id AND pv.view_menu_id = v.id' +
      ' WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view_role g WHERE g.permission_view_id = pv.id AND g.role_id = r.id) ON CONFLICT (permission_view_id, role_id) DO NOTHING',
    revoke:
      'DELETE FROM ab_permission_view_role WHERE id IN (SELECT g.id FROM (SELECT e->>0 AS c0, e->>1 AS c1, e->>2 AS c2 FROM json_array_elements(CAST(? AS json)) AS e) AS x' +
      ' JOIN ab_role r ON r.name = x.c0 JOIN ab_permission p ON p.name = x.c1 JOIN ab_view_menu v ON v.name = x.c2 JOIN ab_permission_view pv ON pv.permission_id = p.id AND pv.view_menu_id = v.id' +
      ' JOIN ab_permission_view_role g ON g.permission_view_id = pv.id AND g.role_id = r.id)',
  },
  mysql: {
    add:
      "INSERT IGNORE INTO ab_permission_view_role (permission_view_id, role_id) SELECT pv.id, r.id FROM JSON_TABLE(?, '$[*]' COLUMNS (c0 VARCHAR(64) PATH '$[0]', c1 VARCHAR(100) PATH '$[1]', c2 VARCHAR(250) PATH '$[2]')) AS x" +
      ' JOIN ab_role r ON r.name = x.c0 AND BINARY r.name = BINARY x.c0 JOIN ab_permission p ON p.name = x.c1 AND BINARY p.name = BINARY x.c1' +
      ' JOIN ab_view_menu v ON v.name = x.c2 AND BINARY v.name = BINARY x.c2 JOIN ab_permission_view pv ON pv.permission_id = p.id AND pv.view_menu_id = v.id' +
      ' WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view_role g WHERE g.permission_view_id = pv.id AND g.role_id = r.id)',
    revoke:
      "DELETE g FROM JSON_TABLE(?, '$[*]' COLUMNS (c0 VARCHAR(64) PATH '$[0]', c1 VARCHAR(100) PATH '$[1]', c2 VARCHAR(250) PATH '$[2]')) AS x" +
      ' JOIN ab_role r ON r.name = x.c0 AND BINARY r.name = BINARY x.c0 JOIN ab_permission p ON p.name = x.c1 AND BINARY p.name = BINARY x.c1' +
      ' JOIN ab_view_menu v ON v.name = x.c2 AND BINARY v.name = BINARY x.c2 JOIN ab_permission_view pv ON pv.permission_id = p.id AND pv.view_menu_id = v.id' +
      ' JOIN ab_permission_view_role g ON g.permission_view_id = pv.id AND g.role_id = r.id',
  },
  sqlite: {
    add:
      "INSERT OR IGNORE INTO ab_permission_view_role (permission_view_id, role_id) SELECT pv.id, r.id FROM (SELECT json_extract(e.value, '$[0]') AS c0, json_extract(e.value, '$[1]') AS c1, json_extract(e.value, '$[2]') AS c2 FROM json_each(?) AS e) AS x" +
      ' JOIN ab_role r ON r.name = x.c0 JOIN ab_permission p ON p.name = x.c1 JOIN ab_view_menu v ON v.name = x.c2 JOIN ab_permission_view pv ON pv.permission_id = p.id AND pv.view_menu_id = v.id' +
      ' WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view_role g WHERE g.permission_view_id = pv.id AND g.role_id = r.id)',
    revoke:
      "DELETE FROM ab_permission_view_role WHERE id IN (SELECT g.id FROM (SELECT json_extract(e.value, '$[0]') AS c0, json_extract(e.value, '$[1]') AS c1, json_extract(e.value, '$[2]') AS c2 FROM json_each(?) AS e) AS x" +
      ' JOIN ab_role r ON r.name = x.c0 JOIN ab_permission p ON p.name = x.c1 JOIN ab_view_menu v ON v.name = x.c2 JOIN ab_permission_view pv ON pv.permission_id = p.id AND pv.view_menu_id = v.id' +
      ' JOIN ab_permission_view_role g ON g.permission_view_id = pv.id AND g.role_id = r.id)',
  },
};

/** The write statements of every kind for `changes` on one dialect, by label. */
function statementsOf(d: Dialect): [string, Stmt][] {
  const ctx = contextForScript(d);
  const ids = { pv: [11, 12], role: [3, 4] };
  return [
    ...planSteps(ctx, changes).map((s): [string, Stmt] => [s.label, s.stmt]),
    ['restore grants', restoreGrants(ctx, [{ id: 9, role: ROLE, action: 'can_read', resource: 'DAG:etl' }])],
    ['delete unused roles', deleteUnusedNames(ctx, 'ab_role', [ROLE], true)],
    ['insert grants by id', insertGrantsById(ctx, ids)],
    ['delete grants by id', deleteGrantsById(ctx, ids)],
  ];
}

const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

test('every dialect name maps to its own strategy, and there are exactly the names of Dialect', () => {
  assert.deepEqual([...DIALECTS].sort(), ['mysql', 'postgres', 'sqlite']);
  for (const d of DIALECTS) {
    assert.equal(dialectFor(d).name, d);
    assert.ok(isDialect(d));
  }
  assert.equal(isDialect('oracle'), false);
  assert.throws(() => dialectFor('oracle' as Dialect), /Unknown SQL dialect "oracle"/);
  // Scheme lookup is by own keys only: an Object.prototype name is not a dialect.
  for (const scheme of ['oracle', 'constructor', 'toString']) assert.throws(() => parseConnectionUrl(`${scheme}://h/db`, { env: {} }), /Unsupported database scheme/);
  assert.equal(new Set(DIALECTS.flatMap((d) => dialectFor(d).urlSchemes)).size, DIALECTS.flatMap((d) => dialectFor(d).urlSchemes).length, 'a URL scheme selects one dialect');
});

for (const d of DIALECTS) {
  test(`${d}: the grant set is written with bound parameters only, and every insert skips rows already present`, () => {
    const stmts = statementsOf(d);
    assert.ok(EXPECTED[d], `add the expected statements of ${d} to EXPECTED`);
    const byLabel = new Map(stmts);
    assert.equal(byLabel.get('add 1 grant(s)')?.sql, EXPECTED[d].add);
    assert.equal(byLabel.get('revoke 1 grant(s)')?.sql, EXPECTED[d].revoke);
    assert.deepEqual(byLabel.get('add 1 grant(s)')?.params, [JSON.stringify([[ROLE, 'can_read', 'DAG:etl']])]);
    for (const [label, { sql, params }] of stmts) {
      assert.equal(placeholders(sql), params.length, `${label}: one ? per bound value`);
      assert.ok(params.length > 0, `${label}: the rows are bound, not inlined`);
      for (const name of [ROLE, 'DAG:etl', 'DAG:old']) assert.ok(!sql.includes(name), `${label}: "${name}" is not in the SQL text`);
      if (/^INSERT\b/.test(sql)) assert.match(sql, /^INSERT (OR )?IGNORE INTO |^INSERT INTO .* ON CONFLICT \([^)]+\) DO NOTHING$/, `${label}: conflict handling present`);
    }
    // The PostgreSQL bulk path asks for an insert without conflict handling on purpose; no other dialect drops it.
    const plain = insertGrantsById(contextForScript(d), { pv: [1], role: [2] }, { plain: true }).sql;
    assert.equal(/\bIGNORE\b|ON CONFLICT/.test(plain), dialectFor(d).bulkGrants !== 'drop-keys-and-copy');
    // The audit row has no unique key: a plain insert, its values bound.
    const audit = insertAudit(contextForScript(d), 'sync', 'me', '{}');
    assert.match(audit.sql, /^INSERT INTO log \(/);
    assert.equal(placeholders(audit.sql), 3);
  });

  test(`${d}: the SQL script inlines the same statements as literals inside the dialect's transaction and lock`, () => {
    const plan = { ...changes, planId: 'p', empty: false, target: { dialect: d, airflowMajor: 2, dagRunResources: true }, summary: { add: 1, revoke: 1, createRoles: 1, createResources: 1 } } as unknown as SyncPlan;
    const sql = planToSql(plan, { audit: false });
    const sd = dialectFor(d);
    const lines = sql.split('\n');
    assert.ok(sql.includes(`run it with ${sd.script.runWith}\n`));
    assert.deepEqual(lines.slice(5, 5 + sd.script.begin.length), [...sd.script.begin]);
    assert.deepEqual(lines.slice(-1 - sd.script.end.length, -1), [...sd.script.end]);
    assert.equal(placeholders(sql), 0, 'no placeholder left');
    // The role name with a quote and a backslash, as this dialect spells it in a literal.
    const quoted = sd.stringLiteral(JSON.stringify([[ROLE, 'can_read', 'DAG:etl']]));
    assert.ok(sql.includes(quoted), quoted);
    assert.equal(quoted.includes('\\\\\\\\'), d === 'mysql', 'only MySQL doubles the backslash (JSON already escaped it once)');
  });

  test(`${d}: connection URLs and labels`, () => {
    const sd = dialectFor(d);
    const url = sd.server ? `${sd.urlSchemes[0]}://u@db.example/airflow` : `${sd.urlSchemes[0]}:////srv/airflow.db`;
    const t = parseConnectionUrl(url, { env: {} });
    assert.equal(t.dialect, d);
    assert.equal(targetLabel(t), sd.server ? `${sd.product} u@db.example:${sd.server.defaultPort}/airflow` : '/srv/airflow.db');
  });
}
