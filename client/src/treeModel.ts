/**
 * Turns the server's TreeRequest result into display nodes for the "Airflow Access" view:
 * Roles → DAGs → permissions, DAGs → roles, Assets → teams that may trigger their consumers.
 * The top level comes first (counts only); a role's or DAG's children when it is expanded.
 * Pure (no vscode import) so unit tests cover it; treeView.ts maps nodes to TreeItems.
 */
import type { TreeChildrenRequest, TreeRequest } from '../../server/src/protocol';

export interface TreeNode {
  /** Unique and stable across refreshes (keeps expansion state). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Markdown tooltip (provenance with links); wins over `tooltip`. */
  tooltipMarkdown?: string;
  /** Codicon id. */
  icon: string;
  location?: TreeRequest.Location;
  children: TreeNode[];
  /** Initially expanded (top-level groups). */
  expanded?: boolean;
  /**
   * Children (and, for a role, the tooltip) are fetched from the server when the node is expanded
   * or hovered (TreeChildrenRequest): `roleChildren` / `dagChildren` build them.
   */
  lazy?: TreeChildrenRequest.Params['node'];
}

/** The top level: roles, DAGs and assets with counts; a role's and a DAG's children are `lazy`. */
export function buildTree(result: TreeRequest.Result, idPrefix = ''): TreeNode[] {
  const p = idPrefix;
  const roles: TreeNode[] = result.roles.map((r) => ({
    id: `${p}role/${r.role}`,
    label: r.role,
    description: roleDescription(r),
    icon: 'person',
    location: r.location,
    children: [],
    ...(r.dags + r.reverted > 0 || r.dagWide ? { lazy: { kind: 'role' as const, name: r.role } } : {}),
  }));
  const dags: TreeNode[] = result.dags.map((d) => ({
    id: `${p}dag/${d.dagId}`,
    label: d.dagId,
    description: d.notImported ? 'not registered: Airflow cannot import this file' : countText(d.roles, 'role') + (d.dagWideRoles ? ' + DAG-wide roles' : '') + (d.defaultRoles ? ' + default roles' : ''),
    ...(d.notImported ? { tooltip: d.notImported } : {}),
    icon: d.notImported ? 'warning' : 'symbol-class',
    location: d.location,
    children: [],
    ...(d.roles > 0 || d.dagWideRoles || d.defaultRoles ? { lazy: { kind: 'dag' as const, name: d.dagId } } : {}),
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

/** A role's children: DAG-wide access as one line ("all DAGs"), then one child per DAG it reaches through a per-DAG grant. */
export function roleChildren(r: TreeRequest.RoleDetail, idPrefix = ''): TreeNode[] {
  const id = `${idPrefix}role/${r.role}`;
  const wide: TreeNode[] = r.dagWide
    ? [{
        id: `${id}/-dag-wide`,
        label: allDagsLabel(r.dagWide.actions),
        description: `${actionsText(r.dagWide.actions)} — ${labels(r.dagWide.reasons)}`,
        tooltipMarkdown: reasonsTooltip(`**${r.role}** on every DAG`, r.dagWide.reasons),
        icon: 'globe',
        location: firstLocation(r.dagWide.reasons),
        children: reasonChildren(`${id}/-dag-wide`, r.dagWide.reasons),
      }]
    : [];
  return [...wide, ...r.dags.map((d) => grantNode(`${id}/${d.dagId}`, d.dagId, 'symbol-class', d.actions, d.reasons, `**${r.role}** on DAG \`${d.dagId}\``, d.findings))];
}

/** A DAG's children: the default roles' and custom roles' DAG-wide access on one line each, then the roles with something particular on it. */
export function dagChildren(d: TreeRequest.DagDetail, idPrefix = ''): TreeNode[] {
  const id = `${idPrefix}dag/${d.dagId}`;
  return [
    // The default roles' DAG-wide access is the same on every DAG: one line, not a node each.
    ...(d.defaultRoles
      ? [{
          id: `${id}/-defaults`,
          label: 'Default roles (DAG-wide)',
          description: d.defaultRoles,
          tooltipMarkdown: `Airflow's default roles hold these permissions on the \`DAGs\` and \`DAG Runs\` resources, so on every DAG:\n\n${d.defaultRoles.split(' · ').map((x) => `- ${x}`).join('\n')}`,
          icon: 'globe',
          children: [],
        }]
      : []),
    ...(d.dagWideRoles
      ? [{
          id: `${id}/-dag-wide`,
          label: 'Roles with DAG-wide access',
          description: d.dagWideRoles,
          tooltipMarkdown: `These roles hold their access on every DAG (the \`DAGs\` resource), not through a grant on this one. Each role's "all DAGs" line under **Roles** says where it comes from:\n\n${d.dagWideRoles.split(' · ').map((x) => `- ${x}`).join('\n')}`,
          icon: 'globe',
          children: [],
        }]
      : []),
    ...d.roles.map((r) => grantNode(`${id}/${r.role}`, r.role, 'person', r.actions, r.reasons, `**${r.role}** on DAG \`${d.dagId}\``, r.findings)),
  ];
}

function group(id: string, label: string, icon: string, children: TreeNode[]): TreeNode {
  return { id, label, description: String(children.length), icon, children, expanded: true };
}

type Reason = TreeRequest.Reason;
type Finding = TreeRequest.Finding;

/**
 * A role on a DAG (or a DAG under a role): "read, edit — via tag x_edit". A click opens where the
 * grant is written; with more than one source each is a child of its own.
 */
function grantNode(id: string, label: string, icon: string, actions: string[], reasons: Reason[], title: string, findings: Finding[] = []): TreeNode {
  const reverted = reasons.length > 0 && reasons.every((r) => r.reverted);
  // The engine's findings about the pair (what the matrix cell lists): a warning on the entry, the text in its tooltip.
  const warned = findings.some((f) => f.severity !== 'info');
  const findingsText = findings.length ? ` — ${warned ? '⚠' : 'ℹ'} ${countText(findings.length, 'finding')}` : '';
  const tooltip = reasonsTooltip(title, reasons) + (findings.length ? `\n\n${findings.map((f) => `${f.severity === 'info' ? 'ℹ' : '⚠'} ${f.message}`).join('\n\n')}` : '');
  return {
    id,
    label,
    description: `${actions.length ? actionsText(actions) : 'nothing'} — ${labels(reasons)}${findingsText}`,
    tooltipMarkdown: tooltip,
    icon: reverted || warned ? 'warning' : icon,
    location: firstLocation(reasons),
    children: reasonChildren(id, reasons),
  };
}

function reasonChildren(id: string, reasons: Reason[]): TreeNode[] {
  if (reasons.length < 2) return [];
  return reasons.map((r, i) => ({
    id: `${id}/-why/${i}`,
    label: r.label,
    description: actionsText(r.actions),
    tooltipMarkdown: r.tooltip ?? r.label,
    icon: REASON_ICON[r.kind] ?? 'info',
    location: r.location,
    children: [],
  }));
}

const REASON_ICON: Record<string, string> = { tag: 'tag', access_control: 'shield', base_role: 'globe', default_role: 'globe', db: 'database' };

function labels(reasons: Reason[]): string {
  return reasons.map((r) => r.label).join(', ') || 'no reason known';
}

function firstLocation(reasons: Reason[]): TreeRequest.Location | undefined {
  return reasons.find((r) => r.location)?.location;
}

function reasonsTooltip(title: string, reasons: Reason[]): string {
  return [title, '', ...reasons.map((r) => `- ${(r.tooltip ?? r.label).replace(/\n\n/g, ' ')}`)].join('\n');
}

/** "read, edit · runs: read" from ["read", "edit", "runs: read"]. */
export function actionsText(actions: readonly string[]): string {
  const dag = actions.filter((a) => !a.startsWith('runs: '));
  const runs = actions.filter((a) => a.startsWith('runs: ')).map((a) => a.slice(6));
  return [dag.join(', '), runs.length ? `runs: ${runs.join(', ')}` : ''].filter(Boolean).join(' · ') || 'nothing';
}

/** "all DAGs" when the role holds something on the 'DAGs' resource; "runs of the DAGs it reads" for run actions only. */
function allDagsLabel(actions: readonly string[]): string {
  return actions.some((a) => !a.startsWith('runs: ')) || actions.length === 0 ? 'all DAGs' : 'runs of the DAGs it reads';
}

/** "1 DAG + all DAGs (1 reverted)": DAGs it reaches per DAG, DAG-wide access, grants access_control reverts. */
function roleDescription(r: TreeRequest.RoleSummary): string {
  const wide = r.dagWide && r.dagWide.some((a) => !a.startsWith('runs: ')) ? ' + all DAGs' : '';
  return countText(r.dags, 'DAG') + wide + (r.reverted ? ` (${r.reverted} reverted)` : '');
}

function countText(n: number, word: string): string {
  return `${n} ${n === 1 ? word : word + 's'}`;
}

function assetTooltip(a: TreeRequest.Result['assets'][number]): string {
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : '—');
  return `${a.key}\nProducers: ${list(a.producers)}\nConsumers: ${list(a.consumers)}\nTeams that may trigger: ${list(a.triggeringTeams)}`;
}
