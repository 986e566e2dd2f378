/** Tag lookups, team resolution, version gates and the explain output. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allMappedTags, closestMappedTag, isPermissionLikeTag, rolesForTag } from '../../../server/src/engine/tags';
import { teamOfFile } from '../../../server/src/engine/teams';
import { versionAtLeast } from '../../../server/src/engine/version';
import { computeDagAccess } from '../../../server/src/engine/dagAccess';
import { dagAccessToJson, formatDagAccessMarkdown } from '../../../server/src/engine/explainFormat';
import { compileTagPattern } from '../../../server/src/config/schema';
import { accessControl, config, dag, role } from './factBuilders';

const c = config([role('analytics_reporting', ['analytics_reporting_edit', 'shared'], ['can_read', 'can_edit']), role('finance', ['finance_read', 'shared'], ['can_read'])]);

test('rolesForTag / allMappedTags / closestMappedTag / isPermissionLikeTag', () => {
  assert.deepEqual(rolesForTag(c, 'shared').map((m) => m.role.name), ['analytics_reporting', 'finance']);
  assert.deepEqual(rolesForTag(c, 'Shared'), [], 'tags match case-sensitively');
  assert.deepEqual(allMappedTags(c), ['analytics_reporting_edit', 'shared', 'finance_read']);
  assert.equal(closestMappedTag(c, 'analytics_reportng_edit'), 'analytics_reporting_edit');
  assert.equal(closestMappedTag(c, 'marketing'), null);
  assert.equal(isPermissionLikeTag(c, 'finance_raed'), true, 'a near miss of a mapped tag');
  assert.equal(isPermissionLikeTag(c, 'finance_read'), false, 'mapped tags are not "unmapped permission-like"');
  const withPattern = { ...c, permissionTagPattern: { source: '_(read|edit)$', regex: compileTagPattern('_(read|edit)$'), range: c.roles[0].range } };
  assert.equal(isPermissionLikeTag(withPattern, 'marketing_edit'), true);
  assert.equal(isPermissionLikeTag(withPattern, 'daily'), false);
});

test('versionAtLeast: numeric comparison, null is latest', () => {
  const rows: [string | null, string, boolean][] = [['2.10', '2.9', true], ['2.9', '2.10', false], ['3.0', '3.0', true], ['2.10.3', '2.10', true], [null, '3.3', true]];
  for (const [v, min, want] of rows) assert.equal(versionAtLeast(v, min), want, `${v} >= ${min}`);
});

test('teamOfFile: paths globs first, then bundle folders; null when no team matches', () => {
  const tc = { ...c, teams: [
    { name: 'team_analytics', nameRange: c.roles[0].range, bundles: [], paths: ['dags/analytics/**'] },
    { name: 'team_ml', nameRange: c.roles[0].range, bundles: ['ml_bundle'], paths: [] },
  ] };
  assert.equal(teamOfFile(tc, '/ws', '/ws/dags/analytics/produce_sales.py'), 'team_analytics');
  assert.equal(teamOfFile(tc, '/ws', '/ws/ml_bundle/train.py'), 'team_ml');
  assert.equal(teamOfFile(tc, '/ws', '/ws/dags/shared/assets.py'), null);
  assert.equal(teamOfFile(tc, '/ws', '/elsewhere/x.py'), null);
  assert.equal(teamOfFile(tc, '/ws', '/ws/x.py', () => 'ml_bundle'), 'team_ml');
});

test('explain: one line per role, its reasons as a list with file:line, no HTML; and stable JSON', () => {
  const a = computeDagAccess({ dag: dag({ id: 'sales', tags: ['analytics_reporting_edit'], accessControl: accessControl({ finance: ['can_read'] }) }), file: '/ws/dags/sales.py', config: c });
  const md = formatDagAccessMarkdown(a, { relativeTo: '/ws', dagFile: '/ws/dags/sales.py' });
  // analytics_reporting is created from Viewer without Viewer's DAG-wide read: with its tag
  // reverted it reads nothing here (it read every DAG before base roles left "DAGs" out).
  assert.match(md, /^\*\*DAG `sales`\*\* — 5 roles can read · 3 can edit · 3 can delete \(Airflow 2\.10, FAB auth manager\)/);
  assert.match(md, /^\*\*analytics_reporting\*\* — nothing \(every grant is reverted\)\n- via tag `analytics_reporting_edit` \(`airflow-access\.yaml:12`\) — \*reverted by access_control\*$/m);
  assert.match(md, /^\*\*finance\*\* — read · runs: read, menu_access\n- via access_control \(`dags\/sales\.py:10`\) — read\n- role-wide: base role `Viewer` \(`airflow-access\.yaml:11`\) — runs: read, menu_access$/m);
  // The default roles: one line, not four.
  assert.match(md, /^Default roles \(DAG-wide, every DAG\): Admin, Op, User: read, edit, delete \(runs: [a-z_, ]+\) · Viewer: read \(runs: read, menu_access\)$/m);
  assert.ok(!/^\*\*(Admin|Op|User|Viewer)\*\*/m.test(md), md);
  assert.doesNotMatch(md, /<\/?[a-z][^>]*>|^\|/im, 'no HTML, no table');
  // With links (the hover's form): file URIs with the line.
  assert.match(formatDagAccessMarkdown(a, { relativeTo: '/ws', links: true }), /\(\[airflow-access\.yaml:12\]\(file:\/\/\/ws\/airflow-access\.yaml#L12\)\)/);
  const json = dagAccessToJson(a, { dagFile: '/ws/dags/sales.py' }) as any;
  assert.equal(json.schemaVersion, 1);
  assert.equal(json.accessControl, 'dict');
  assert.deepEqual(Object.keys(json), ['schemaVersion', 'dagId', 'airflowVersion', 'authManager', 'accessControl', 'summary', 'roles', 'conflicts']);
  const tagVia = json.roles.find((r: any) => r.role === 'analytics_reporting').grants.find((g: any) => g.scope === 'dag').via[0];
  assert.deepEqual(tagVia.location, { file: '/ws/dags/sales.py', line: 6, column: 11 });
  assert.deepEqual(json.conflicts[0].location, { file: '/ws/dags/sales.py', line: 6, column: 11 });
  assert.equal(JSON.stringify(json), JSON.stringify(JSON.parse(JSON.stringify(json))), 'plain JSON data');
});
