/**
 * Read everything the planner needs from the metadata DB in a constant number of queries
 * (never one query per role, DAG or row): roles, actions, resources, permission-views, grants, and
 * the live DAGs with their deployed tags.
 */
import { assertSyncable, detectSchema, type SchemaInfo } from './schema';
import type { Db } from './types';

export interface NamedRow {
  id: number;
  name: string;
}

export interface PermissionViewRow {
  id: number;
  actionId: number;
  resourceId: number;
}

export interface GrantRow {
  id: number;
  permissionViewId: number;
  roleId: number;
}

export interface DeployedDag {
  dagId: string;
  tags: string[];
}

export interface DbState {
  schema: SchemaInfo;
  roles: NamedRow[];
  actions: NamedRow[];
  resources: NamedRow[];
  permissionViews: PermissionViewRow[];
  grants: GrantRow[];
  /** Live DAGs (`is_active` on 2.x, `NOT is_stale` on 3.x) with their `dag_tag` names, sorted. */
  dags: DeployedDag[];
  /** DAG ids present in `dag` but deactivated / stale. */
  inactiveDagIds: string[];
}

/** Read the full state. `schema` may be passed when already detected (saves its queries). */
export async function readDbState(db: Db, schema?: SchemaInfo): Promise<DbState> {
  const s = schema ?? (await detectSchema(db));
  assertSyncable(s);
  const num = (v: unknown) => Number(v);
  const named = (rows: { id: unknown; name: unknown }[]) => rows.map((r) => ({ id: num(r.id), name: String(r.name) }));
  const roles = named(await db.query('SELECT id, name FROM ab_role'));
  const actions = named(await db.query('SELECT id, name FROM ab_permission'));
  const resources = named(await db.query('SELECT id, name FROM ab_view_menu'));
  const permissionViews = (await db.query('SELECT id, permission_id AS a, view_menu_id AS r FROM ab_permission_view WHERE permission_id IS NOT NULL AND view_menu_id IS NOT NULL')).map(
    (r) => ({ id: num(r.id), actionId: num(r.a), resourceId: num(r.r) }),
  );
  const grants = (await db.query('SELECT id, permission_view_id AS pv, role_id AS role FROM ab_permission_view_role WHERE permission_view_id IS NOT NULL AND role_id IS NOT NULL')).map(
    (r) => ({ id: num(r.id), permissionViewId: num(r.pv), roleId: num(r.role) }),
  );
  const { dags, inactive } = await readDags(db, s);
  return { schema: s, roles, actions, resources, permissionViews, grants, dags, inactiveDagIds: inactive };
}

async function readDags(db: Db, s: SchemaInfo): Promise<{ dags: DeployedDag[]; inactive: string[] }> {
  if (!s.activeColumn) return { dags: [], inactive: [] };
  // Live = is_active true (2.x) / is_stale false (3.x); NULL counts as not live.
  const liveValue = s.activeColumn === 'is_active';
  const all = await db.query<{ id: unknown; flag: unknown }>(`SELECT dag_id AS id, ${s.activeColumn} AS flag FROM dag`);
  const live = new Map<string, string[]>();
  const inactive: string[] = [];
  for (const r of all) {
    const flag = r.flag === null || r.flag === undefined ? null : r.flag === true || Number(r.flag) === 1;
    if (flag === liveValue) live.set(String(r.id), []);
    else inactive.push(String(r.id));
  }
  if (s.hasDagTag) {
    const tags = await db.query<{ id: unknown; tag: unknown }>('SELECT dag_id AS id, name AS tag FROM dag_tag');
    for (const t of tags) live.get(String(t.id))?.push(String(t.tag));
  }
  const dags = [...live.entries()].map(([dagId, tags]) => ({ dagId, tags: [...new Set(tags)].sort() })).sort((a, b) => cmp(a.dagId, b.dagId));
  return { dags, inactive: inactive.sort(cmp) };
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Name-keyed view of a state (built once per plan). */
export interface StateIndex {
  roleByName: Map<string, NamedRow>;
  roleById: Map<number, NamedRow>;
  actionById: Map<number, NamedRow>;
  actionByName: Map<string, NamedRow>;
  resourceById: Map<number, NamedRow>;
  resourceByName: Map<string, NamedRow>;
  /** key `action\0resource` → pv id */
  pvByKey: Map<string, number>;
  pvById: Map<number, { action: string; resource: string }>;
  /** role name → set of `action\0resource` it holds, with the grant row id. */
  grantsByRole: Map<string, Map<string, GrantRow>>;
}

export const pairKey = (action: string, resource: string) => `${action}\u0000${resource}`;

export function indexState(state: DbState): StateIndex {
  const byName = (rows: NamedRow[]) => new Map(rows.map((r) => [r.name, r]));
  const byId = (rows: NamedRow[]) => new Map(rows.map((r) => [r.id, r]));
  const actionById = byId(state.actions);
  const resourceById = byId(state.resources);
  const roleById = byId(state.roles);
  const pvByKey = new Map<string, number>();
  const pvById = new Map<number, { action: string; resource: string }>();
  for (const pv of state.permissionViews) {
    const a = actionById.get(pv.actionId);
    const r = resourceById.get(pv.resourceId);
    if (!a || !r) continue;
    pvByKey.set(pairKey(a.name, r.name), pv.id);
    pvById.set(pv.id, { action: a.name, resource: r.name });
  }
  const grantsByRole = new Map<string, Map<string, GrantRow>>();
  for (const g of state.grants) {
    const role = roleById.get(g.roleId);
    const pv = pvById.get(g.permissionViewId);
    if (!role || !pv) continue;
    let m = grantsByRole.get(role.name);
    if (!m) grantsByRole.set(role.name, (m = new Map()));
    m.set(pairKey(pv.action, pv.resource), g);
  }
  return {
    roleByName: byName(state.roles),
    roleById,
    actionById,
    actionByName: byName(state.actions),
    resourceById,
    resourceByName: byName(state.resources),
    pvByKey,
    pvById,
    grantsByRole,
  };
}
