/**
 * The planner's integer-indexed diff (planCore.ts) against a plain name-keyed model of the same
 * rules, on random states and configs: same grants added and revoked, same roles, resources and
 * permissions created, in the documented order (role, resource, action by code unit), and database
 * ids that belong to the names. Seeded; ADA_PLAN_SEED=<n> replays one case.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cmp, type DbState } from '../../../server/src/db/state';
import { desiredHits } from '../../../server/src/sync/desired';
import { planInputs } from '../../../server/src/sync/inputs';
import { planSync } from '../../../server/src/sync/plan';
import { planContext } from '../../../server/src/sync/planContext';
import { DAG_PREFIX, DAG_RUN_PREFIX, isDagWideGrant, isPerDagResource, type PlanInputs, type SyncPlan } from '../../../server/src/sync/types';
import { makeConfig, type RoleSpec } from '../../helpers/dbConfig';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

const ACTIONS = ['can_read', 'can_edit', 'can_delete'];
const RUN_ACTIONS = ['can_read', 'can_create', 'menu_access'];

function randomCase(seed: number): { state: DbState; roles: RoleSpec[] } {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const some = <T>(xs: T[], p: number) => xs.filter(() => r() < p);
  const tags = ['a', 'b', 'c', 'd', 'Ä', 'b '];
  const dagIds = Array.from({ length: 2 + Math.floor(r() * 30) }, (_, i) => pick(['etl', 'Ml', 'zeta', 'é']) + i);
  const roleNames = ['Admin', 'Viewer', 'Op', 'team_a', 'team_B', 'other'];
  // Some actions and resources are missing from the database, so the plan must create them.
  const actionNames = ['DAGs', ...ACTIONS.filter((a) => a === 'can_read' || r() < 0.8), ...(r() < 0.5 ? ['menu_access'] : [])].filter((a) => a !== 'DAGs');
  const resourceNames = ['DAGs', 'Website', ...some(dagIds, 0.7).map((d) => `DAG:${d}`), ...some(dagIds, 0.3).map((d) => `DAG Run:${d}`), ...(r() < 0.5 ? ['DAG:deleted'] : [])];
  const ids = (names: string[], start: number) => names.map((name, i) => ({ id: start + i * 3, name }));
  const roles = ids(roleNames, 7);
  const actions = ids(actionNames, 2);
  const resources = ids(resourceNames, 11);
  const permissionViews: DbState['permissionViews'] = [];
  let pv = 100;
  for (const res of resources) for (const a of actions) if (r() < 0.75) permissionViews.push({ id: (pv += 2), actionId: a.id, resourceId: res.id });
  const grants: DbState['grants'] = [];
  let g = 1;
  for (const p of permissionViews) for (const role of roles) if (r() < 0.25) grants.push({ id: g++, permissionViewId: p.id, roleId: role.id });
  const dags = dagIds.map((dagId) => ({ dagId, tags: [...new Set(some(tags, 0.35))].sort(cmp) }));
  const configured: RoleSpec[] = some(['team_a', 'team_B', 'Op', 'Admin', 'new_x', 'new_y', 'other'], 0.6).map((name) => ({
    name,
    tags: some(tags, 0.4),
    dag: some(ACTIONS, 0.6) as never,
    dagRun: some(RUN_ACTIONS, 0.3) as never,
    cleanup: r() < 0.6,
    baseRole: pick(['Viewer', 'Op', 'missing_base', '']),
    baseRoleDagWide: r() < 0.3,
    revokeDagWide: r() < 0.3,
  }));
  const state: DbState = {
    schema: { dialect: 'sqlite', airflowMajor: 2, activeColumn: 'is_active', hasDagTable: true, hasDagTag: true, fabTables: true, missingFabTables: [], dagRunResources: r() < 0.5, before210: false, hasLog: true, logColumns: [], alembicVersion: null, idExpr: {}, nameTypes: {}, hasUserRole: true },
    roles,
    actions,
    resources,
    permissionViews,
    grants,
    dags,
    inactiveDagIds: [],
  };
  return { state, roles: configured };
}

const key = (role: string, action: string, resource: string) => `${role}\u0000${action}\u0000${resource}`;

/** The grants each managed role should hold, by name: role → key(action, resource) → grant. */
function desiredByName(state: DbState, inputs: PlanInputs) {
  const h = desiredHits(state, inputs);
  const byRole = new Map<string, Map<string, { action: string; resource: string }>>();
  for (const r of h.managed) byRole.set(r.name, new Map());
  for (let i = 0; i < h.hitDag.length; i++) {
    const role = h.managed[h.hitRole[i]!]!;
    const dagId = h.dags[h.hitDag[i]!]!.dagId;
    const m = byRole.get(role.name)!;
    if (h.hitDagOk[i]) for (const a of role.dagActions) m.set(`${a}\u0000${DAG_PREFIX}${dagId}`, { action: a, resource: DAG_PREFIX + dagId });
    if (h.hitRunOk[i]) for (const a of role.dagRunActions) m.set(`${a}\u0000${DAG_RUN_PREFIX}${dagId}`, { action: a, resource: DAG_RUN_PREFIX + dagId });
  }
  return { managed: h.managed, byRole };
}

/** The rules of plan.ts, written the slow and obvious way. */
function model(state: DbState, roles: RoleSpec[]) {
  const inputs = planInputs(makeConfig(roles), { tagSource: 'db' });
  const desired = desiredByName(state, inputs);
  const name = <T extends { id: number; name: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x.name]));
  const roleName = name(state.roles);
  const actName = name(state.actions);
  const resName = name(state.resources);
  const pvNames = new Map(state.permissionViews.map((p) => [p.id, { action: actName.get(p.actionId)!, resource: resName.get(p.resourceId)! }]));
  const held = state.grants.map((g) => ({ role: roleName.get(g.roleId)!, ...pvNames.get(g.permissionViewId)! }));
  const heldKeys = new Set(held.map((h) => key(h.role, h.action, h.resource)));
  const existing = new Set(state.roles.map((r) => r.name));
  const adds: string[] = [];
  const revokes: string[] = [];
  const createRoles: string[] = [];
  for (const role of desired.managed) {
    if (!existing.has(role.name)) {
      createRoles.push(role.name);
      if (role.baseRole && existing.has(role.baseRole))
        for (const h of held)
          if (h.role === role.baseRole && !isPerDagResource(h.resource) && (role.baseRoleDagWide || !isDagWideGrant(h.action, h.resource))) adds.push(key(role.name, h.action, h.resource));
    }
    if (role.revokeDagWide && existing.has(role.name))
      for (const h of held) if (h.role === role.name && isDagWideGrant(h.action, h.resource)) revokes.push(key(h.role, h.action, h.resource));
    const want = desired.byRole.get(role.name)!;
    for (const w of want.values()) if (!heldKeys.has(key(role.name, w.action, w.resource))) adds.push(key(role.name, w.action, w.resource));
    if (role.cleanup && existing.has(role.name))
      for (const h of held) if (h.role === role.name && isPerDagResource(h.resource) && !want.has(`${h.action}\u0000${h.resource}`)) revokes.push(key(h.role, h.action, h.resource));
  }
  const pairs = new Set(state.permissionViews.map((p) => `${actName.get(p.actionId)}\u0000${resName.get(p.resourceId)}`));
  const addNames = adds.map((k) => k.split('\u0000'));
  const createPvs = [...new Set(addNames.map(([, a, r]) => `${a}\u0000${r}`).filter((p) => !pairs.has(p)))];
  return {
    adds: [...new Set(adds)].sort(),
    revokes: [...new Set(revokes)].sort(),
    createRoles: createRoles.sort(cmp),
    createActions: [...new Set(addNames.map(([, a]) => a).filter((a) => !state.actions.some((x) => x.name === a)))].sort(cmp),
    createResources: [...new Set(addNames.map(([, , r]) => r).filter((r) => !state.resources.some((x) => x.name === r)))].sort(cmp),
    createPvs: createPvs.sort(),
  };
}

const byRoleResourceAction = (a: { role: string; resource: string; action: string }, b: typeof a) => cmp(a.role, b.role) || cmp(a.resource, b.resource) || cmp(a.action, b.action);

function check(seed: number): void {
  const { state, roles } = randomCase(seed);
  const plan: SyncPlan = planSync(state, makeConfig(roles), { tagSource: 'db' });
  const want = model(state, roles);
  const names = (gs: SyncPlan['addGrants']) => gs.map((g) => key(g.role, g.action, g.resource));
  const at = `seed ${seed}`;
  assert.deepEqual([...names(plan.addGrants)].sort(), want.adds, `${at}: grants added`);
  assert.deepEqual([...names(plan.revokeGrants)].sort(), want.revokes, `${at}: grants revoked`);
  assert.deepEqual(plan.createRoles.map((r) => r.name), want.createRoles, `${at}: roles created`);
  assert.deepEqual(plan.createActions, want.createActions, `${at}: actions created`);
  assert.deepEqual(plan.createResources, want.createResources, `${at}: resources created`);
  assert.deepEqual(plan.createPermissionViews.map((p) => `${p.action}\u0000${p.resource}`).sort(), want.createPvs, `${at}: permissions created`);
  for (const list of [plan.addGrants, plan.revokeGrants]) assert.deepEqual(list, [...list].sort(byRoleResourceAction), `${at}: order`);
  // The ids the apply writes by belong to those names.
  const ctx = planContext(plan)!;
  const role = new Map(state.roles.map((r) => [r.id, r.name]));
  const pv = new Map(state.permissionViews.map((p) => [p.id, p]));
  const act = new Map(state.actions.map((a) => [a.id, a.name]));
  const res = new Map(state.resources.map((r) => [r.id, r.name]));
  plan.addGrants.forEach((g, i) => {
    const [rid, pid] = [ctx.ids.addRoleId[i], ctx.ids.addPvId[i]];
    if (rid >= 0) assert.equal(role.get(rid), g.role, `${at}: role id of ${g.role}`);
    else assert.ok(want.createRoles.includes(g.role), `${at}: unknown role id only for a created role`);
    if (pid >= 0) assert.deepEqual([act.get(pv.get(pid)!.actionId), res.get(pv.get(pid)!.resourceId)], [g.action, g.resource], `${at}: permission id`);
    else assert.ok(want.createPvs.includes(`${g.action}\u0000${g.resource}`), `${at}: unknown permission id only for a created permission`);
  });
  plan.revokeGrants.forEach((g, i) => {
    const row = ctx.ids.revokeRow[i];
    assert.equal(role.get(row.role), g.role, `${at}: revoked row's role`);
  });
}

test('planner matches the name-keyed model on 400 random states and configs', () => {
  const only = process.env.ADA_PLAN_SEED;
  if (only) return check(Number(only));
  for (let seed = 1; seed <= 400; seed++) check(seed);
});
