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
import { IdIndex, PairIndex, sortByName } from './planIndex';
import { isBuiltin } from './desired';
import { roleCollation, roleNameKey, whyEqual } from './nameCollation';
import { dagWideMessage } from './dagWide';
import { BUILTIN_ROLES, DAG_PREFIX, DAG_RUN_PREFIX, ROLE_NAME_MAX, DAG_WIDE_ACTIONS, DAG_WIDE_RESOURCE, dagIdOf, isDagWideGrant, isPerDagResource, type GrantChange, type PlanWarning, type SyncPlan } from './types';

const byDagAction = (a: string, b: string) => DAG_WIDE_ACTIONS.indexOf(a) - DAG_WIDE_ACTIONS.indexOf(b);

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
  length = 0;
  role: Int32Array;
  act: Int32Array;
  res: Int32Array;
  /** Index into the reasons table. */
  reason: Int32Array;
  /** Index into h.dags, -1: none (copied), -2: from the resource name (revocations). */
  dag: Int32Array;
  /** Revocations: index into state.grants. */
  grant: Int32Array;
  /** `capacity`: the expected number of changes (the arrays grow past it if needed). */
  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    [this.role, this.act, this.res, this.reason, this.dag, this.grant] = [0, 0, 0, 0, 0, 0].map(() => new Int32Array(n));
  }
  push(role: number, act: number, res: number, reason: number, dag: number, grant: number): void {
    if (this.length === this.role.length) this.grow();
    const n = this.length++;
    this.role[n] = role;
    this.act[n] = act;
    this.res[n] = res;
    this.reason[n] = reason;
    this.dag[n] = dag;
    this.grant[n] = grant;
  }
  private grow(): void {
    const more = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    [this.role, this.act, this.res, this.reason, this.dag, this.grant] = [this.role, this.act, this.res, this.reason, this.dag, this.grant].map(more);
  }
}

/** A name in a message, with invisible and control characters written as escapes (JSON string syntax). */
const quoted = (name: string) => JSON.stringify(name).replace(/[\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\u0080-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Sort key and index packed in one float (key × 2^21 + index; exact below 2^53), sorted natively. */
const INDEX_SPAN = 2 ** 21;

export function diffGrants(state: DbState, h: DesiredHits): CoreResult {
  const warnings: PlanWarning[] = [];
  const nStateRoles = state.roles.length;
  const roleIdx = new Map(state.roles.map((r, i) => [r.name, i]));
  const roleById = new IdIndex(state.roles.map((r) => r.id));
  // Actions: existing ones, then any configured action not in the database yet.
  const actName = state.actions.map((a) => a.name);
  const actIdx = new Map<string, number>();
  actName.forEach((n, i) => actIdx.set(n, i));
  const actById = new IdIndex(state.actions.map((a) => a.id));
  for (const r of h.managed) for (const a of [...r.dagActions, ...r.dagRunActions]) if (!actIdx.has(a)) actIdx.set(a, actName.push(a) - 1);
  const nAct = actName.length;
  // Resources: existing ones by name, new ones appended as they are needed.
  const resName = state.resources.map((r) => r.name);
  const resIdx = new Map<string, number>();
  resName.forEach((n, i) => resIdx.set(n, i));
  const resById = new IdIndex(state.resources.map((r) => r.id));
  const resOf = (name: string) => resIdx.get(name) ?? resIdx.set(name, resName.push(name) - 1).get(name)!;
  const perDag = new Map<number, boolean>();
  const isPerDag = (res: number) => perDag.get(res) ?? perDag.set(res, isPerDagResource(resName[res])).get(res)!;
  // 'DAGs' can_read / can_edit / can_delete: a resource index test first (one per grant in the loops below).
  const dagsRes = resIdx.get(DAG_WIDE_RESOURCE) ?? -1;
  const isDagWide = (key: number) => dagsRes >= 0 && Math.floor(key / nAct) === dagsRes && isDagWideGrant(actName[key % nAct], DAG_WIDE_RESOURCE);
  // Permission-view row (position in state.permissionViews) by key (dense: existing resources ×
  // actions; -1 = none). Resources added below have keys past the end, and no permission-view yet.
  const pvAt = new Int32Array(state.resources.length * nAct).fill(-1);
  const pvOf = (key: number) => (key < pvAt.length ? pvAt[key] : -1);
  const pvIdOf = (key: number) => {
    const row = pvOf(key);
    return row < 0 ? -1 : state.permissionViews[row].id;
  };
  // Key of each permission-view row (-1: its action or resource is unknown).
  const pvRow = new IdIndex(state.permissionViews.map((pv) => pv.id));
  const pvKeyAt = new Float64Array(state.permissionViews.length).fill(-1);
  for (let i = 0; i < state.permissionViews.length; i++) {
    const pv = state.permissionViews[i];
    const a = actById.get(pv.actionId);
    const r = resById.get(pv.resourceId);
    if (a < 0 || r < 0) continue;
    pvAt[r * nAct + a] = i;
    pvKeyAt[i] = r * nAct + a;
  }
  const nRoles = state.roles.length + 1;
  // Held grants by (permission-view row, role). Per grant, its role and key (-1: unknown).
  const held = new PairIndex(state.permissionViews.length * nRoles);
  const grantRole = new Int32Array(state.grants.length);
  const grantKey = new Float64Array(state.grants.length);
  const grantPair = new Float64Array(state.grants.length);
  for (let i = 0; i < state.grants.length; i++) {
    const g = state.grants[i];
    const ri = roleById.get(g.roleId);
    const row = pvRow.get(g.permissionViewId);
    const key = row < 0 ? -1 : pvKeyAt[row];
    grantRole[i] = ri;
    grantKey[i] = key;
    grantPair[i] = row * nRoles + ri;
    if (ri >= 0 && key >= 0) held.set(row * nRoles + ri, i);
  }
  const wanted = new Uint8Array(state.grants.length);
  const reasons: string[] = [];
  const reasonIdx = new Map<string, number>();
  const reasonOf = (text: string) => reasonIdx.get(text) ?? reasonIdx.set(text, reasons.push(text) - 1).get(text)!;

  // At most one addition per wanted grant (plus copies of base roles' grants: the arrays grow).
  const adds = new Changes(h.hitRole.reduce((n, mi) => n + h.managed[mi].dagActions.length + h.managed[mi].dagRunActions.length, 0));
  const createRoles: SyncPlan['createRoles'] = [];
  // Names as the database compares them (MySQL/MariaDB collations: nameCollation.ts): a configured
  // name equal to an existing role, a built-in role or an earlier new role is not created.
  const key = roleNameKey(state.schema);
  const takenKeys = new Map<string, string>();
  for (const name of BUILTIN_ROLES) takenKeys.set(key(name), name);
  for (const r of state.roles) takenKeys.set(key(r.name), r.name);
  const roleSlot = new Int32Array(h.managed.length);
  const skipRole = new Uint8Array(h.managed.length);
  h.managed.forEach((role, mi) => {
    const existing = roleIdx.get(role.name);
    if (existing !== undefined) return void (roleSlot[mi] = existing);
    if (role.name.length > ROLE_NAME_MAX) {
      warnings.push({ code: 'role-name-too-long', role: role.name, message: `Role name "${role.name}" is longer than ${ROLE_NAME_MAX} characters; it cannot be created.` });
      return void (skipRole[mi] = 1);
    }
    const k = key(role.name);
    const clash = takenKeys.get(k);
    if (clash !== undefined && clash !== role.name) {
      const collation = roleCollation(state.schema);
      const what = roleIdx.has(clash) ? 'existing role' : isBuiltin(clash) ? 'built-in role' : 'configured role';
      warnings.push({
        code: 'role-case-clash',
        role: role.name,
        message: `Role ${quoted(role.name)} differs from ${what} ${quoted(clash)} ${whyEqual(role.name, clash)}; MySQL/MariaDB${collation ? ` (${collation})` : ''} treat them as the same name, so it is not created and gets no grants.`,
      });
      return void (skipRole[mi] = 1);
    }
    takenKeys.set(k, role.name);
    const slot = -(createRoles.length + 1);
    roleSlot[mi] = slot;
    const base = role.baseRole;
    const baseIdx = base ? roleIdx.get(base) : undefined;
    let copied = 0;
    const wide: string[] = [];
    if (base && baseIdx !== undefined) {
      const why = reasonOf(`copied from ${base}`);
      for (let i = 0; i < state.grants.length; i++) {
        const key = grantKey[i];
        if (grantRole[i] !== baseIdx || key < 0 || isPerDag(Math.floor(key / nAct))) continue;
        // DAG-wide access ('DAGs' can_read/can_edit/can_delete) is left out unless asked for: the
        // role should reach only the DAGs its tags grant (docs/access-model.md, "Base role").
        if (isDagWide(key)) {
          wide.push(actName[key % nAct]);
          if (!role.baseRoleDagWide) continue;
        }
        adds.push(slot, key % nAct, Math.floor(key / nAct), why, -1, -1);
        copied++;
      }
    } else if (base) {
      warnings.push({ code: 'base-role-missing', role: role.name, message: `Base role "${base}" of new role "${role.name}" does not exist; the role is created without base permissions.` });
    }
    const wideSorted = [...new Set(wide)].sort(byDagAction);
    if (wideSorted.length && role.baseRoleDagWide) {
      warnings.push({ code: 'role-dag-wide', role: role.name, message: dagWideMessage(role, wideSorted, { kind: 'base_role', baseRole: base! }) });
    }
    createRoles.push({
      name: role.name,
      baseRole: base && baseIdx !== undefined ? base : null,
      copied,
      ...(wideSorted.length && !role.baseRoleDagWide ? { dagWideLeftOut: wideSorted } : {}),
    });
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
      const g = pv < 0 || slot < 0 ? -1 : held.get(pv * nRoles + slot);
      if (g >= 0) wanted[g] = 1;
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
  const revokes = new Changes(0);
  const cleanup = new Uint8Array(nStateRoles);
  h.managed.forEach((r, mi) => {
    if (r.cleanup && !skipRole[mi] && roleSlot[mi] >= 0) cleanup[roleSlot[mi]] = 1;
  });
  // DAG-wide grants that existing managed roles hold (a role copied from Viewer by hand): shown as a
  // warning, revoked only with revoke_dag_wide: true. Built-in roles are not managed here (Airflow's
  // own sync_roles gives Viewer, User and Op their DAG-wide grants back at the next start anyway).
  const wideOf = new Map<number, number[]>();
  for (let i = 0; i < state.grants.length; i++) {
    const ri = grantRole[i];
    const key = grantKey[i];
    if (ri < 0 || key < 0 || !isDagWide(key) || held.get(grantPair[i]) !== i) continue;
    wideOf.set(ri, [...(wideOf.get(ri) ?? []), i]);
  }
  const wideWhy = reasonOf('DAG-wide grant (every DAG); the role has revoke_dag_wide: true');
  h.managed.forEach((role, mi) => {
    const slot = roleSlot[mi];
    if (skipRole[mi] || slot < 0 || (BUILTIN_ROLES as readonly string[]).includes(role.name)) return;
    const grants = wideOf.get(slot);
    if (!grants) return;
    const actions = [...new Set(grants.map((i) => actName[grantKey[i] % nAct]))].sort(byDagAction);
    warnings.push({ code: 'role-dag-wide', role: role.name, message: dagWideMessage(role, actions, { kind: 'db' }, !!role.revokeDagWide) });
    if (!role.revokeDagWide) return;
    for (const i of grants) revokes.push(slot, grantKey[i] % nAct, Math.floor(grantKey[i] / nAct), wideWhy, -2, i);
  });
  const cleanupWhy = reasonOf('not explained by the config; the role has cleanup: true');
  for (let i = 0; i < state.grants.length; i++) {
    const ri = grantRole[i];
    const key = grantKey[i];
    if (ri < 0 || key < 0 || wanted[i] || !cleanup[ri]) continue;
    const res = Math.floor(key / nAct);
    if (!isPerDag(res) || held.get(grantPair[i]) !== i) continue;
    revokes.push(ri, key % nAct, res, cleanupWhy, -2, i);
  }

  // Order by (role, resource, action) names, via ranks of the names involved (typed arrays: one
  // lookup per change instead of a Map probe). Roles: existing slot i at i, created slot -(k+1) after them.
  const roleAt = (slot: number) => (slot >= 0 ? slot : nStateRoles - slot - 1);
  const roleNameAt = (i: number) => (i < nStateRoles ? state.roles[i].name : createRoles[i - nStateRoles].name);
  const rank = (size: number, names: (i: number) => string, used: Uint8Array) => {
    const seen: number[] = [];
    for (let i = 0; i < size; i++) if (used[i]) seen.push(i);
    const list = sortByName(seen, names);
    const rankOf = new Int32Array(size).fill(-1);
    list.forEach((v, r) => (rankOf[v] = r));
    return { rankOf, list };
  };
  const nRoleAt = nStateRoles + createRoles.length;
  const used = { role: new Uint8Array(nRoleAt), res: new Uint8Array(resName.length), act: new Uint8Array(actName.length), why: new Uint8Array(reasons.length) };
  // Permission-views to create: the keys of additions that have none, each once (ordered below).
  const pvSeen = new Uint8Array(resName.length * nAct);
  const newPvs: number[] = [];
  for (const c of [adds, revokes]) {
    for (let i = 0; i < c.length; i++) {
      used.role[roleAt(c.role[i])] = 1;
      used.res[c.res[i]] = 1;
      used.act[c.act[i]] = 1;
      used.why[c.reason[i]] = 1;
      if (c !== adds) continue;
      const key = c.res[i] * nAct + c.act[i];
      if (pvOf(key) >= 0 || pvSeen[key]) continue;
      pvSeen[key] = 1;
      newPvs.push(key);
    }
  }
  const roles = rank(nRoleAt, roleNameAt, used.role);
  const ress = rank(resName.length, (i) => resName[i], used.res);
  const acts = rank(actName.length, (i) => actName[i], used.act);
  const whys = rank(reasons.length, (i) => reasons[i], used.why);
  const span = [roles.list.length + 1, ress.list.length + 1, acts.list.length + 1];
  const sortKey = (c: Changes, i: number) => (roles.rankOf[roleAt(c.role[i])] * span[1] + ress.rankOf[c.res[i]]) * span[2] + acts.rankOf[c.act[i]];
  const order = (c: Changes): ArrayLike<number> => {
    // Too many changes or names to pack exactly: comparator sort.
    if (c.length >= INDEX_SPAN || span[0] * span[1] * span[2] * INDEX_SPAN >= Number.MAX_SAFE_INTEGER) {
      const keys = Array.from({ length: c.length }, (_, i) => sortKey(c, i));
      return keys.map((_, i) => i).sort((x, y) => keys[x] - keys[y]);
    }
    const packed = new Float64Array(c.length);
    const [roleRank, resRank, actRank] = [roles.rankOf, ress.rankOf, acts.rankOf];
    for (let i = 0; i < c.length; i++) {
      const slot = c.role[i];
      packed[i] = ((roleRank[slot >= 0 ? slot : nStateRoles - slot - 1] * span[1] + resRank[c.res[i]]) * span[2] + actRank[c.act[i]]) * INDEX_SPAN + i;
    }
    packed.sort();
    const out = new Int32Array(c.length);
    for (let k = 0; k < out.length; k++) out[k] = packed[k] % INDEX_SPAN;
    return out;
  };
  const addOrder = order(adds);
  const revOrder = order(revokes);

  // New actions and resources only come from additions; the rank lists are already in name order.
  const createActions = acts.list.filter((a) => a >= state.actions.length).map((a) => actName[a]);
  const createResources = ress.list.filter((r) => r >= state.resources.length).map((r) => resName[r]);
  newPvs.sort((x, y) => ress.rankOf[Math.floor(x / nAct)] - ress.rankOf[Math.floor(y / nAct)] || acts.rankOf[x % nAct] - acts.rankOf[y % nAct]);

  // The change lists in order, one pass each: the GrantChange objects, the digest cells (role,
  // resource, action, reason, has-DAG ranks per change) and the database ids.
  const ids: CoreIds = { addRoleId: new Array(addOrder.length), addPvId: new Array(addOrder.length), revokeRow: new Array(revOrder.length) };
  const emit = (c: Changes, ord: ArrayLike<number>) => {
    const list: GrantChange[] = new Array(ord.length);
    const cells = new Int32Array(1 + ord.length * 5);
    cells[0] = ord.length;
    for (let k = 0, o = 1; k < ord.length; k++, o += 5) {
      const i = ord[k];
      const slot = c.role[i];
      const r = c.res[i];
      const a = c.act[i];
      const why = c.reason[i];
      const dag = c.dag[i];
      const res = resName[r];
      list[k] = { role: roleName(slot), action: actName[a], resource: res, dagId: dag >= 0 ? h.dags[dag].dagId : dag === -2 ? dagIdOf(res) : null, reason: reasons[why] };
      cells[o] = roles.rankOf[slot >= 0 ? slot : nStateRoles - slot - 1];
      cells[o + 1] = ress.rankOf[r];
      cells[o + 2] = acts.rankOf[a];
      cells[o + 3] = whys.rankOf[why];
      cells[o + 4] = dag === -1 ? 0 : 1;
      if (c === adds) {
        ids.addRoleId[k] = slot >= 0 ? state.roles[slot].id : -1;
        ids.addPvId[k] = pvIdOf(r * nAct + a);
      } else {
        const g = state.grants[c.grant[i]];
        ids.revokeRow[k] = { id: g.id, pv: g.permissionViewId, role: g.roleId };
      }
    }
    return { list, cells };
  };
  const added = emit(adds, addOrder);
  const revoked = emit(revokes, revOrder);
  const hash = createHash('sha256');
  hash.update(JSON.stringify([roles.list.map(roleNameAt), ress.list.map((i) => resName[i]), acts.list.map((i) => actName[i]), whys.list.map((i) => reasons[i])]));
  hash.update(added.cells);
  hash.update(revoked.cells);
  return {
    add: added.list,
    revoke: revoked.list,
    createRoles: [...createRoles].sort((a, b) => cmp(a.name, b.name)),
    createActions,
    createResources,
    createPermissionViews: newPvs.map((k) => ({ action: actName[k % nAct], resource: resName[Math.floor(k / nAct)] })),
    warnings,
    ids,
    digest: hash.digest('hex'),
  };
}
