/**
 * The state read as ONE statement per dialect (PostgreSQL, SQLite): every table is aggregated
 * server-side into one text value (JSON for names, a flat comma list for integer columns), so the
 * driver parses 8 values instead of ~100 000 rows, and all tables come from the same snapshot.
 *
 * Fingerprint: a cheap proof, taken under the sync lock, that nothing the plan was computed from has
 * changed since it was read.
 *   - PostgreSQL: md5 of each aggregate (scan order), computed here from the text read and in SQL at
 *     apply time from the same expressions (exact content: ids, names, flags, tags).
 *   - SQLite: `PRAGMA data_version` (changes when any OTHER connection commits), `schema_version`
 *     and `total_changes()` (this connection's own writes), read in the same statement.
 *   - MySQL/MariaDB: none (apply always re-reads and re-plans under the lock).
 */
import { createHash } from 'crypto';
import type { SchemaInfo } from './schema';
import type { Db } from './types';

export interface RawState {
  roles: [number, string][];
  actions: [number, string][];
  resources: [number, string][];
  /** flat: id, action id, resource id, ... */
  pvs: number[];
  /** flat: id, permission view id, role id, ... */
  grants: number[];
  /** [dag_id, live flag] */
  dags: [string, unknown][];
  /** [dag_id, tag] */
  tags: [string, string][];
  fingerprint: string | null;
}

const PV_WHERE = 'WHERE permission_id IS NOT NULL AND view_menu_id IS NOT NULL';
const GRANT_WHERE = 'WHERE permission_view_id IS NOT NULL AND role_id IS NOT NULL';

/** PostgreSQL: the aggregate expressions, in a fixed order (also used by the fingerprint check). */
function pgExprs(s: SchemaInfo): string[] {
  // No ORDER BY (a sort costs more than the scan): an unchanged table is scanned in the same order;
  // if the order ever differs (e.g. a parallel or synchronized scan), apply just takes the slow path.
  const named = (t: string) => `(SELECT json_agg(json_build_array(id, name))::text FROM ${t})`;
  const ints = (t: string, cols: string, where: string) => `(SELECT string_agg(${cols.split(', ').join(" || ',' || ")}, ',') FROM ${t} ${where})`;
  const dags = s.activeColumn ? `(SELECT json_agg(json_build_array(dag_id, ${s.activeColumn}))::text FROM dag)` : `NULL::text`;
  const tags = s.activeColumn && s.hasDagTag ? `(SELECT json_agg(json_build_array(dag_id, name))::text FROM dag_tag)` : 'NULL::text';
  return [
    named('ab_role'),
    named('ab_permission'),
    named('ab_view_menu'),
    ints('ab_permission_view', 'id, permission_id, view_menu_id', PV_WHERE),
    ints('ab_permission_view_role', 'id, permission_view_id, role_id', GRANT_WHERE),
    dags,
    tags,
  ];
}

function sqliteExprs(s: SchemaInfo): string[] {
  const named = (t: string) => `(SELECT json_group_array(json_array(id, name)) FROM ${t})`;
  const ints = (t: string, cols: string, where: string) => `(SELECT json_group_array(json_array(${cols})) FROM ${t} ${where})`;
  return [
    named('ab_role'),
    named('ab_permission'),
    named('ab_view_menu'),
    ints('ab_permission_view', 'id, permission_id, view_menu_id', PV_WHERE),
    ints('ab_permission_view_role', 'id, permission_view_id, role_id', GRANT_WHERE),
    s.activeColumn ? `(SELECT json_group_array(json_array(dag_id, ${s.activeColumn})) FROM dag)` : 'NULL',
    s.activeColumn && s.hasDagTag ? '(SELECT json_group_array(json_array(dag_id, name)) FROM dag_tag)' : 'NULL',
  ];
}

const SQLITE_FP = ['(SELECT data_version FROM pragma_data_version)', '(SELECT schema_version FROM pragma_schema_version)', 'total_changes()'];

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/**
 * Read the whole state in one statement (PG / SQLite); null for MySQL (row-wise reader instead).
 * `fingerprint: false` skips hashing what was read (a caller that writes under the same lock).
 */
export async function readRawState(db: Db, s: SchemaInfo, opts: { fingerprint?: boolean } = {}): Promise<RawState | null> {
  if (db.dialect === 'mysql') return null;
  const pg = db.dialect === 'postgres';
  const exprs = pg ? pgExprs(s) : sqliteExprs(s);
  const cols = exprs.map((e, i) => `${e} AS c${i}`);
  if (!pg) SQLITE_FP.forEach((e, i) => cols.push(`${e} AS f${i}`));
  const row = (await db.query(`SELECT ${cols.join(', ')}`))[0] ?? {};
  const text = exprs.map((_, i) => (row[`c${i}`] == null ? '' : String(row[`c${i}`])));
  const json = <T>(t: string): T[] => (t ? (JSON.parse(t) as T[]) : []);
  const nums = (t: string): number[] => (!t ? [] : pg ? (JSON.parse(`[${t}]`) as number[]) : (json<unknown[]>(t).flat() as unknown[]).map(Number));
  const fingerprint = opts.fingerprint === false ? null : pg ? text.map(md5).join(':') : SQLITE_FP.map((_, i) => String(row[`f${i}`])).join(':');
  return {
    roles: json(text[0]),
    actions: json(text[1]),
    resources: json(text[2]),
    pvs: nums(text[3]),
    grants: nums(text[4]),
    dags: json(text[5]),
    tags: json(text[6]),
    fingerprint,
  };
}

/** The current fingerprint (one statement); compare with the one taken when the state was read. */
export async function readFingerprint(db: Db, s: SchemaInfo): Promise<string | null> {
  if (db.dialect === 'mysql') return null;
  if (db.dialect === 'postgres') {
    const exprs = pgExprs(s).map((e, i) => `md5(coalesce(${e}, '')) AS c${i}`);
    const row = (await db.query(`SELECT ${exprs.join(', ')}`))[0] ?? {};
    return exprs.map((_, i) => String(row[`c${i}`])).join(':');
  }
  const row = (await db.query(`SELECT ${SQLITE_FP.map((e, i) => `${e} AS f${i}`).join(', ')}`))[0] ?? {};
  return SQLITE_FP.map((_, i) => String(row[`f${i}`])).join(':');
}
