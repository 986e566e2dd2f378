/**
 * The tree's data and the dag_id hover say why a role reaches a DAG, from the engine's provenance:
 * via a tag (click: the config line mapping it), via access_control (click: the DAG's line), DAG-wide
 * through a base role (one line per role, not a child per DAG), reverted grants marked. The hover is
 * Markdown without HTML or tables: one line per role, its reasons as a list.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { buildAccessTree, buildTreeChildren } from '../../../server/src/project/accessTree';
import { dagAccessMarkdown } from '../../../server/src/project/describe';
import { pairMarkdown } from '../../../server/src/project/describePair';
import { roleReasons } from '../../../server/src/engine/grantReasons';
import type { Range } from '../../../server/src/model/facts';
import { SALES_CONFIG, workspace } from '../rules/helpers';

const CONFIG = `${SALES_CONFIG}  audit:
    tags: [audit_read]
    dag_permissions: [can_read]
    base_role: Viewer
    base_role_dag_wide: true
  ops:
    tags: [ops_read]
    dag_permissions: [can_read]
`;
const A = 'from airflow import DAG\nwith DAG("a", tags=["sales_edit"]):\n    pass\n';
const B = 'from airflow import DAG\nwith DAG(\n    "b",\n    tags=["sales_edit"],\n    access_control={"ops": {"can_read"}},\n):\n    pass\n';
const C = 'from airflow import DAG\nwith DAG("c", tags=["other"]):\n    pass\n';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

describe('access tree and dag_id hover: why each role reaches each DAG', () => {
  let ws: Awaited<ReturnType<typeof workspace>>;
  const loc = (file: string, range: Range) => ({ uri: file, line: range.start.line, character: range.start.character });
  const role = (name: string) => buildTreeChildren(ws.project, { kind: 'role', name }, loc).role!;
  const dag = (name: string) => buildTreeChildren(ws.project, { kind: 'dag', name }, loc).dag!;
  before(async () => {
    ws = await workspace({ 'airflow-access.yaml': CONFIG, 'dags/a.py': A, 'dags/b.py': B, 'dags/c.py': C });
  });
  after(async () => {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  test('a tag grant says "via tag", explains the mapping and opens the config line that maps the tag', () => {
    const sales = role('sales');
    assert.deepEqual(sales.dags.map((d) => d.dagId), ['a', 'b']);
    const [why] = sales.dags[0].reasons;
    assert.deepEqual([why.kind, why.label, why.actions, why.dagWide, why.reverted], ['tag', 'via tag sales_edit', ['read', 'edit'], false, false]);
    assert.deepEqual([why.location!.uri, why.location!.line], [ws.file('airflow-access.yaml'), lineOf(CONFIG, 'tags: [sales_edit]')]);
    assert.match(why.tooltip ?? "", /^Tag `sales_edit` on the DAG \(\[dags\/a\.py:2\]\(file:\/\/.*\/dags\/a\.py#L2\)\) is mapped to role `sales` in \[airflow-access\.yaml:6\]\(file:.*#L6\): the sync grants read, edit on `DAG:a`\.$/);
    // Without base_role_dag_wide the base role only brings its run permissions: one role-wide entry.
    assert.deepEqual(sales.dagWide?.reasons.map((r) => [r.label, r.actions.join(', ')]), [['role-wide: base role Viewer', 'runs: read, runs: menu_access']]);
    assert.match(sales.dagWide!.reasons[0].tooltip ?? "", /read, menu_access on the runs of every DAG the role may read/);
  });

  test('access_control opens the DAG file line; the tag grant it reverts is kept and marked', () => {
    const ops = role('ops');
    assert.deepEqual(ops.dags.map((d) => [d.dagId, d.actions, d.reasons.map((r) => r.label)]), [['b', ['read'], ['via access_control']]]);
    assert.deepEqual([ops.dags[0].reasons[0].location!.uri, ops.dags[0].reasons[0].location!.line], [ws.file('dags/b.py'), lineOf(B, 'access_control')]);
    const onB = role('sales').dags[1];
    assert.deepEqual([onB.dagId, onB.actions], ['b', []]);
    assert.deepEqual(onB.reasons.map((r) => [r.label, r.reverted]), [['via tag sales_edit (reverted by access_control)', true]]);
    assert.match(onB.reasons[0].tooltip ?? "", /Reverted: the DAG's access_control is authoritative/);
  });

  test('a role/DAG entry carries the engine\'s findings about the pair, the same the matrix cell lists', () => {
    const onB = role('sales').dags.find((d) => d.dagId === 'b')!;
    assert.equal(onB.findings?.length, 1, JSON.stringify(onB));
    assert.equal(onB.findings![0]!.severity, 'warning');
    assert.match(onB.findings![0]!.message, /^Tag 'sales_edit' grants 'sales' access, but the DAG's access_control is authoritative: Airflow reverts the grant/);
    const salesOnB = dag('b').roles.find((r) => r.role === 'sales')!;
    assert.deepEqual(salesOnB.findings, onB.findings, 'the DAG → role child says the same');
    // The matrix cell shows the same text (one source: describePair's pairFindings).
    const file = ws.file('dags/b.py');
    const cell = pairMarkdown(ws.project, ws.project.dagAccess(file, ws.project.getFile(file)!.dags[0])!, 'sales');
    assert.ok(cell.includes(`⚠ ${onB.findings![0]!.message}`), cell);
    // No finding: no `findings` key at all.
    assert.equal('findings' in dag('b').roles.find((r) => r.role === 'ops')!, false);
    assert.equal('findings' in role('sales').dags.find((d) => d.dagId === 'a')!, false);
  });

  test('DAG-wide access through the base role is one entry under the role, not a child per DAG', () => {
    const audit = role('audit');
    assert.deepEqual(audit.dags, [], 'no per-DAG grant: its tag is on no DAG');
    assert.deepEqual(audit.dagWide?.actions, ['read', 'runs: read', 'runs: menu_access']);
    assert.deepEqual(audit.dagWide?.reasons.map((r) => [r.kind, r.label, r.dagWide]), [['base_role', 'DAG-wide: base role Viewer', true]]);
    assert.equal(audit.dagWide!.reasons[0].location!.line, lineOf(CONFIG, '  audit:'));
    assert.match(audit.dagWide!.reasons[0].tooltip ?? "", /created from base role `Viewer` .* on every DAG \(the `DAGs` resource\)\.$/);
    // Under a DAG, roles that reach it only DAG-wide are one line, like the default roles.
    const c = dag('c');
    assert.deepEqual(c.roles, []);
    assert.equal(c.dagWideRoles, 'audit: read · runs: read, menu_access');
    assert.match(c.defaultRoles ?? '', /^Admin, Op, User: read, edit, delete .*· Viewer: read/);
    // With a per-DAG grant too, the role is a child with each of its reasons (fetched for this DAG only, each with its tooltip).
    const b = dag('b');
    assert.deepEqual(b.roles.map((r) => [r.role, r.reasons.map((x) => [x.label, !!x.tooltip])]), [
      ['sales', [['via tag sales_edit (reverted by access_control)', true]]],
      ['ops', [['via access_control', true], ['role-wide: base role Viewer', true]]],
    ]);
    assert.match(b.roles[1]!.reasons[1]!.tooltip!, /run permissions|runs of every DAG the role may read/);
    assert.equal(b.dagWideRoles, 'audit: read · runs: read, menu_access');
  });

  test('the first answer is the top level only: counts, no reasons and no tooltips; children come per node', () => {
    const tree = buildAccessTree(ws.project, loc);
    assert.deepEqual(tree.roles.map((r) => [r.role, r.dags, r.reverted, r.dagWide]), [
      ['sales', 1, 1, ['runs: read', 'runs: menu_access']],
      ['audit', 0, 0, ['read', 'runs: read', 'runs: menu_access']],
      ['ops', 1, 0, ['runs: read', 'runs: menu_access']],
    ]);
    assert.deepEqual(tree.dags.map((d) => [d.dagId, d.roles, !!d.dagWideRoles, !!d.defaultRoles]), [['a', 1, true, true], ['b', 2, true, true], ['c', 0, true, true]]);
    assert.deepEqual(tree.roles[0]!.location, { uri: ws.file('airflow-access.yaml'), line: lineOf(CONFIG, '  sales:'), character: 2 });
    assert.doesNotMatch(JSON.stringify(tree), /"reasons"|"tooltip"|via tag/, 'no reasons or Markdown in the first answer');
    // The role's Markdown tooltip comes with its children.
    assert.match(role('sales').tooltip, /^\*\*Role `sales`\*\* — can_read, can_edit/);
    // A node that is gone (renamed since the top level was read) answers nothing rather than failing.
    assert.deepEqual(buildTreeChildren(ws.project, { kind: 'role', name: 'nobody' }, loc), {});
    assert.deepEqual(buildTreeChildren(ws.project, { kind: 'dag', name: 'zzz' }, loc), {});
  });

  test('roleReasons: per-DAG sources before DAG-wide ones, each with the actions it grants', () => {
    const file = ws.file('dags/b.py');
    const access = ws.project.dagAccess(file, ws.project.getFile(file)!.dags[0])!;
    const audit = access.roles.find((r) => r.role === 'audit')!;
    assert.deepEqual(roleReasons(audit).map((r) => [r.kind, r.actions.join(', ')]), [['base_role', 'read, runs: read, runs: menu_access']]);
    const sales = access.roles.find((r) => r.role === 'sales')!;
    assert.deepEqual(roleReasons(sales).map((r) => [r.kind, r.reverted]), [['tag', true]]);
  });

  test('the dag_id hover: one line per role, the reasons as a list with links, default roles on one line, no HTML', () => {
    const file = ws.file('dags/b.py');
    const md = dagAccessMarkdown(ws.project, ws.project.dagAccess(file, ws.project.getFile(file)!.dags[0])!);
    const lines = md.split('\n');
    const block = (role: string) => lines.slice(lines.indexOf(lines.find((l) => l.startsWith(`**${role}**`))!)).join('\n').split('\n\n')[0];
    assert.match(block('sales'), /^\*\*sales\*\* — nothing \(every grant is reverted\)\n- via tag `sales_edit` \(\[airflow-access\.yaml:6\]\[1\]\) — \*reverted by access_control\*$/);
    assert.match(block('ops'), /^\*\*ops\*\* — read · runs: read, menu_access\n- via access_control \(\[dags\/b\.py:5\]\[3\]\) — read\n- role-wide: base role `Viewer` \(\[airflow-access\.yaml:13\]\[4\]\) — runs: read, menu_access$/);
    assert.match(block('audit'), /^\*\*audit\*\* — read · runs: read, menu_access\n- DAG-wide: base role `Viewer` \(\[airflow-access\.yaml:8\]\[2\]\)$/);
    assert.equal(lines.filter((l) => l.startsWith('Default roles (DAG-wide, every DAG): ')).length, 1);
    assert.doesNotMatch(md, /^\*\*(Admin|Op|User|Viewer)\*\*/m, 'default roles folded onto one line');
    assert.doesNotMatch(md, /<\/?[a-z][^>]*>/i, 'no HTML tags');
    assert.doesNotMatch(md, /^\|/m, 'no table');
    // The link targets: reference definitions at the end (narrow lines where Markdown shows as text).
    assert.match(md, /\n\n\[1\]: file:\/\/\S+\/airflow-access\.yaml#L6\n\[2\]: file:\/\/\S+\/airflow-access\.yaml#L8\n\[3\]: file:\/\/\S+\/dags\/b\.py#L5\n\[4\]: file:\/\/\S+#L13$/);
  });
});
