/**
 * planSync: pure function from (database state, config) to the changes a sync would make.
 *
 * Scope rules (what the sync may touch): only roles the config names; never Admin; built-in roles
 * only with manageBuiltin; revocations only for roles with `cleanup` and only on per-DAG resources
 * (`DAG:<id>`, `DAG Run:<id>`). Missing roles are created with a copy of their base role's
 * permissions (the manual step of the MWAA tag-sync DAG, automated).
 */
import { createHash } from 'crypto';
import { cmp, type DbState } from '../db/state';
import { releaseOfRevision } from '../db/alembicVersions';
import { accessControlEffect, airflowMajor, whenAirflowReverts } from '../model/accessControlVersions';
import type { AccessConfig } from '../model/config';
import { desiredHits } from './desired';
import { revertedByAccessControl } from '../model/accessControlReverts';
import { diffGrants } from './planCore';
import { rememberPlan } from './planContext';
import { planInputs, type PlanOptions } from './inputs';
import {
  DAG_PREFIX,
  DAG_RUN_PREFIX,
  PLAN_FORMAT,
  type GrantChange,
  type PlanInputs,
  type PlanWarning,
  type SyncPlan,
  type TagDiff,
} from './types';

export function planSync(state: DbState, config: AccessConfig, opts: PlanOptions): SyncPlan {
  return planFromInputs(state, planInputs(config, opts));
}

/** Same as planSync from already-normalised inputs (apply re-plans with the plan's own inputs). */
export function planFromInputs(state: DbState, inputs: PlanInputs): SyncPlan {
  const desired = desiredHits(state, inputs);
  const core = diffGrants(state, desired);
  const warnings: PlanWarning[] = [...desired.warnings, ...core.warnings];
  const add = core.add;
  const revoke = core.revoke;
  const { createRoles, createActions, createResources, createPermissionViews } = core;
  const tagDiffs = diffTags(state, inputs);
  const version = inputs.airflowVersion ?? releaseOfRevision(state.schema.alembicVersion)?.version ?? null;
  const major = state.schema.airflowMajor ?? airflowMajor(version);
  warnings.push(...accessControlWarnings(inputs, add, major), ...noneWipesWarning(version, add, major));
  const summary = {
    add: add.length,
    revoke: revoke.length,
    createRoles: createRoles.length,
    createResources: createResources.length,
    createPermissionViews: createPermissionViews.length,
    createActions: createActions.length,
    warnings: warnings.length,
  };
  const body = { inputs, createRoles, createActions, createResources, createPermissionViews, addGrants: add, revokeGrants: revoke };
  const plan: SyncPlan = {
    format: PLAN_FORMAT,
    planId: planIdOf(body, core.digest),
    target: { dialect: state.schema.dialect, airflowMajor: state.schema.airflowMajor, dagRunResources: desired.dagRunSupported },
    tagSource: inputs.tagSource,
    ...body,
    warnings,
    tagDiffs,
    summary,
    empty: add.length + revoke.length + createRoles.length + createResources.length + createPermissionViews.length + createActions.length === 0,
  };
  rememberPlan(plan, state, core.ids);
  return plan;
}

/** A content hash of the plan's inputs and changes (the grant lists through the core's digest of them). */
function planIdOf(body: Pick<SyncPlan, 'inputs' | 'createRoles' | 'createActions' | 'createResources' | 'createPermissionViews'>, changesDigest: string): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([body.inputs, body.createRoles, body.createActions, body.createResources, body.createPermissionViews]));
  return h.update(changesDigest).digest('hex').slice(0, 16);
}

/**
 * DAGs whose `access_control` Airflow re-applies (authoritative since 2.7.1) and that leaves out some
 * grant this plan adds: Airflow will revoke those. The same rule as check's ADA008 and explain.
 */
function accessControlWarnings(inputs: PlanInputs, add: GrantChange[], major: 2 | 3 | null): PlanWarning[] {
  if (!inputs.workspaceDags) return [];
  const keeps = new Map<string, { file: string; keeps: Set<string> }>();
  for (const d of inputs.workspaceDags) if (d.accessControlKeeps) keeps.set(d.dagId, { file: d.file, keeps: new Set(d.accessControlKeeps) });
  const reverted = new Map<string, Set<string>>();
  for (const g of add) {
    const ac = g.dagId === null ? undefined : keeps.get(g.dagId);
    const resource = g.resource.startsWith(DAG_RUN_PREFIX) ? 'DAG Runs' : g.resource.startsWith(DAG_PREFIX) ? 'DAGs' : null;
    if (!ac || !resource || !revertedByAccessControl(ac.keeps, g.role, resource, g.action)) continue;
    const roles = reverted.get(g.dagId!) ?? reverted.set(g.dagId!, new Set()).get(g.dagId!)!;
    roles.add(g.role);
  }
  const out: PlanWarning[] = [];
  for (const [dagId, roles] of reverted) {
    const names = [...roles].sort(cmp).map((r) => `"${r}"`).join(', ');
    out.push({
      code: 'access-control-reverts',
      dagId,
      file: keeps.get(dagId)!.file,
      message: `DAG "${dagId}" sets access_control without ${names}: Airflow will revoke those tag-based grants on it ${whenAirflowReverts(major)}. Add the role${roles.size === 1 ? '' : 's'} to access_control or remove it.`,
    });
  }
  return out.sort((a, b) => cmp(a.dagId!, b.dagId!));
}

/**
 * Airflow 2.6.2 to 2.7.0 revoke every per-DAG grant of a DAG whose access_control is None (the
 * default) when they sync it (apache/airflow#32839, fixed in 2.7.1 by #33632): one warning for the plan.
 */
function noneWipesWarning(version: string | null, add: GrantChange[], major: 2 | 3 | null): PlanWarning[] {
  const effect = accessControlEffect('absent', version);
  if (!add.some((g) => g.dagId) || (effect.effect !== 'wipe' && !effect.note)) return [];
  const what = effect.effect === 'wipe' ? `Airflow ${version} revokes every per-DAG grant of a DAG without access_control` : effect.note!;
  return [{ code: 'access-control-none-reverts', message: `${what}: the grants this sync adds on such DAGs go ${whenAirflowReverts(major)}. Upgrade to Airflow 2.7.1 or later, or list the roles in each DAG's access_control.` }];
}

function diffTags(state: DbState, inputs: PlanInputs): TagDiff[] {
  if (!inputs.workspaceDags) return [];
  const deployed = new Map(state.dags.map((d) => [d.dagId, d.tags]));
  const out: TagDiff[] = [];
  for (const d of inputs.workspaceDags) {
    const ws = [...new Set(d.tags)].sort(cmp);
    const dep = deployed.get(d.dagId) ?? null;
    if (dep && dep.length === ws.length && dep.every((t, i) => t === ws[i])) continue;
    out.push({ dagId: d.dagId, file: d.file, workspace: ws, deployed: dep });
  }
  return out.sort((a, b) => cmp(a.dagId, b.dagId));
}
