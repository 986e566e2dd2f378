/**
 * roleReasons: one reason per source of a role's grants on a DAG, read from computeDagAccess's
 * provenance (the tree, the hover and explain say "why" from it), and the Markdown they render.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDagAccess } from '../../../server/src/engine/dagAccess';
import { actionsText, reasonDetailMarkdown, roleBlockMarkdown, roleReasons } from '../../../server/src/engine/grantReasons';
import type { DagAccess, DbDagGrant } from '../../../server/src/model/access';
import { accessControl, config, dag, role } from './factBuilders';

const FILE = '/ws/dags/sales.py';
const link = (file: string, range: { start: { line: number } }, label?: string) => `[${label ?? `${file.split('/').pop()}:${range.start.line + 1}`}](L)`;
const reasonsOf = (a: DagAccess, name: string) => roleReasons(a.roles.find((r) => r.role === name)!);
const rows = (a: DagAccess, name: string) => reasonsOf(a, name).map((r) => [r.kind, r.label, r.actions.join(', '), r.dagWide, r.reverted]);

describe('roleReasons', () => {
  const c = config([
    role('sales', ['sales_edit', 'shared'], ['can_read', 'can_edit'], { baseRole: 'Public' }),
    role('audit', ['audit_read'], ['can_read'], { baseRole: 'Viewer', baseRoleDagWide: true }),
  ]);

  test('two tags of one role are two reasons; the source of a tag reason is the config line mapping it', () => {
    const a = computeDagAccess({ dag: dag({ id: 'sales', tags: ['sales_edit', 'shared'] }), file: FILE, config: c });
    assert.deepEqual(rows(a, 'sales'), [['tag', 'via tag sales_edit', 'read, edit', false, false], ['tag', 'via tag shared', 'read, edit', false, false]]);
    const [first, second] = reasonsOf(a, 'sales');
    assert.deepEqual([first.source?.file, first.source?.range.start.character, second.source?.range.start.character], ['/ws/airflow-access.yaml', 11, 21]);
    assert.equal(first.dagSource?.file, FILE);
    assert.equal(first.markdown, 'via tag `sales_edit`');
  });

  test('a tag run grant without access to the DAG: the reason says it gives nothing and why', () => {
    const runs = [{ value: 'can_read' as const, range: { start: { line: 13, character: 0 }, end: { line: 13, character: 1 } } }];
    const c2 = config([role('x', ['x_runs'], [], { baseRole: 'Public', dagRunPermissions: runs })], { version: '2.10' });
    const a = computeDagAccess({ dag: dag({ id: 'sales', tags: ['x_runs'] }), file: FILE, config: c2 });
    const [r] = reasonsOf(a, 'x');
    assert.deepEqual([r.kind, r.actions, r.withoutDag, r.reverted], ['tag', [], [{ action: 'runs: read', needs: 'read' }], false]);
    const block = roleBlockMarkdown(a.roles.find((x) => x.role === 'x')!, () => 'cfg');
    assert.equal(block[0], '**x** — nothing');
    assert.equal(block[2], '  - ⚠ runs: read is granted via tag `x_runs` but the role cannot read the DAG: Airflow checks the DAG first.');
    assert.match(reasonDetailMarkdown(r, 'sales', link), /the sync grants read on `DAG Run:sales`\.\n\n⚠ runs: read is granted via tag `x_runs` but the role cannot read the DAG/);
  });

  test('DAG-wide through a base role with base_role_dag_wide; per-DAG sources come first', () => {
    const a = computeDagAccess({ dag: dag({ id: 'sales', tags: ['audit_read'] }), file: FILE, config: c });
    assert.deepEqual(rows(a, 'audit'), [
      ['tag', 'via tag audit_read', 'read', false, false],
      ['base_role', 'DAG-wide: base role Viewer', 'read, runs: read, runs: menu_access', true, false],
    ]);
    const wide = reasonsOf(a, 'audit')[1];
    assert.equal(wide.source?.range.start.line, 10, 'the role line in the config');
    assert.match(reasonDetailMarkdown(wide, 'sales', link), /^Role `audit` is created from base role `Viewer` \(\[airflow-access\.yaml:11\]\(L\)\) and keeps its role-wide permissions: read · runs: read, menu_access on every DAG \(the `DAGs` resource\)\.$/);
  });

  test('access_control: its source is the DAG line; the tag grant it leaves out is reverted', () => {
    const a = computeDagAccess({ dag: dag({ id: 'sales', tags: ['sales_edit'], accessControl: accessControl({ audit: ['can_read'] }) }), file: FILE, config: c });
    assert.deepEqual(rows(a, 'sales'), [['tag', 'via tag sales_edit', 'read, edit', false, true]]);
    const ac = reasonsOf(a, 'audit')[0];
    assert.deepEqual([ac.kind, ac.label, ac.source?.file, ac.source?.range.start.line], ['access_control', 'via access_control', FILE, 9], "the role's entry in access_control");
    assert.match(reasonDetailMarkdown(reasonsOf(a, 'sales')[0], 'sales', link), /\n\n⚠ Reverted: the DAG's access_control is authoritative/);
  });

  test('database grants: per DAG "from the database", on "DAGs" DAG-wide, on "DAG Runs" only role-wide; no source to open', () => {
    const db: DbDagGrant[] = [
      { role: 'ui', resource: 'DAGs', action: 'can_read', scope: 'dag' },
      { role: 'wide', resource: 'DAGs', action: 'can_read', scope: 'global' },
      { role: 'wide', resource: 'DAG Runs', action: 'can_read', scope: 'global' },
    ];
    const a = computeDagAccess({ dag: dag({ id: 'sales' }), file: FILE, config: c, dbGrants: db });
    assert.deepEqual(rows(a, 'ui'), [['db', 'from the database', 'read', false, false]]);
    assert.equal(reasonsOf(a, 'ui')[0].markdown, 'from the database (`DAG:sales`)');
    assert.equal(reasonsOf(a, 'ui')[0].source, undefined);
    assert.deepEqual(rows(a, 'wide'), [['db', 'DAG-wide: from the database', 'read, runs: read', true, false]]);
    const runsOnly = computeDagAccess({ dag: dag({ id: 'sales' }), file: FILE, config: c, dbGrants: [...db.slice(0, 1), { role: 'ui', resource: 'DAG Runs', action: 'can_read', scope: 'global' }] });
    assert.deepEqual(rows(runsOnly, 'ui').map((r) => r[1]), ['from the database', 'role-wide: from the database']);
    assert.match(reasonDetailMarkdown(reasonsOf(runsOnly, 'ui')[1], 'sales', link), /grants `ui` read on the runs of every DAG the role may read \(the `DAG Runs` resource\)/);
  });

  test('a default role: one reason for its DAG-wide access', () => {
    const a = computeDagAccess({ dag: dag({ id: 'sales', accessControl: accessControl({ Viewer: ['can_edit'] }) }), file: FILE, config: c });
    const labels = reasonsOf(a, 'Viewer').map((r) => r.label);
    assert.deepEqual(labels, ['via access_control', 'default role (DAG-wide)']);
  });
});

describe('roleBlockMarkdown', () => {
  test('the role and its actions, then one list item per reason (with what each grants when there are several)', () => {
    const c = config([role('audit', ['audit_read'], ['can_read'], { baseRoleDagWide: true })]);
    const a = computeDagAccess({ dag: dag({ id: 'sales', tags: ['audit_read'] }), file: FILE, config: c });
    assert.deepEqual(roleBlockMarkdown(a.roles.find((r) => r.role === 'audit')!, (at) => `\`${at.file}:${at.range.start.line + 1}\``), [
      '**audit** — read · runs: read, menu_access',
      '- via tag `audit_read` (`/ws/airflow-access.yaml:12`) — read',
      '- DAG-wide: base role `Viewer` (`/ws/airflow-access.yaml:11`) — read · runs: read, menu_access',
    ]);
  });

  test('actionsText: DAG actions, then the run actions after a dot', () => {
    assert.equal(actionsText(['read', 'edit', 'runs: read', 'runs: create']), 'read, edit · runs: read, create');
    assert.equal(actionsText(['runs: read']), 'runs: read');
    assert.equal(actionsText([]), 'nothing');
  });
});
