/**
 * planSync: pure function from (database state, config) to the changes a sync would make.
 *
 * Scope rules (what the sync may touch): only roles the config names; never Admin; built-in roles
 * only with manageBuiltin; revocations only for roles with `cleanup` and only on per-DAG resources
 * (`DAG:<id>`, `DAG Run:<id>`). Missing roles are created with a copy of their base role's
 * permissions (the manual step of the MWAA tag-sync DAG, automated).
 */
import { createHash } from 'crypto';
import { cmp, indexState, pairKey, type DbState } from '../db/state';
import type { AccessConfig } from '../model/config';
import { computeDesired } from './desired';
import { planInputs, type PlanOptions } from './inputs';
import {
  PLAN_FORMAT,
  ROLE_NAME_MAX,
  dagIdOf,
  isPerDagResource,
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
  const idx = indexState(state);
  const desired = computeDesired(state, inputs);
  const warnings: PlanWarning[] = [...desired.warnings];
  const add: GrantChange[] = [];
  const revoke: GrantChange[] = [];
  const createRoles: SyncPlan['createRoles'] = [];
  const lowerRoles = new Map(state.roles.map((r) => [r.name.toLowerCase(), r.name]));

  for (const role of desired.managed) {
    const want = desired.byRole.get(role.name)!;
    let have = idx.grantsByRole.get(role.name);
    if (!idx.roleByName.has(role.name)) {
      if (role.name.length > ROLE_NAME_MAX) {
        warnings.push({ code: 'role-name-too-long', role: role.name, message: `Role name "${role.name}" is longer than ${ROLE_NAME_MAX} characters; it cannot be created.` });
        continue;
      }
      const clash = lowerRoles.get(role.name.toLowerCase());
      if (clash && state.schema.dialect === 'mysql') {
        warnings.push({ code: 'role-case-clash', role: role.name, message: `Role "${role.name}" differs from existing role "${clash}" only by case; MySQL treats them as the same name, so it is not created.` });
        continue;
      }
      const base = role.baseRole;
      let copied = 0;
      if (base && idx.roleByName.has(base)) {
        for (const [key, g] of idx.grantsByRole.get(base) ?? []) {
          const pv = idx.pvById.get(g.permissionViewId)!;
          if (isPerDagResource(pv.resource) || want.has(key)) continue;
          add.push({ role: role.name, action: pv.action, resource: pv.resource, dagId: null, reason: `copied from ${base}` });
          copied++;
        }
      } else if (base) {
        warnings.push({ code: 'base-role-missing', role: role.name, message: `Base role "${base}" of new role "${role.name}" does not exist; the role is created without base permissions.` });
      }
      createRoles.push({ name: role.name, baseRole: base && idx.roleByName.has(base) ? base : null, copied });
      have = undefined;
    }
    for (const [key, g] of want) {
      if (have?.has(key)) continue;
      add.push({ role: role.name, action: g.action, resource: g.resource, dagId: g.dagId, reason: `tag "${g.tag}"` });
    }
    if (role.cleanup && have) {
      for (const [key, g] of have) {
        const pv = idx.pvById.get(g.permissionViewId)!;
        if (!isPerDagResource(pv.resource) || want.has(key)) continue;
        revoke.push({ role: role.name, action: pv.action, resource: pv.resource, dagId: dagIdOf(pv.resource), reason: 'not explained by the config (cleanup)' });
      }
    }
  }

  const sortChanges = (xs: GrantChange[]) => xs.sort((a, b) => cmp(a.role, b.role) || cmp(a.resource, b.resource) || cmp(a.action, b.action));
  sortChanges(add);
  sortChanges(revoke);
  const createActions = [...new Set(add.map((g) => g.action))].filter((a) => !idx.actionByName.has(a)).sort(cmp);
  const createResources = [...new Set(add.map((g) => g.resource))].filter((r) => !idx.resourceByName.has(r)).sort(cmp);
  const pvSeen = new Set<string>();
  const createPermissionViews: SyncPlan['createPermissionViews'] = [];
  for (const g of add) {
    const k = pairKey(g.action, g.resource);
    if (idx.pvByKey.has(k) || pvSeen.has(k)) continue;
    pvSeen.add(k);
    createPermissionViews.push({ action: g.action, resource: g.resource });
  }
  createPermissionViews.sort((a, b) => cmp(a.resource, b.resource) || cmp(a.action, b.action));
  createRoles.sort((a, b) => cmp(a.name, b.name));

  const tagDiffs = diffTags(state, inputs);
  warnings.push(...accessControlWarnings(inputs, add));
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
  return {
    format: PLAN_FORMAT,
    planId: createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16),
    target: { dialect: state.schema.dialect, airflowMajor: state.schema.airflowMajor, dagRunResources: desired.dagRunSupported },
    tagSource: inputs.tagSource,
    ...body,
    warnings,
    tagDiffs,
    summary,
    empty: add.length + revoke.length + createRoles.length + createResources.length + createPermissionViews.length + createActions.length === 0,
  };
}

/** DAGs whose `access_control` Airflow re-applies (authoritative since 2.7.1): it will revoke what we add. */
function accessControlWarnings(inputs: PlanInputs, add: GrantChange[]): PlanWarning[] {
  if (!inputs.workspaceDags) return [];
  const withAc = new Map(inputs.workspaceDags.filter((d) => d.hasAccessControl).map((d) => [d.dagId, d.file]));
  const out: PlanWarning[] = [];
  const done = new Set<string>();
  for (const g of add) {
    if (!g.dagId || !withAc.has(g.dagId) || done.has(g.dagId)) continue;
    done.add(g.dagId);
    out.push({
      code: 'access-control-reverts',
      dagId: g.dagId,
      file: withAc.get(g.dagId),
      message: `DAG "${g.dagId}" sets access_control: Airflow will revoke the tag-based grants on it at its next parse (Airflow 3) or next change (2.x). Add the roles to access_control or remove it.`,
    });
  }
  return out.sort((a, b) => cmp(a.dagId!, b.dagId!));
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
