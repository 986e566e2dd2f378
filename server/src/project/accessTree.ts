/**
 * Data of the "Airflow Access" tree: roles → the DAGs they reach and why, DAGs → the roles reaching
 * them and why, assets → teams that may trigger their consumers. Every "why" is a GrantReason read
 * from the engine's provenance (engine/grantReasons.ts), the same the hover and explain show.
 * A role's DAG-wide access (base role, role-wide DB grant) is one entry, not one per DAG.
 */
import type { TreeRequest } from '../protocol';
import type { DagAccess, RoleAccess } from '../model/access';
import type { DagFact, Range } from '../model/facts';
import { actionsText, reasonDetailMarkdown, roleReasons, type GrantReason } from '../engine/grantReasons';
import { defaultRolesLine, isPlainDefaultRole } from '../engine/reach';
import { dagName, link, roleMarkdown } from './describe';
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

/** Effective actions ("read", "runs: read") of reasons that access_control does not revert. */
function liveActions(reasons: readonly GrantReason[]): string[] {
  const out: string[] = [];
  for (const r of reasons) if (!r.reverted) for (const a of r.actions) if (!out.includes(a)) out.push(a);
  return out;
}

function effectiveActions(r: RoleAccess): string[] {
  return [...r.dagActions.map((a) => a.replace(/^can_/, '')), ...r.dagRunActions.map((a) => `runs: ${a.replace(/^can_/, '')}`)];
}

/** `isCancelled` is polled between DAGs (a large workspace). */
export function buildAccessTree(project: Project, loc: Loc, isCancelled: () => void = () => {}): TreeRequest.Result {
  const dags: DagEntry[] = project
    .allDags()
    .filter(({ dag }) => dag.dagId.kind === 'static')
    .map(({ file, dag }) => {
      isCancelled();
      return { file, dag, access: project.dagAccess(file, dag) };
    });
  return { roles: roleNodes(project, dags, loc), dags: dagNodes(project, dags, loc), assets: assetNodes(project, loc, isCancelled) };
}

function roleNodes(project: Project, dags: DagEntry[], loc: Loc): TreeRequest.Result['roles'] {
  const config = project.config;
  return (config?.roles ?? []).map((role) => {
    const wide = new Map<string, Reason>();
    const perDag: TreeRequest.Result['roles'][number]['dags'] = [];
    for (const d of dags) {
      const ra = d.access?.roles.find((x) => x.role === role.name);
      if (!ra) continue;
      const reasons = roleReasons(ra);
      const name = dagName(d.dag);
      // The role's DAG-wide access is the same on every DAG: collect it once.
      for (const r of reasons.filter((x) => x.dagWide)) if (!wide.has(r.label)) wide.set(r.label, toReason(project, r, null, loc));
      const own = reasons.filter((x) => !x.dagWide);
      if (own.length) perDag.push({ dagId: name, actions: liveActions(own), location: loc(d.file, d.dag.dagId.range), reasons: own.map((r) => toReason(project, r, name, loc)) });
    }
    const wideReasons = [...wide.values()];
    const wideActions = [...new Set(wideReasons.filter((r) => !r.reverted).flatMap((r) => r.actions))];
    return {
      role: role.name,
      location: loc(config!.file, role.nameRange),
      tooltip: roleMarkdown(project, role),
      ...(wideReasons.length ? { dagWide: { actions: wideActions, reasons: wideReasons } } : {}),
      dags: perDag,
    };
  });
}

function dagNodes(project: Project, dags: DagEntry[], loc: Loc): TreeRequest.Result['dags'] {
  // Default roles that reach a DAG only through their DAG-wide access are one line (`defaultRoles`),
  // and so are custom roles whose access to it is only DAG-wide (`dagWideRoles`): the same on every
  // DAG, their "why" is on the role's own "all DAGs" line. Children are the roles with something
  // particular on this DAG.
  const configRoles = new Set((project.config?.roles ?? []).map((r) => r.name));
  return dags.map((d) => {
    const name = dagName(d.dag);
    const line = d.access ? defaultRolesLine(d.access.roles) : '';
    const roles: TreeRequest.Result['dags'][number]['roles'] = [];
    const wideOnly: RoleAccess[] = [];
    for (const r of d.access?.roles ?? []) {
      if (isPlainDefaultRole(r)) continue;
      const reasons = roleReasons(r);
      const actions = effectiveActions(r);
      if (!actions.length && !reasons.some((x) => x.reverted)) continue;
      if (!r.builtin && reasons.every((x) => x.dagWide && !x.reverted)) wideOnly.push(r);
      else {
        // A config role's DAG-wide reasons are on its `dagWide` entry (same tooltip): not repeated per DAG.
        const shared = (x: GrantReason) => x.dagWide && configRoles.has(r.role);
        roles.push({ role: r.role, actions, reasons: reasons.map((x) => (shared(x) ? withoutTooltip(toReason(project, x, null, loc)) : toReason(project, x, name, loc))) });
      }
    }
    const wideLine = groupedLine(wideOnly);
    return {
      dagId: name,
      location: loc(d.file, d.dag.dagId.range),
      ...(d.access?.notImported ? { notImported: d.access.notImported } : {}),
      roles,
      ...(wideLine ? { dagWideRoles: wideLine } : {}),
      ...(line ? { defaultRoles: line } : {}),
    };
  });
}

function withoutTooltip({ tooltip: _, ...r }: Reason): Reason {
  return r;
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

