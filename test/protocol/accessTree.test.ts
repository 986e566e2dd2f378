/**
 * The "Airflow Access" tree over LSP: the first answer is the top level only (counts, no reasons,
 * no Markdown), and `airflowDagAccess/treeChildren` gives one node's children with why, the same
 * reasons the matrix cell's explanation gives (engine/grantReasons.ts).
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ExplainRequest, TreeChildrenRequest, TreeRequest } from '../../server/src/protocol';
import { exampleWorkspace } from '../helpers/lspClient';

describe('access tree: lazy children over LSP', () => {
  const ws = exampleWorkspace();

  test('the first answer holds roles, DAGs and assets with counts, without reasons or tooltips', async () => {
    const tree = await ws.client.request<TreeRequest.Result>('airflowDagAccess/tree', {});
    assert.deepEqual(tree.roles.map((r) => [r.role, r.dags]), [['analytics_reporting', 1], ['marketing_analyst', 0], ['finance_auditor', 1]]);
    assert.equal(tree.roles.find((r) => r.role === 'analytics_reporting')!.reverted, 1, 'its tag grant on finance_ledger is reverted by access_control');
    const ledger = tree.dags.find((d) => d.dagId === 'finance_ledger')!;
    assert.ok(ledger.roles >= 1 && ledger.defaultRoles, JSON.stringify(ledger));
    assert.doesNotMatch(JSON.stringify(tree), /"reasons"|"tooltip"|via tag/);
  });

  test('expanding a role gives its DAGs with "via tag …" and a click on the config line that maps the tag', async () => {
    const r = await ws.client.request<TreeChildrenRequest.Result>('airflowDagAccess/treeChildren', { node: { kind: 'role', name: 'analytics_reporting' } });
    const role = r.role!;
    assert.match(role.tooltip, /^\*\*Role `analytics_reporting`\*\*/);
    const dag = role.dags.find((d) => d.dagId === 'analytics_reporting_dag')!;
    assert.deepEqual([dag.actions, dag.reasons.map((x) => x.label)], [['read', 'edit', 'delete'], ['via tag analytics_reporting_edit']]);
    assert.match(dag.reasons[0]!.location!.uri, /airflow-access\.yaml$/);
    assert.equal(dag.reasons[0]!.location!.line, ws.text('airflow-access.yaml').split('\n').findIndex((l) => l.includes('tags: [analytics_reporting_edit]')));
    assert.deepEqual(role.dags.find((d) => d.dagId === 'finance_ledger')!.reasons.map((x) => [x.label, x.reverted]), [['via tag analytics_reporting_edit (reverted by access_control)', true]]);
  });

  test('expanding a DAG gives its roles with why; the matrix cell explains the pair with the same reasons', async () => {
    const r = await ws.client.request<TreeChildrenRequest.Result>('airflowDagAccess/treeChildren', { node: { kind: 'dag', name: 'finance_ledger' } });
    const auditor = r.dag!.roles.find((x) => x.role === 'finance_auditor')!;
    const labels = auditor.reasons.map((x) => x.label);
    assert.ok(labels.includes('via access_control'), labels.join(', '));
    assert.match(r.dag!.defaultRoles ?? '', /^Admin, Op, User: read, edit, delete/);
    const ex = await ws.client.request<ExplainRequest.Result>('airflowDagAccess/explain', { dagId: 'finance_ledger', role: 'finance_auditor' });
    const pair = ex.markdown.split('\n---\n')[0]!;
    const pairReasons = pair.split('\n').filter((l) => l.startsWith('- ')).map((l) => /^- (.*?) — /.exec(l)![1]!.replace(/`/g, ''));
    // The tree's plain labels are the pair's Markdown labels without code spans (and without the tree's "(reverted …)" suffix).
    assert.deepEqual(pairReasons, labels.map((l) => l.replace(/ \(reverted by access_control\)$/, '')));
    assert.doesNotMatch(pair, /DAG-wide \(`DAG Runs`/, 'the old per-grant wording is gone');
  });

  test("finance_ledger's child for analytics_reporting carries the engine's finding that access_control reverts its tag grant, as the matrix cell does", async () => {
    const r = await ws.client.request<TreeChildrenRequest.Result>('airflowDagAccess/treeChildren', { node: { kind: 'dag', name: 'finance_ledger' } });
    const analytics = r.dag!.roles.find((x) => x.role === 'analytics_reporting')!;
    assert.ok(analytics, JSON.stringify(r.dag!.roles.map((x) => x.role)));
    const revert = analytics.findings?.find((f) => /^Tag 'analytics_reporting_edit' grants 'analytics_reporting' access, but the DAG's access_control is authoritative/.test(f.message));
    assert.ok(revert, JSON.stringify(analytics.findings));
    assert.equal(revert.severity, 'warning');
    // The role → DAG entry says the same, and so does the explanation of the pair.
    const byRole = await ws.client.request<TreeChildrenRequest.Result>('airflowDagAccess/treeChildren', { node: { kind: 'role', name: 'analytics_reporting' } });
    assert.deepEqual(byRole.role!.dags.find((d) => d.dagId === 'finance_ledger')!.findings, analytics.findings);
    assert.equal(byRole.role!.dags.find((d) => d.dagId === 'analytics_reporting_dag')!.findings, undefined, 'no finding: none listed');
    const ex = await ws.client.request<ExplainRequest.Result>('airflowDagAccess/explain', { dagId: 'finance_ledger', role: 'analytics_reporting' });
    assert.ok(ex.markdown.split('\n---\n')[0]!.includes(`⚠ ${revert.message}`), ex.markdown);
  });

    test('a node that is gone answers nothing; a malformed request is an error, not a crash', async () => {
    assert.deepEqual(await ws.client.request<TreeChildrenRequest.Result>('airflowDagAccess/treeChildren', { node: { kind: 'dag', name: 'no_such_dag' } }), {});
    await assert.rejects(ws.client.request('airflowDagAccess/treeChildren', { node: { kind: 'task', name: 1 } }), /treeChildren needs node/);
    const again = await ws.client.request<TreeChildrenRequest.Result>('airflowDagAccess/treeChildren', { node: { kind: 'role', name: 'finance_auditor' } });
    assert.ok(again.role!.dags.some((d) => d.dagId === 'finance_ledger'));
  });
});
