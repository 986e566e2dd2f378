/**
 * Data of the "Airflow Access" tree: roles → the DAGs they reach and why, DAGs → the roles reaching
 * them and why, assets → teams that may trigger their consumers. Every "why" is a GrantReason read
 * from the engine's provenance (engine/grantReasons.ts), the same the hover and explain show.
 * A role's DAG-wide access (base role, role-wide DB grant) is one entry, not one per DAG.
 * Lazy: the first answer has counts only; a node's reasons and tooltips come when it is expanded.
 * Each role-on-DAG entry also carries the engine's findings about the pair (describePair.ts's
 * pairFindings, what the matrix cell lists): e.g. its tag grant is reverted by access_control.
 */
import type { TreeChildrenRequest, TreeRequest } from '../protocol';
import type { RoleConfig } from '../model/config';
import type { DagAccess, RoleAccess } from '../model/access';
import type { DagFact, Range } from '../model/facts';
import { actionsText, reasonDetailMarkdown, roleReasons, type GrantReason } from '../engine/grantReasons';
import { defaultRolesLine, isPlainDefaultRole } from '../engine/reach';
import { externalAccessNote } from '../engine/externalAuthAccess';
import { dagName, link, roleMarkdown } from './describe';
import { pairFindings } from './describePair';
import type { Project } from './project';

type Loc = (file: string, range: Range) => TreeRequest.Location;
type Reason = TreeRequest.Reason;

interface DagEntry {
  file: string;
  dag: DagFact;
  access: DagAccess | null;
}

function toReason(project: Project, r: GrantReason, dagId: string | null, loc: Loc): Reason {
  const tooltip = reasonDetailMarkdown(r, dagId, (file, range, label) => link(project, file, range, label));
  return {
    kind: r.kind,
    label: r.label + (r.reverted ? ' (reverted by access_control)' : ''),
    actions: r.actions,
    dagWide: r.dagWide,
    reverted: r.reverted,
    tooltip,
    ...(r.source ? { location: loc(r.source.file, r.source.range) } : {}),
  };
}

/** `{ findings }` when the engine found something about this role on this DAG, else `{}`. */
function findingsOf(access: DagAccess | null, role: string): { findings?: TreeRequest.Finding[] } {
  const findings = access ? pairFindings(access, role) : [];
  return findings.length ? { findings } : {};
}

/** Effective actions ("read", "runs: read") of reasons that access_control does not revert. */
function liveActions(reasons: readonly GrantReason[]): string[] {
  const out: string[] = [];
  for (const r of reasons) if (!r.reverted) for (const a of r.actions) if (!out.includes(a)) out.push(a);
  return out;
}

function effectiveActions(r: RoleAccess): string[] {
  return [...r.dagActions.map((a) => a.replace(/^can_/, '')), ...r.dagRunActions.map((a) => `runs: ${a.replace(/^can_/, '')}`)];
}

function dagEntries(project: Project, isCancelled: () => void): DagEntry[] {
  return project
    .allDags()
    .filter(({ dag }) => dag.dagId.kind === 'static')
    .map(({ file, dag }) => {
      isCancelled();
      return { file, dag, access: project.dagAccess(file, dag) };
    });
}

/**
 * The tree's first answer: roles, DAGs and assets with counts, no reasons and no tooltips (those
 * come with a node's children, `buildTreeChildren`). `isCancelled` is polled between DAGs.
 */
export function buildAccessTree(project: Project, loc: Loc, isCancelled: () => void = () => {}): TreeRequest.Result {
  const dags = dagEntries(project, isCancelled);
  const note = externalAccessNote(project.config?.airflow.authManager ?? 'fab');
  return { ...summaries(project, dags, loc), assets: assetNodes(project, loc, isCancelled), ...(note ? { note } : {}) };
}

/** One node's children: a config role's DAGs and DAG-wide line, or a DAG's roles; `{}` when the node is gone. */
export function buildTreeChildren(project: Project, node: TreeChildrenRequest.Params['node'], loc: Loc, isCancelled: () => void = () => {}): TreeChildrenRequest.Result {
  if (node.kind === 'role') {
    const role = project.config?.roles.find((r) => r.name === node.name);
    return role ? { role: roleDetail(project, role, dagEntries(project, isCancelled), loc) } : {};
  }
  const found = project.allDags().find(({ dag }) => dag.dagId.kind === 'static' && dag.dagId.value === node.name);
  if (!found) return {};
  return { dag: dagDetail(project, { ...found, access: project.dagAccess(found.file, found.dag) }, loc) };
}

/** One pass over the DAGs: each role's reasons on each DAG are read once, for the role's and the DAG's counts. */
function summaries(project: Project, dags: DagEntry[], loc: Loc): Pick<TreeRequest.Result, 'roles' | 'dags'> {
  const config = project.config;
  const stats = new Map((config?.roles ?? []).map((r) => [r.name, { live: 0, reverted: 0, anyWide: false, wide: new Set<string>() }]));
  const configRoles = new Set(stats.keys());
  const dagNodes = dags.map((d) => {
    const { particular, wideOnly, defaults } = splitDagRoles(d, { roles: configRoles, each: (ra, reasons) => {
      const st = stats.get(ra.role)!;
      for (const r of reasons) {
        if (!r.dagWide) continue;
        st.anyWide = true;
        if (!r.reverted) for (const a of r.actions) st.wide.add(a);
      }
      const own = reasons.filter((x) => !x.dagWide);
      if (own.length && liveActions(own).length) st.live++;
      else if (own.some((x) => x.reverted)) st.reverted++;
    } });
    return {
      dagId: dagName(d.dag),
      location: loc(d.file, d.dag.dagId.range),
      roles: particular.length,
      ...(wideOnly.length ? { dagWideRoles: true } : {}),
      ...(defaults ? { defaultRoles: true } : {}),
      ...(d.access?.notImported ? { notImported: d.access.notImported } : {}),
    };
  });
  const roles = (config?.roles ?? []).map((role) => {
    const st = stats.get(role.name)!;
    return { role: role.name, location: loc(config!.file, role.nameRange), dags: st.live, reverted: st.reverted, ...(st.anyWide ? { dagWide: [...st.wide] } : {}) };
  });
  return { roles, dags: dagNodes };
}

function roleDetail(project: Project, role: RoleConfig, dags: DagEntry[], loc: Loc): TreeRequest.RoleDetail {
  const wide = new Map<string, Reason>();
  const perDag: TreeRequest.RoleDetail['dags'] = [];
  for (const d of dags) {
    const ra = d.access?.roles.find((x) => x.role === role.name);
    if (!ra) continue;
    const reasons = roleReasons(ra);
    const name = dagName(d.dag);
    // The role's DAG-wide access is the same on every DAG: collect it once.
    for (const r of reasons.filter((x) => x.dagWide)) if (!wide.has(r.label)) wide.set(r.label, toReason(project, r, null, loc));
    const own = reasons.filter((x) => !x.dagWide);
    if (own.length) perDag.push({ dagId: name, actions: liveActions(own), location: loc(d.file, d.dag.dagId.range), reasons: own.map((r) => toReason(project, r, name, loc)), ...findingsOf(d.access, role.name) });
  }
  const wideReasons = [...wide.values()];
  const wideActions = [...new Set(wideReasons.filter((r) => !r.reverted).flatMap((r) => r.actions))];
  return {
    role: role.name,
    tooltip: roleMarkdown(project, role),
    ...(wideReasons.length ? { dagWide: { actions: wideActions, reasons: wideReasons } } : {}),
    dags: perDag,
  };
}

/**
 * Default roles that reach a DAG only through their DAG-wide access are one line (`defaultRoles`),
 * and so are custom roles whose access to it is only DAG-wide (`dagWideRoles`): the same on every
 * DAG, their "why" is on the role's own "all DAGs" line. Children are the roles with something
 * particular on this DAG.
 */
function splitDagRoles(d: DagEntry, seen?: { roles: ReadonlySet<string>; each: (r: RoleAccess, reasons: GrantReason[]) => void }): { particular: RoleAccess[]; wideOnly: RoleAccess[]; defaults: string } {
  const particular: RoleAccess[] = [];
  const wideOnly: RoleAccess[] = [];
  for (const r of d.access?.roles ?? []) {
    const plain = isPlainDefaultRole(r);
    // A config role may be a default role by name: its reasons still count for its own node.
    const tracked = seen?.roles.has(r.role) ?? false;
    if (plain && !tracked) continue;
    const reasons = roleReasons(r);
    if (tracked) seen!.each(r, reasons);
    if (plain) continue;
    // A role holding nothing here is still a child when something is reverted or the engine has a finding about it.
    if (!effectiveActions(r).length && !reasons.some((x) => x.reverted) && !d.access!.conflicts.some((c) => c.role === r.role)) continue;
    if (!r.builtin && reasons.every((x) => x.dagWide && !x.reverted)) wideOnly.push(r);
    else particular.push(r);
  }
  return { particular, wideOnly, defaults: d.access ? defaultRolesLine(d.access.roles) : '' };
}

function dagDetail(project: Project, d: DagEntry, loc: Loc): TreeRequest.DagDetail {
  const name = dagName(d.dag);
  const { particular, wideOnly, defaults } = splitDagRoles(d);
  const roles = particular.map((r) => ({ role: r.role, actions: effectiveActions(r), reasons: roleReasons(r).map((x) => toReason(project, x, x.dagWide ? null : name, loc)), ...findingsOf(d.access, r.role) }));
  const wideLine = groupedLine(wideOnly);
  return { dagId: name, roles, ...(wideLine ? { dagWideRoles: wideLine } : {}), ...(defaults ? { defaultRoles: defaults } : {}) };
}

/** "audit, ops: read · sre: read, edit": roles grouped by what they hold. */
function groupedLine(roles: RoleAccess[]): string {
  const groups = new Map<string, string[]>();
  for (const r of roles) {
    const what = actionsText(effectiveActions(r));
    groups.set(what, [...(groups.get(what) ?? []), r.role]);
  }
  return [...groups].map(([what, names]) => `${names.join(', ')}: ${what}`).join(' · ');
}

function assetNodes(project: Project, loc: Loc, isCancelled: () => void): TreeRequest.Result['assets'] {
  const assets: TreeRequest.Result['assets'] = [];
  const seen = new Set<string>();
  for (const f of project.files()) {
    isCancelled();
    for (const a of f.assets) {
      if (!a.key || seen.has(a.key)) continue;
      seen.add(a.key);
      const names = (sides: { dag: DagFact }[]) => [...new Set(sides.map((s) => dagName(s.dag)))];
      const teams = a.accessControl?.producerTeams?.map((t) => t.value) ?? a.allowProducerTeams?.teams.map((t) => t.value) ?? [];
      assets.push({ key: a.key, location: loc(f.file, a.variable?.range ?? a.range), triggeringTeams: teams, consumers: names(project.table.consumersOf(a.key)), producers: names(project.table.producersOf(a.key)) });
    }
  }
  return assets;
}

