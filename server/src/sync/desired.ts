/**
 * What the config says each role should hold on per-DAG resources, given the DAGs and their tags
 * (deployed `dag_tag` rows or the workspace index). Shared by the planner and drift.
 */
import { cmp, type DbState } from '../db/state';
import { roleFromTag, versionAtLeast } from './inputs';
import {
  BUILTIN_ROLES,
  DAG_PREFIX,
  DAG_RUN_PREFIX,
  RESOURCE_NAME_MAX,
  type PlanInputs,
  type PlanRole,
  type PlanWarning,
} from './types';

export interface DesiredGrant {
  action: string;
  resource: string;
  dagId: string;
  tag: string;
}

export interface Desired {
  /** Roles the sync manages (configured, not Admin, not built-in unless manageBuiltin). */
  managed: PlanRole[];
  /** role → key(action, resource) → grant */
  byRole: Map<string, Map<string, DesiredGrant>>;
  dagRunSupported: boolean;
  dags: { dagId: string; tags: string[] }[];
  warnings: PlanWarning[];
}

export function isBuiltin(role: string): boolean {
  return (BUILTIN_ROLES as readonly string[]).includes(role);
}

export function computeDesired(state: DbState, inputs: PlanInputs): Desired {
  const warnings: PlanWarning[] = [];
  const dagRunSupported = state.schema.dagRunResources || (inputs.airflowVersion !== null && versionAtLeast(inputs.airflowVersion, 2, 10));
  const pattern = inputs.tagPattern ? new RegExp(inputs.tagPattern.source, inputs.tagPattern.flags) : null;
  const managed: PlanRole[] = [];
  const seen = new Set<string>();
  for (const r of inputs.roles) {
    if (seen.has(r.name)) continue;
    seen.add(r.name);
    if (r.name === 'Admin') {
      warnings.push({ code: 'admin-not-managed', role: r.name, message: 'Role "Admin" is never changed by the sync (it already has access to every DAG).' });
    } else if (isBuiltin(r.name) && !inputs.manageBuiltin) {
      warnings.push({ code: 'builtin-not-managed', role: r.name, message: `Built-in role "${r.name}" is not changed by the sync; set manageBuiltin: true to allow it.` });
    } else managed.push(r);
  }
  const dags =
    inputs.tagSource === 'workspace' && inputs.workspaceDags
      ? mergeWorkspace(inputs.workspaceDags)
      : state.dags.map((d) => ({ dagId: d.dagId, tags: d.tags }));

  const byRole = new Map<string, Map<string, DesiredGrant>>();
  for (const r of managed) byRole.set(r.name, new Map());
  const tagToRoles = new Map<string, PlanRole[]>();
  for (const r of managed) for (const t of r.tags) tagToRoles.set(t, [...(tagToRoles.get(t) ?? []), r]);
  const managedByName = new Map(managed.map((r) => [r.name, r]));
  const dagRunWanted = managed.some((r) => r.dagRunActions.length > 0);
  if (dagRunWanted && !dagRunSupported)
    warnings.push({ code: 'dag-run-unsupported', message: 'This Airflow has no per-DAG "DAG Run:" resources (needs Airflow >= 2.10 with FAB >= 1.3); dagRunPermissions are skipped.' });

  for (const dag of dags) {
    const hits = new Map<string, { role: PlanRole; tag: string }>();
    for (const tag of dag.tags) {
      for (const r of tagToRoles.get(tag) ?? []) if (!hits.has(r.name)) hits.set(r.name, { role: r, tag });
      const named = roleFromTag(tag, pattern);
      const r = named !== null ? managedByName.get(named) : undefined;
      if (r && !hits.has(r.name)) hits.set(r.name, { role: r, tag });
    }
    if (hits.size === 0) continue;
    const dagRes = DAG_PREFIX + dag.dagId;
    const runRes = DAG_RUN_PREFIX + dag.dagId;
    for (const { role, tag } of hits.values()) {
      const m = byRole.get(role.name)!;
      if (role.dagActions.length && dagRes.length > RESOURCE_NAME_MAX) {
        warnings.push({ code: 'resource-name-too-long', dagId: dag.dagId, message: `DAG id "${dag.dagId}" is too long for a "${DAG_PREFIX}" resource (${RESOURCE_NAME_MAX} characters); skipped.` });
      } else for (const a of role.dagActions) m.set(`${a}\u0000${dagRes}`, { action: a, resource: dagRes, dagId: dag.dagId, tag });
      if (!dagRunSupported) continue;
      if (role.dagRunActions.length && runRes.length > RESOURCE_NAME_MAX) {
        warnings.push({ code: 'resource-name-too-long', dagId: dag.dagId, message: `DAG id "${dag.dagId}" is too long for a "${DAG_RUN_PREFIX}" resource; skipped.` });
      } else for (const a of role.dagRunActions) m.set(`${a}\u0000${runRes}`, { action: a, resource: runRes, dagId: dag.dagId, tag });
    }
  }
  return { managed, byRole, dagRunSupported, dags, warnings };
}

function mergeWorkspace(ws: NonNullable<PlanInputs['workspaceDags']>): { dagId: string; tags: string[] }[] {
  const m = new Map<string, Set<string>>();
  for (const d of ws) {
    const s = m.get(d.dagId) ?? new Set<string>();
    d.tags.forEach((t) => s.add(t));
    m.set(d.dagId, s);
  }
  return [...m.entries()].map(([dagId, s]) => ({ dagId, tags: [...s].sort(cmp) })).sort((a, b) => cmp(a.dagId, b.dagId));
}
