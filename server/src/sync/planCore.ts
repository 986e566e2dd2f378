/**
 * The grant diff on dense integer indices: roles, actions and resources get small indices, a
 * permission-view is `resource * nActions + action`, a held grant `pvId * nRoles + role`; no string
 * keys or objects per grant until the final GrantChange list. Same rules and same output order as
 * described in plan.ts (role, resource, action by code unit); also returns the database ids each
 * change needs, aligned with the lists (for apply's id-based statements).
 */
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
}

interface Entry {
  role: number; // index into state.roles, or -(k+1) for the k-th created role
  roleName: string;
  act: number;
  res: number;
  dagId: string | null;
  reason: string;
  grant: number; // revokes: index into state.grants
}

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
  const actId = (i: number) => (i < state.actions.length ? state.actions[i].id : -1);
  // Resources: existing ones by name, new ones appended as they are needed.
  const resName = state.resources.map((r) => r.name);
  const resIdx = new Map<string, number>();
  resName.forEach((n, i) => resIdx.set(n, i));
  const resById = new Map(state.resources.map((r, i) => [r.id, i]));
  const resOf = (name: string) => resIdx.get(name) ?? resIdx.set(name, resName.push(name) - 1).get(name)!;
  const perDag = new Map<number, boolean>();
  const isPerDag = (res: number) => perDag.get(res) ?? perDag.set(res, isPerDagResource(resName[res])).get(res)!;
  // Permission-views and held grants.
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
  const holds = (role: number, key: number) => {
    const pv = pvOf(key);
    return pv < 0 || role < 0 ? undefined : held.get(pv * nRoles + role);
  };

  const adds: Entry[] = [];
  const revokes: Entry[] = [];
  const createRoles: SyncPlan['createRoles'] = [];
  const lowerRoles = new Map(state.roles.map((r) => [r.name.toLowerCase(), r.name]));
  const roleSlot = new Map<string, number>();
  const skipRole = new Uint8Array(h.managed.length);
  h.managed.forEach((role, mi) => {
    const existing = roleIdx.get(role.name);
    if (existing !== undefined) return void roleSlot.set(role.name, existing);
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
    roleSlot.set(role.name, slot);
    const base = role.baseRole;
    const baseIdx = base ? roleIdx.get(base) : undefined;
    let copied = 0;
    if (base && baseIdx !== undefined) {
      for (const g of state.grants) {
        if (roleById.get(g.roleId) !== baseIdx) continue;
        const key = pvKeyById.get(g.permissionViewId);
        if (key === undefined || isPerDag(Math.floor(key / nAct))) continue;
        adds.push({ role: slot, roleName: role.name, act: key % nAct, res: Math.floor(key / nAct), dagId: null, reason: `copied from ${base}`, grant: -1 });
        copied++;
      }
    } else if (base) {
      warnings.push({ code: 'base-role-missing', role: role.name, message: `Base role "${base}" of new role "${role.name}" does not exist; the role is created without base permissions.` });
    }
    createRoles.push({ name: role.name, baseRole: base && baseIdx !== undefined ? base : null, copied });
  });

  // Desired per-DAG grants: held ones are marked wanted, the others added.
  const reasons = new Map<string, string>();
  const reason = (tag: string) => reasons.get(tag) ?? reasons.set(tag, `tag "${tag}"`).get(tag)!;
  const seen = new Set<number>();
  const want = (mi: number, role: number, a: number, res: number, dagId: string, tag: string) => {
    const key = res * nAct + a;
    const g = holds(role, key);
    if (g !== undefined) return void (wanted[g] = 1);
    const dedup = key * (h.managed.length + 1) + mi;
    if (seen.has(dedup)) return;
    seen.add(dedup);
    adds.push({ role, roleName: h.managed[mi].name, act: a, res, dagId, reason: reason(tag), grant: -1 });
  };
  for (let i = 0; i < h.hitDag.length; i++) {
    const mi = h.hitRole[i];
    if (skipRole[mi]) continue;
    const role = h.managed[mi];
    const slot = roleSlot.get(role.name)!;
    const dagId = h.dags[h.hitDag[i]].dagId;
    if (h.hitDagOk[i] && role.dagActions.length) {
      const res = resOf(DAG_PREFIX + dagId);
      for (const a of role.dagActions) want(mi, slot, actIdx.get(a)!, res, dagId, h.hitTag[i]);
    }
    if (h.hitRunOk[i] && role.dagRunActions.length) {
      const res = resOf(DAG_RUN_PREFIX + dagId);
      for (const a of role.dagRunActions) want(mi, slot, actIdx.get(a)!, res, dagId, h.hitTag[i]);
    }
  }
  // Revocations: held per-DAG grants of existing cleanup roles that nothing wants.
  const cleanup = new Map<number, string>();
  h.managed.forEach((r, mi) => {
    const slot = roleSlot.get(r.name);
    if (r.cleanup && !skipRole[mi] && slot !== undefined && slot >= 0) cleanup.set(slot, r.name);
  });
  state.grants.forEach((g, i) => {
    const ri = roleById.get(g.roleId);
    const key = pvKeyById.get(g.permissionViewId);
    if (ri === undefined || key === undefined || wanted[i] || !cleanup.has(ri)) return;
    const res = Math.floor(key / nAct);
    if (!isPerDag(res) || held.get(g.permissionViewId * nRoles + ri) !== i) return;
    revokes.push({ role: ri, roleName: cleanup.get(ri)!, act: key % nAct, res, dagId: dagIdOf(resName[res]), reason: 'not explained by the config (cleanup)', grant: i });
  });

  // Order by (role, resource, action) names, via ranks of the names involved.
  const rank = (names: string[], used: Iterable<number>) => {
    const list = [...new Set(used)].sort((x, y) => cmp(names[x], names[y]));
    const r = new Map<number, number>();
    list.forEach((v, i) => r.set(v, i));
    return r;
  };
  const all = adds.concat(revokes);
  const resRank = rank(resName, all.map((e) => e.res));
  const actRank = rank(actName, all.map((e) => e.act));
  const roleRank = new Map([...new Set(all.map((e) => e.roleName))].sort(cmp).map((n, i) => [n, i]));
  const sortKey = (e: Entry) => (roleRank.get(e.roleName)! * (resRank.size + 1) + resRank.get(e.res)!) * (actRank.size + 1) + actRank.get(e.act)!;
  // Sort key and index packed in one float (key × 2^21 + index; exact below 2^53), sorted natively.
  const order = (xs: Entry[]) => {
    const keys = xs.map(sortKey);
    // Too many entries or names to pack exactly: comparator sort.
    if (xs.length >= INDEX_SPAN || (roleRank.size + 1) * (resRank.size + 1) * (actRank.size + 1) * INDEX_SPAN >= Number.MAX_SAFE_INTEGER)
      return keys.map((_, i) => i).sort((x, y) => keys[x] - keys[y]).map((i) => xs[i]);
    const packed = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) packed[i] = keys[i] * INDEX_SPAN + i;
    packed.sort();
    return Array.from(packed, (p) => xs[p % INDEX_SPAN]);
  };
  const addSorted = order(adds);
  const revSorted = order(revokes);
  const change = (e: Entry): GrantChange => ({ role: e.roleName, action: actName[e.act], resource: resName[e.res], dagId: e.dagId, reason: e.reason });

  const createActions = [...new Set(addSorted.map((e) => e.act).filter((a) => actId(a) < 0))].map((a) => actName[a]).sort(cmp);
  const createResources = [...new Set(addSorted.map((e) => e.res).filter((r) => r >= state.resources.length))].map((r) => resName[r]).sort(cmp);
  const pvSeen = new Set<number>();
  const newPvs: number[] = [];
  for (const e of addSorted) {
    const key = e.res * nAct + e.act;
    if (pvOf(key) >= 0 || pvSeen.has(key)) continue;
    pvSeen.add(key);
    newPvs.push(key);
  }
  const pvRes = rank(resName, newPvs.map((k) => Math.floor(k / nAct)));
  const pvAct = rank(actName, newPvs.map((k) => k % nAct));
  newPvs.sort((x, y) => pvRes.get(Math.floor(x / nAct))! - pvRes.get(Math.floor(y / nAct))! || pvAct.get(x % nAct)! - pvAct.get(y % nAct)!);
  return {
    add: addSorted.map(change),
    revoke: revSorted.map(change),
    createRoles: createRoles.sort((a, b) => cmp(a.name, b.name)),
    createActions,
    createResources,
    createPermissionViews: newPvs.map((k) => ({ action: actName[k % nAct], resource: resName[Math.floor(k / nAct)] })),
    warnings,
    ids: {
      addRoleId: addSorted.map((e) => (e.role >= 0 ? state.roles[e.role].id : -1)),
      addPvId: addSorted.map((e) => pvOf(e.res * nAct + e.act)),
      revokeRow: revSorted.map((e) => ({ id: state.grants[e.grant].id, pv: state.grants[e.grant].permissionViewId, role: state.grants[e.grant].roleId })),
    },
  };
}
