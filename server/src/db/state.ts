/**
 * Read everything the planner needs from the metadata DB in a constant number of queries
 * (never one query per role, DAG or row): roles, actions, resources, permission-views, grants, and
 * the live DAGs with their deployed tags.
 */
import { assertSyncable, detectSchema, type SchemaInfo } from './schema';
import { readRawState, type RawState } from './stateSql';
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
  /** Proof of what was read (see stateSql.ts); absent / null: apply always re-reads under the lock. */
  fingerprint?: string | null;
}

/** The connection each state was read from (a fingerprint is only comparable on the same one). */
const sources = new WeakMap<DbState, Db>();

export function stateSource(state: DbState): Db | undefined {
  return sources.get(state);
}

/**
 * Read the full state. `schema` may be passed when already detected (saves its queries);
 * `fingerprint: false` when the caller writes under the lock it read with (no later check needed).
 */
export async function readDbState(db: Db, schema?: SchemaInfo, opts: { fingerprint?: boolean } = {}): Promise<DbState> {
  const s = schema ?? (await detectSchema(db));
  assertSyncable(s);
  const raw = await readRawState(db, s, opts);
  const state = raw ? fromRaw(s, raw) : await readRowWise(db, s);
  sources.set(state, db);
  return state;
}

function fromRaw(s: SchemaInfo, raw: RawState): DbState {
  const named = (r: RawState['roles']): NamedRow[] => {
    const out: NamedRow[] = new Array(r.ids.length);
    for (let i = 0; i < out.length; i++) out[i] = { id: Number(r.ids[i]), name: String(r.names[i]) };
    return out;
  };
  const permissionViews: PermissionViewRow[] = new Array(raw.pvs.length / 3);
  for (let i = 0, j = 0; j < raw.pvs.length; i++, j += 3) permissionViews[i] = { id: raw.pvs[j], actionId: raw.pvs[j + 1], resourceId: raw.pvs[j + 2] };
  const grants: GrantRow[] = new Array(raw.grants.length / 3);
  for (let i = 0, j = 0; j < raw.grants.length; i++, j += 3) grants[i] = { id: raw.grants[j], permissionViewId: raw.grants[j + 1], roleId: raw.grants[j + 2] };
  const { dags, inactive } = s.activeColumn ? groupDags(s, raw.dags, raw.tags) : { dags: [], inactive: [] };
  return { schema: s, roles: named(raw.roles), actions: named(raw.actions), resources: named(raw.resources), permissionViews, grants, dags, inactiveDagIds: inactive, fingerprint: raw.fingerprint };
}

/** MySQL/MariaDB: one query per table (no fingerprint). */
async function readRowWise(db: Db, s: SchemaInfo): Promise<DbState> {
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
  const dagRows: RawState['dags'] = { ids: [], flags: [] };
  const tagRows: RawState['tags'] = { dagIds: [], names: [] };
  if (s.activeColumn) {
    for (const r of await db.query(`SELECT dag_id AS id, ${s.activeColumn} AS flag FROM dag`)) {
      dagRows.ids.push(r.id);
      dagRows.flags.push(r.flag);
    }
    if (s.hasDagTag) {
      for (const t of await db.query('SELECT dag_id AS id, name AS tag FROM dag_tag')) {
        tagRows.dagIds.push(t.id);
        tagRows.names.push(t.tag);
      }
    }
  }
  const { dags, inactive } = s.activeColumn ? groupDags(s, dagRows, tagRows) : { dags: [], inactive: [] };
  return { schema: s, roles, actions, resources, permissionViews, grants, dags, inactiveDagIds: inactive, fingerprint: null };
}

function groupDags(s: SchemaInfo, dagRows: RawState['dags'], tagRows: RawState['tags']): { dags: DeployedDag[]; inactive: string[] } {
  // Live = is_active true (2.x) / is_stale false (3.x); NULL counts as not live.
  const liveValue = s.activeColumn === 'is_active';
  const live = new Map<string, string[]>();
  const inactive: string[] = [];
  for (let i = 0; i < dagRows.ids.length; i++) {
    const f = dagRows.flags[i];
    const flag = f === null || f === undefined ? null : f === true || Number(f) === 1;
    if (flag === liveValue) live.set(String(dagRows.ids[i]), []);
    else inactive.push(String(dagRows.ids[i]));
  }
  for (let i = 0; i < tagRows.dagIds.length; i++) live.get(String(tagRows.dagIds[i]))?.push(String(tagRows.names[i]));
  // Array sort without a comparator orders strings by UTF-16 code units, as `cmp` does, without a
  // call into JS per comparison. DAG ids are unique (primary key).
  const ids = [...live.keys()].sort();
  const dags: DeployedDag[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) dags[i] = { dagId: ids[i], tags: sortedUnique(live.get(ids[i])!) };
  return { dags, inactive: inactive.sort() };
}

/** `tags` sorted (code units) without repeats; most DAGs have one or two tags. */
function sortedUnique(tags: string[]): string[] {
  if (tags.length < 2) return tags;
  tags.sort();
  let n = 1;
  for (let i = 1; i < tags.length; i++) if (tags[i] !== tags[n - 1]) tags[n++] = tags[i];
  tags.length = n;
  return tags;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const pairKey = (action: string, resource: string) => `${action}\u0000${resource}`;
