/**
 * The grant diff on dense integer indices: roles, actions and resources get small indices, a
 * permission-view is `resource * nActions + action`, a held grant `pvId * nRoles + role`. Changes
 * are kept in parallel number arrays (no object per grant) until the final GrantChange lists. Same
 * rules and same output order as described in plan.ts (role, resource, action by code unit); also
 * returns the database ids each change needs, aligned with the lists (for apply's id-based
 * statements), and a digest of the changes for the plan id.
 */
import { createHash } from 'crypto';
import { cmp, type DbState } from '../db/state';
import type { DesiredHits } from './desired';
import { DAG_PREFIX, DAG_RUN_PREFIX, ROLE_NAME_MAX, dagIdOf, isPerDagResource, type GrantChange, type PlanWarning, type SyncPlan } from './types';

export interface CoreIds {
  /** Per addGrants entry: role id and permission-view id, -1 when created by the same apply. */
  addRoleId: number[];
  addPvId: number[];
  /** Per revokeGrants entry: the grant row as read. */
  revokeRow: { id: number; pv: number; role: number }[];
}

export interface CoreResult {
  add: GrantChange[];
  revoke: GrantChange[];
  createRoles: SyncPlan['createRoles'];
  createActions: string[];
  createResources: string[];
  createPermissionViews: SyncPlan['createPermissionViews'];
  warnings: PlanWarning[];
  ids: CoreIds;
  /** sha256 (hex) of the add and revoke lists' content, from their ranked names (see `digest`). */
  digest: string;
}

/** Growable parallel arrays of changes. `role`: index into state.roles, or -(k+1) for the k-th created role. */
class Changes {
  role: number[] = [];
  act: number[] = [];
  res: number[] = [];
  /** Index into the reasons table. */
  reason: number[] = [];
  /** Index into h.dags, -1: none (copied), -2: from the resource name (revocations). */
  dag: number[] = [];
  /** Revocations: index into state.grants. */
  grant: number[] = [];
  push(role: number, act: number, res: number, reason: number, dag: number, grant: number): void {
    this.role.push(role);
    this.act.push(act);
    this.res.push(res);
    this.reason.push(reason);
    this.dag.push(dag);
    this.grant.push(grant);
  }
  get length(): number {
    return this.role.length;
  }
}

/** Sort key and index packed in one float (key × 2^21 + index; exact below 2^53), sorted natively. */
const INDEX_SPAN = 2 ** 21;

export function diffGrants(state: DbState, h: DesiredHits): CoreResult {
  const warnings: PlanWarning[] = [];
  const roleIdx = new Map(state.roles.map((r, i) => [r.name, i]));
  const roleById = new Map(state.roles.map((r, i) => [r.id, i]));
  // Actions: existing ones, then any configured action not in the database yet.
  const actName = state.actions.map((a) => a.name);
  const actIdx = new Map<string, number>();
  actName.forEach((n, i) => actIdx.set(n, i));
  const actById = new Map(state.actions.map((a, i) => [a.id, i]));
  for (const r of h.managed) for (const a of [...r.dagActions, ...r.dagRunActions]) if (!actIdx.has(a)) actIdx.set(a, actName.push(a) - 1);
  const nAct = actName.length;
  // Resources: existing ones by name, new ones appended as they are needed.
  const resName = state.resources.map((r) => r.name);
  const resIdx = new Map<string, number>();
  resName.forEach((n, i) => resIdx.set(n, i));
  const resById = new Map(state.resources.map((r, i) => [r.id, i]));
  const resOf = (name: string) => resIdx.get(name) ?? resIdx.set(name, resName.push(name) - 1).get(name)!;
  const perDag = new Map<number, boolean>();
  const isPerDag = (res: number) => perDag.get(res) ?? perDag.set(res, isPerDagResource(resName[res])).get(res)!;
  // Permission-view id by key (dense: existing resources × actions; -1 = none). Resources added
  // below have keys past the end, and no permission-view yet.
  const pvAt = new Float64Array(state.resources.length * nAct).fill(-1);
  const pvOf = (key: number) => (key < pvAt.length ? pvAt[key] : -1);
  const pvKeyById = new Map<number, number>();
  for (const pv of state.permissionViews) {
    const a = actById.get(pv.actionId);
    const r = resById.get(pv.resourceId);
    if (a === undefined || r === undefined) continue;
    pvAt[r * nAct + a] = pv.id;
    pvKeyById.set(pv.id, r * nAct + a);
  }
  const nRoles = state.roles.length + 1;
  const held = new Map<number, number>();
  state.grants.forEach((g, i) => {
    const ri = roleById.get(g.roleId);
    if (ri !== undefined && pvKeyById.has(g.permissionViewId)) held.set(g.permissionViewId * nRoles + ri, i);
  });
  const wanted = new Uint8Array(state.grants.length);
  const reasons: string[] = [];
  const reasonIdx = new Map<string, number>();
  const reasonOf = (text: string) => reasonIdx.get(text) ?? reasonIdx.set(text, reasons.push(text) - 1).get(text)!;

  const adds = new Changes();
  const createRoles: SyncPlan['createRoles'] = [];
  const lowerRoles = new Map(state.roles.map((r) => [r.name.toLowerCase(), r.name]));
  const roleSlot = new Int32Array(h.managed.length);
  const skipRole = new Uint8Array(h.managed.length);
  h.managed.forEach((role, mi) => {
    const existing = roleIdx.get(role.name);
    if (existing !== undefined) return void (roleSlot[mi] = existing);
    if (role.name.length > ROLE_NAME_MAX) {
      warnings.push({ code: 'role-name-too-long', role: role.name, message: `Role name "${role.name}" is longer than ${ROLE_NAME_MAX} characters; it cannot be created.` });
      return void (skipRole[mi] = 1);
    }
    const clash = lowerRoles.get(role.name.toLowerCase());
    if (clash && state.schema.dialect === 'mysql') {
      warnings.push({ code: 'role-case-clash', role: role.name, message: `Role "${role.name}" differs from existing role "${clash}" only by case; MySQL treats them as the same name, so it is not created.` });
      return void (skipRole[mi] = 1);
    }
    const slot = -(createRoles.length + 1);
    roleSlot[mi] = slot;
    const base = role.baseRole;
    const baseIdx = base ? roleIdx.get(base) : undefined;
    let copied = 0;
    if (base && baseIdx !== undefined) {
      const why = reasonOf(`copied from ${base}`);
      for (const g of state.grants) {
        if (roleById.get(g.roleId) !== baseIdx) continue;
        const key = pvKeyById.get(g.permissionViewId);
        if (key === undefined || isPerDag(Math.floor(key / nAct))) continue;
        adds.push(slot, key % nAct, Math.floor(key / nAct), why, -1, -1);
        copied++;
      }
    } else if (base) {
      warnings.push({ code: 'base-role-missing', role: role.name, message: `Base role "${base}" of new role "${role.name}" does not exist; the role is created without base permissions.` });
    }
    createRoles.push({ name: role.name, baseRole: base && baseIdx !== undefined ? base : null, copied });
  });
  const roleName = (slot: number) => (slot >= 0 ? state.roles[slot].name : createRoles[-slot - 1].name);

  // Desired per-DAG grants: held ones are marked wanted, the others added.
  // Hits are unique per (DAG, role) and DAG ids are unique, so each (role, resource, action) comes once.
  const tagReason = new Map<string, number>();
  const reasonOfTag = (tag: string) => tagReason.get(tag) ?? tagReason.set(tag, reasonOf(`tag "${tag}"`)).get(tag)!;
  const dagActs = h.managed.map((r) => r.dagActions.map((a) => actIdx.get(a)!));
  const runActs = h.managed.map((r) => r.dagRunActions.map((a) => actIdx.get(a)!));
  const dagRes = new Int32Array(h.dags.length).fill(-1);
  const runRes = new Int32Array(h.dags.length).fill(-1);
  const want = (slot: number, acts: number[], res: number, dag: number, tag: string) => {
    for (const a of acts) {
      const key = res * nAct + a;
      const pv = pvOf(key);
      const g = pv < 0 || slot < 0 ? undefined : held.get(pv * nRoles + slot);
      if (g !== undefined) wanted[g] = 1;
      else adds.push(slot, a, res, reasonOfTag(tag), dag, -1);
    }
  };
  for (let i = 0; i < h.hitDag.length; i++) {
    const mi = h.hitRole[i];
    if (skipRole[mi]) continue;
    const dag = h.hitDag[i];
    if (h.hitDagOk[i] && dagActs[mi].length) {
      if (dagRes[dag] < 0) dagRes[dag] = resOf(DAG_PREFIX + h.dags[dag].dagId);
      want(roleSlot[mi], dagActs[mi], dagRes[dag], dag, h.hitTag[i]);
    }
    if (h.hitRunOk[i] && runActs[mi].length) {
      if (runRes[dag] < 0) runRes[dag] = resOf(DAG_RUN_PREFIX + h.dags[dag].dagId);
      want(roleSlot[mi], runActs[mi], runRes[dag], dag, h.hitTag[i]);
    }
  }
  // Revocations: held per-DAG grants of existing cleanup roles that nothing wants.
  const revokes = new Changes();
  const cleanup = new Set<number>();
  h.managed.forEach((r, mi) => {
    if (r.cleanup && !skipRole[mi] && roleSlot[mi] >= 0) cleanup.add(roleSlot[mi]);
  });
  const cleanupWhy = reasonOf('not explained by the config (cleanup)');
  state.grants.forEach((g, i) => {
    const ri = roleById.get(g.roleId);
    const key = pvKeyById.get(g.permissionViewId);
    if (ri === undefined || key === undefined || wanted[i] || !cleanup.has(ri)) return;
    const res = Math.floor(key / nAct);
    if (!isPerDag(res) || held.get(g.permissionViewId * nRoles + ri) !== i) return;
    revokes.push(ri, key % nAct, res, cleanupWhy, -2, i);
  });

  // Order by (role, resource, action) names, via ranks of the names involved (typed arrays: one
  // lookup per change instead of a Map probe). Roles: existing slot i at i, created slot -(k+1) after them.
  const roleAt = (slot: number) => (slot >= 0 ? slot : state.roles.length - slot - 1);
  const roleNameAt = (i: number) => (i < state.roles.length ? state.roles[i].name : createRoles[i - state.roles.length].name);
  const rank = (size: number, names: (i: number) => string, index: (v: number) => number, ...lists: number[][]) => {
    const used = new Uint8Array(size);
    for (const l of lists) for (const v of l) used[index(v)] = 1;
    const list: number[] = [];
    for (let i = 0; i < size; i++) if (used[i]) list.push(i);
    list.sort((x, y) => cmp(names(x), names(y)));
    const rankOf = new Int32Array(size).fill(-1);
    list.forEach((v, r) => (rankOf[v] = r));
    return { rankOf, list };
  };
  const same = (v: number) => v;
  const roles = rank(state.roles.length + createRoles.length, roleNameAt, roleAt, adds.role, revokes.role);
  const ress = rank(resName.length, (i) => resName[i], same, adds.res, revokes.res);
  const acts = rank(actName.length, (i) => actName[i], same, adds.act, revokes.act);
  const whys = rank(reasons.length, (i) => reasons[i], same, adds.reason, revokes.reason);
  const span = [roles.list.length + 1, ress.list.length + 1, acts.list.length + 1];
  const sortKey = (c: Changes, i: number) => (roles.rankOf[roleAt(c.role[i])] * span[1] + ress.rankOf[c.res[i]]) * span[2] + acts.rankOf[c.act[i]];
  const order = (c: Changes): number[] => {
    // Too many changes or names to pack exactly: comparator sort.
    if (c.length >= INDEX_SPAN || span[0] * span[1] * span[2] * INDEX_SPAN >= Number.MAX_SAFE_INTEGER) {
      const keys = Array.from({ length: c.length }, (_, i) => sortKey(c, i));
      return keys.map((_, i) => i).sort((x, y) => keys[x] - keys[y]);
    }
    const packed = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) packed[i] = sortKey(c, i) * INDEX_SPAN + i;
    packed.sort();
    return Array.from(packed, (p) => p % INDEX_SPAN);
  };
  const addOrder = order(adds);
  const revOrder = order(revokes);
  const change = (c: Changes, i: number): GrantChange => {
    const res = resName[c.res[i]];
    const dag = c.dag[i];
    return { role: roleName(c.role[i]), action: actName[c.act[i]], resource: res, dagId: dag >= 0 ? h.dags[dag].dagId : dag === -2 ? dagIdOf(res) : null, reason: reasons[c.reason[i]] };
  };

  // New actions and resources only come from additions; the rank lists are already in name order.
  const createActions = acts.list.filter((a) => a >= state.actions.length).map((a) => actName[a]);
  const createResources = ress.list.filter((r) => r >= state.resources.length).map((r) => resName[r]);
  const pvSeen = new Uint8Array(resName.length * nAct);
  const newPvs: number[] = [];
  for (let i = 0; i < adds.length; i++) {
    const key = adds.res[i] * nAct + adds.act[i];
    if (pvOf(key) >= 0 || pvSeen[key]) continue;
    pvSeen[key] = 1;
    newPvs.push(key);
  }
  newPvs.sort((x, y) => ress.rankOf[Math.floor(x / nAct)] - ress.rankOf[Math.floor(y / nAct)] || acts.rankOf[x % nAct] - acts.rankOf[y % nAct]);

  // Digest: the ranked name tables, then (role, resource, action, reason, has-DAG) ranks per change.
  const hash = createHash('sha256');
  hash.update(JSON.stringify([roles.list.map(roleNameAt), ress.list.map((i) => resName[i]), acts.list.map((i) => actName[i]), whys.list.map((i) => reasons[i])]));
  for (const [c, ord] of [[adds, addOrder], [revokes, revOrder]] as const) {
    const cells = new Int32Array(1 + ord.length * 5);
    cells[0] = ord.length;
    ord.forEach((i, k) => {
      const o = 1 + k * 5;
      cells[o] = roles.rankOf[roleAt(c.role[i])];
      cells[o + 1] = ress.rankOf[c.res[i]];
      cells[o + 2] = acts.rankOf[c.act[i]];
      cells[o + 3] = whys.rankOf[c.reason[i]];
      cells[o + 4] = c.dag[i] === -1 ? 0 : 1;
    });
    hash.update(cells);
  }
  return {
    add: addOrder.map((i) => change(adds, i)),
    revoke: revOrder.map((i) => change(revokes, i)),
    createRoles: [...createRoles].sort((a, b) => cmp(a.name, b.name)),
    createActions,
    createResources,
    createPermissionViews: newPvs.map((k) => ({ action: actName[k % nAct], resource: resName[Math.floor(k / nAct)] })),
    warnings,
    ids: {
      addRoleId: addOrder.map((i) => (adds.role[i] >= 0 ? state.roles[adds.role[i]].id : -1)),
      addPvId: addOrder.map((i) => pvOf(adds.res[i] * nAct + adds.act[i])),
      revokeRow: revOrder.map((i) => {
        const g = state.grants[revokes.grant[i]];
        return { id: g.id, pv: g.permissionViewId, role: g.roleId };
      }),
    },
    digest: hash.digest('hex'),
  };
}
