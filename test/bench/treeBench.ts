/**
 * `tree_first_ms` / `tree_bytes`: the "Airflow Access" tree on the synthetic workspace (50 roles)
 * through the real server. The first answer (airflowDagAccess/tree: roles, DAGs and assets with
 * counts) is what the view waits for; a node's children (airflowDagAccess/treeChildren, with the
 * reasons and Markdown tooltips) come when it is expanded: measured on the role reaching the most DAGs.
 * Bytes are the JSON of the answer (what crosses stdio, without the LSP framing).
 */
import type { TreeChildrenRequest, TreeRequest } from '../../server/src/protocol';
import type { LspClient } from '../helpers/lspClient';
import { ms, verdict, type Row } from './report';

const now = () => Number(process.hrtime.bigint()) / 1e6;

export async function treeBench(client: LspClient, label: string): Promise<Row[]> {
  let t = now();
  const tree = await client.request<TreeRequest.Result>('airflowDagAccess/tree', {});
  const firstMs = now() - t;
  const bytes = Buffer.byteLength(JSON.stringify(tree));
  t = now();
  await client.request<TreeRequest.Result>('airflowDagAccess/tree', {});
  const againMs = now() - t;
  const biggest = [...tree.roles].sort((a, b) => b.dags + b.reverted - (a.dags + a.reverted))[0];
  let childMs = NaN;
  let childBytes = 0;
  let childCount = 0;
  if (biggest) {
    t = now();
    const c = await client.request<TreeChildrenRequest.Result>('airflowDagAccess/treeChildren', { node: { kind: 'role', name: biggest.role } });
    childMs = now() - t;
    childBytes = Buffer.byteLength(JSON.stringify(c));
    childCount = c.role?.dags.length ?? 0;
  }
  const dag = tree.dags.find((d) => d.roles > 0) ?? tree.dags[0];
  let dagMs = NaN;
  if (dag) {
    t = now();
    await client.request<TreeChildrenRequest.Result>('airflowDagAccess/treeChildren', { node: { kind: 'dag', name: dag.dagId } });
    dagMs = now() - t;
  }
  const sfx = label.startsWith('10k') ? '' : '_1k';
  const mb = (n: number) => `${(n / 1048576).toFixed(2)} MB`;
  const size = `${tree.roles.length} roles, ${tree.dags.length} DAGs, ${tree.assets.length} assets`;
  return [
    {
      id: `tree_first_ms${sfx}`,
      section: label,
      metric: 'tree view: first answer (top level) / a node\'s children',
      value: `${ms(firstMs)} (again ${ms(againMs)}); role ${biggest?.role ?? '—'}'s ${childCount} DAGs ${ms(childMs)}, a DAG's roles ${ms(dagMs)}`,
      target: 'first ≤ 1.00 s',
      verdict: verdict(firstMs <= 1000),
      data: { value: firstMs, againMs, roleChildrenMs: childMs, dagChildrenMs: dagMs },
      note: size,
    },
    {
      id: `tree_bytes${sfx}`,
      section: label,
      metric: 'tree view: JSON of the first answer / of the largest role\'s children',
      value: `${mb(bytes)} / ${mb(childBytes)}`,
      target: 'first ≤ 3 MB',
      verdict: verdict(bytes <= 3 * 1048576),
      data: { value: bytes, roleChildrenBytes: childBytes, roleChildren: childCount },
      note: `${size}; before the lazy tree the first answer held every child and tooltip (about 6.2 MB at 2,000 DAGs × 20 roles)`,
    },
  ];
}
