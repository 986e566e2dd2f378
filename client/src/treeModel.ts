/**
 * Turns the server's TreeRequest result into display nodes for the "Airflow Access" view:
 * Roles → DAGs → permissions, DAGs → roles, Assets → teams that may trigger their consumers.
 * Pure (no vscode import) so unit tests cover it; treeView.ts maps nodes to TreeItems.
 */
import type { TreeRequest } from '../../server/src/protocol';

export interface TreeNode {
  /** Unique and stable across refreshes (keeps expansion state). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id. */
  icon: string;
  location?: TreeRequest.Location;
  children: TreeNode[];
  /** Initially expanded (top-level groups). */
  expanded?: boolean;
}

export function buildTree(result: TreeRequest.Result, idPrefix = ''): TreeNode[] {
  const p = idPrefix;
  const roles: TreeNode[] = result.roles.map((r) => ({
    id: `${p}role/${r.role}`,
    label: r.role,
    description: countText(r.dags.length, 'DAG'),
    icon: 'person',
    location: r.location,
    children: r.dags.map((d) => ({
      id: `${p}role/${r.role}/${d.dagId}`,
      label: d.dagId,
      description: d.actions.join(', ') + dagWideNote(d.dagWide),
      icon: 'symbol-class',
      location: d.location,
      children: d.actions.map((a) => ({ id: `${p}role/${r.role}/${d.dagId}/${a}`, label: a, icon: 'key', children: [] })),
    })),
  }));
  const dags: TreeNode[] = result.dags.map((d) => ({
    id: `${p}dag/${d.dagId}`,
    label: d.dagId,
    description: d.notImported ? 'not registered: Airflow cannot import this file' : countText(d.roles.length, 'role') + (d.defaultRoles ? ' + default roles' : ''),
    ...(d.notImported ? { tooltip: d.notImported } : {}),
    icon: d.notImported ? 'warning' : 'symbol-class',
    location: d.location,
    children: [
      // The default roles' DAG-wide access is the same on every DAG: one line, not a node each.
      ...(d.defaultRoles ? [{ id: `${p}dag/${d.dagId}/-defaults`, label: 'Default roles (DAG-wide)', description: d.defaultRoles, icon: 'globe', children: [] }] : []),
      ...d.roles.map((r) => ({
        id: `${p}dag/${d.dagId}/${r.role}`,
        label: r.role,
        description: r.actions.join(', ') + dagWideNote(r.dagWide),
        icon: 'person',
        children: [],
      })),
    ],
  }));
  const assets: TreeNode[] = result.assets.map((a) => ({
    id: `${p}asset/${a.key}`,
    label: a.key,
    description: countText(a.consumers.length, 'consumer'),
    tooltip: assetTooltip(a),
    icon: 'database',
    location: a.location,
    children:
      a.triggeringTeams.length > 0
        ? a.triggeringTeams.map((t) => ({ id: `${p}asset/${a.key}/${t}`, label: t, description: 'may trigger', icon: 'organization', children: [] }))
        : [{ id: `${p}asset/${a.key}/-`, label: 'no team may trigger its consumers', icon: 'circle-slash', children: [] }],
  }));
  return [
    group(`${p}roles`, 'Roles', 'person', roles),
    group(`${p}dags`, 'DAGs', 'symbol-class', dags),
    group(`${p}assets`, 'Assets', 'database', assets),
  ];
}

function group(id: string, label: string, icon: string, children: TreeNode[]): TreeNode {
  return { id, label, description: String(children.length), icon, children, expanded: true };
}

/** " (DAG-wide: can_read)": the actions the role holds on every DAG, not through a grant on this one. */
function dagWideNote(actions: string[] | undefined): string {
  return actions?.length ? ` (DAG-wide: ${actions.join(', ')})` : '';
}

function countText(n: number, word: string): string {
  return `${n} ${n === 1 ? word : word + 's'}`;
}

function assetTooltip(a: TreeRequest.Result['assets'][number]): string {
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : '—');
  return `${a.key}\nProducers: ${list(a.producers)}\nConsumers: ${list(a.consumers)}\nTeams that may trigger: ${list(a.triggeringTeams)}`;
}
