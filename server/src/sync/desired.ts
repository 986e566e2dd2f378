/**
 * What the config says each role should hold on per-DAG resources, given the DAGs and their tags
 * (deployed `dag_tag` rows or the workspace index), as the planner (planCore.ts) reads it.
 */
import { cmp, type DbState } from '../db/state';
import { versionAtLeast } from '../model/airflowVersion';
import { isManagedRole, TagResolver } from '../model/tagResolver';
import {
  BUILTIN_ROLES,
  DAG_PREFIX,
  DAG_RUN_PREFIX,
  RESOURCE_NAME_MAX,
  type PlanInputs,
  type PlanRole,
  type PlanWarning,
} from './types';

export function isBuiltin(role: string): boolean {
  return (BUILTIN_ROLES as readonly string[]).includes(role);
}

/**
 * The scope decisions without per-grant objects: which managed role each DAG's tags select (the
 * first tag that selects it), and whether its `DAG:` / `DAG Run:` resources can be written.
 * Hits are flat parallel arrays in DAG order.
 */
export interface DesiredHits {
  managed: PlanRole[];
  dagRunSupported: boolean;
  dags: { dagId: string; tags: string[] }[];
  warnings: PlanWarning[];
  hitDag: number[];
  /** Index into `managed`. */
  hitRole: number[];
  hitTag: string[];
  /** Per hit: grant its dagActions on `DAG:<id>` / its dagRunActions on `DAG Run:<id>`. */
  hitDagOk: boolean[];
  hitRunOk: boolean[];
}

export function desiredHits(state: DbState, inputs: PlanInputs): DesiredHits {
  const warnings: PlanWarning[] = [];
  // The config's version cannot make a pre-2.10 database grow DAG Run permissions: Airflow would never read them.
  const configSays210 = inputs.airflowVersion !== null && versionAtLeast(inputs.airflowVersion, '2.10');
  const dagRunSupported = state.schema.dagRunResources || (configSays210 && !state.schema.before210);
  const managed: PlanRole[] = [];
  const seen = new Set<string>();
  for (const r of inputs.roles) {
    if (seen.has(r.name)) continue;
    seen.add(r.name);
    if (r.name === 'Admin') {
      warnings.push({ code: 'admin-not-managed', role: r.name, message: 'Role "Admin" is never changed by the sync (it already has access to every DAG).' });
    } else if (!isManagedRole(r.name, inputs.manageBuiltin)) {
      warnings.push({ code: 'builtin-not-managed', role: r.name, message: `Built-in role "${r.name}" is not changed by the sync; set manage_builtin: true in the config to allow it.` });
    } else managed.push(r);
  }
  const dags =
    inputs.tagSource === 'workspace' && inputs.workspaceDags
      ? mergeWorkspace(importable(inputs.workspaceDags, warnings))
      : state.dags.map((d) => ({ dagId: d.dagId, tags: d.tags }));

  // Which managed roles a tag selects: model/tagResolver.ts, as the editor's access engine reads it.
  const resolver = planTagResolver(inputs);
  const managedByName = new Map(managed.map((r, i) => [r.name, i]));
  const tagRoles = new Map<string, number[]>();
  const rolesOf = (tag: string): number[] => {
    let ris = tagRoles.get(tag);
    if (!ris) tagRoles.set(tag, (ris = resolver.managedGrants(tag).map((g) => managedByName.get(g.role.name)!)));
    return ris;
  };
  const dagRunWanted = managed.some((r) => r.dagRunActions.length > 0);
  if (dagRunWanted && !dagRunSupported)
    warnings.push({
      code: 'dag-run-unsupported',
      message:
        configSays210 && state.schema.before210
          ? `The config says Airflow ${inputs.airflowVersion}, but the database is an older Airflow 2 (it has no dataset_alias table, which 2.10 added), which has no per-DAG "DAG Run:" resources; dagRunPermissions are skipped. Set airflow.version to the version the database runs.`
          : 'This Airflow has no per-DAG "DAG Run:" resources (needs Airflow >= 2.10 with FAB >= 1.3); dagRunPermissions are skipped.',
    });

  const out: DesiredHits = { managed, dagRunSupported, dags, warnings, hitDag: [], hitRole: [], hitTag: [], hitDagOk: [], hitRunOk: [] };
  const hitSeen = new Int32Array(managed.length).fill(-1);
  let d = 0;
  const hit = (ri: number, tag: string) => {
    if (hitSeen[ri] === d) return;
    hitSeen[ri] = d;
    out.hitDag.push(d);
    out.hitRole.push(ri);
    out.hitTag.push(tag);
  };
  for (; d < dags.length; d++) {
    const dag = dags[d];
    const first = out.hitDag.length;
    for (const tag of dag.tags) for (const ri of rolesOf(tag)) hit(ri, tag);
    if (first === out.hitDag.length) continue;
    const dagTooLong = DAG_PREFIX.length + dag.dagId.length > RESOURCE_NAME_MAX;
    const runTooLong = DAG_RUN_PREFIX.length + dag.dagId.length > RESOURCE_NAME_MAX;
    for (let h = first; h < out.hitDag.length; h++) {
      const role = managed[out.hitRole[h]];
      const dagOk = !(role.dagActions.length && dagTooLong);
      if (!dagOk) warnings.push({ code: 'resource-name-too-long', dagId: dag.dagId, message: `DAG id "${dag.dagId}" is too long for a "${DAG_PREFIX}" resource (${RESOURCE_NAME_MAX} characters); skipped.` });
      const runOk = dagRunSupported && !(role.dagRunActions.length && runTooLong);
      if (dagRunSupported && !runOk) warnings.push({ code: 'resource-name-too-long', dagId: dag.dagId, message: `DAG id "${dag.dagId}" is too long for a "${DAG_RUN_PREFIX}" resource; skipped.` });
      out.hitDagOk.push(dagOk);
      out.hitRunOk.push(runOk);
    }
  }
  return out;
}

/** The tag resolver of a plan's inputs (the config's roles and permission_tag_pattern, JSON-safe). */
export function planTagResolver(inputs: PlanInputs): TagResolver<{ name: string; tags: { value: string }[]; plan: PlanRole }> {
  const roles = inputs.roles.map((r) => ({ name: r.name, tags: r.tags.map((value) => ({ value })), plan: r }));
  return new TagResolver(roles, inputs.tagPattern, inputs.manageBuiltin);
}

/**
 * The DAGs Airflow can import; one warning per DAG left out (its file has a syntax error, or its
 * dag_id has a NUL character, which PostgreSQL cannot store: one such name must not fail the whole
 * sync). Tags with a NUL character are left out the same way (check reports them as ADA025).
 */
function importable(ws: NonNullable<PlanInputs['workspaceDags']>, warnings: PlanWarning[]): NonNullable<PlanInputs['workspaceDags']> {
  const out: NonNullable<PlanInputs['workspaceDags']> = [];
  for (const d of ws) {
    if (d.importError) {
      warnings.push({ code: 'dag-not-importable', dagId: d.dagId, file: d.file, message: `DAG "${d.dagId}" is left out (${d.file}): ${d.importError}` });
    } else if (d.dagId.includes('\u0000')) {
      warnings.push({ code: 'nul-in-name', dagId: d.dagId, file: d.file, message: `DAG ${JSON.stringify(d.dagId)} in ${d.file} is left out: its dag_id contains a NUL character, which the database cannot store.` });
    } else if (d.tags.some((t) => t.includes('\u0000'))) {
      for (const t of d.tags.filter((x) => x.includes('\u0000')))
        warnings.push({ code: 'nul-in-name', dagId: d.dagId, file: d.file, message: `Tag ${JSON.stringify(t)} of DAG "${d.dagId}" (${d.file}) is left out: it contains a NUL character (ADA025).` });
      out.push({ ...d, tags: d.tags.filter((x) => !x.includes('\u0000')) });
    } else out.push(d);
  }
  return out;
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
