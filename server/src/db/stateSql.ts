/**
 * The state read as ONE statement per dialect (PostgreSQL, SQLite): every table is aggregated
 * server-side into a few text values (JSON arrays for names and DAG rows, a flat comma list for
 * integer columns), so the driver parses about a dozen values instead of ~100 000 rows, and all
 * tables come from the same snapshot.
 *
 * Each table is one single-row derived table whose columns are aggregates over the SAME scan, so
 * its id list and its name list line up row by row. Parallel flat arrays cost the database and the
 * JSON parser less than one small array per row (about a third less at 10,000 DAGs).
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
import { dialectFor } from './dialects';
import type { StateAggregates } from './dialects/types';
import type { SchemaInfo } from './schema';
import type { Db } from './types';

/** Rows of a table with an id and a name, as parallel arrays. */
export interface RawNamed {
  ids: number[];
  names: unknown[];
}

export interface RawState {
  roles: RawNamed;
  actions: RawNamed;
  resources: RawNamed;
  /** flat: id, action id, resource id, ... */
  pvs: number[];
  /** flat: id, permission view id, role id, ... */
  grants: number[];
  /** `dag` rows: dag_id and live flag, aligned. */
  dags: { ids: unknown[]; flags: unknown[] };
  /** `dag_tag` rows: dag_id and tag name, aligned. */
  tags: { dagIds: unknown[]; names: unknown[] };
  fingerprint: string | null;
}

const PV_WHERE = 'WHERE permission_id IS NOT NULL AND view_menu_id IS NOT NULL';
const GRANT_WHERE = 'WHERE permission_view_id IS NOT NULL AND role_id IS NOT NULL';

/** How a column's text is parsed: a JSON array, or integers (PG: comma list; SQLite: JSON array, nested for triples). */
type Kind = 'json' | 'ints';

/** One table: a single-row derived table (`SELECT agg AS a0, agg AS a1 FROM t`) and the kind of each column. */
interface Part {
  sql: string;
  kinds: Kind[];
}

/**
 * The parts in a fixed order: roles, actions, resources (ids, names), permission-views, grants,
 * dags (ids, flags), tags (dag ids, names). Also used by the fingerprint check.
 */
function parts(s: SchemaInfo, agg: StateAggregates): Part[] {
  // No ORDER BY (a sort costs more than the scan): an unchanged table is scanned in the same order;
  // if the order ever differs (e.g. a parallel or synchronized scan), apply just takes the slow path.
  const arr = agg.jsonArray;
  const ids = agg.intList;
  const triples = agg.intTriples;
  const none = (n: number) => `SELECT ${Array.from({ length: n }, (_, i) => `${agg.nullText} AS a${i}`).join(', ')}`;
  const named = (t: string): Part => ({ sql: `SELECT ${ids('id')} AS a0, ${arr('name')} AS a1 FROM ${t}`, kinds: ['ints', 'json'] });
  return [
    named('ab_role'),
    named('ab_permission'),
    named('ab_view_menu'),
    { sql: `SELECT ${triples(['id', 'permission_id', 'view_menu_id'])} AS a0 FROM ab_permission_view ${PV_WHERE}`, kinds: ['ints'] },
    { sql: `SELECT ${triples(['id', 'permission_view_id', 'role_id'])} AS a0 FROM ab_permission_view_role ${GRANT_WHERE}`, kinds: ['ints'] },
    { sql: s.activeColumn ? `SELECT ${arr('dag_id')} AS a0, ${arr(s.activeColumn)} AS a1 FROM dag` : none(2), kinds: ['json', 'json'] },
    { sql: s.activeColumn && s.hasDagTag ? `SELECT ${arr('dag_id')} AS a0, ${arr('name')} AS a1 FROM dag_tag` : none(2), kinds: ['json', 'json'] },
  ];
}

/** `SELECT <col(p<i>.a<j>)> AS c<k>, ... FROM (<part 0>) p0 CROSS JOIN ...`: one value per part column, in order. */
function partsSelect(ps: Part[], col: (ref: string) => string, extra: string[] = []): { sql: string; n: number } {
  const cols: string[] = [];
  ps.forEach((p, i) => p.kinds.forEach((_, j) => cols.push(`${col(`p${i}.a${j}`)} AS c${cols.length}`)));
  const n = cols.length;
  return { sql: `SELECT ${[...cols, ...extra].join(', ')} FROM ${ps.map((p, i) => `(${p.sql}) p${i}`).join(' CROSS JOIN ')}`, n };
}

/** The change counters read with the state, when the dialect's fingerprint is made of them. */
const counters = (agg: StateAggregates): readonly string[] => (agg.fingerprint.kind === 'counters' ? agg.fingerprint.exprs : []);

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/**
 * Read the whole state in one statement (PG / SQLite); null for MySQL (row-wise reader instead).
 * `fingerprint: false` skips hashing what was read (a caller that writes under the same lock).
 */
export async function readRawState(db: Db, s: SchemaInfo, opts: { fingerprint?: boolean } = {}): Promise<RawState | null> {
  const agg = dialectFor(db.dialect).stateAggregates;
  if (!agg) return null;
  const fp = counters(agg);
  const ps = parts(s, agg);
  const { sql, n } = partsSelect(ps, (ref) => ref, fp.map((e, i) => `${e} AS f${i}`));
  const row = (await db.query(sql))[0] ?? {};
  const kinds = ps.flatMap((p) => p.kinds);
  const text = Array.from({ length: n }, (_, i) => (row[`c${i}`] == null ? '' : String(row[`c${i}`])));
  const values = text.map((t, i): unknown[] => {
    if (!t) return [];
    if (kinds[i] === 'json') return JSON.parse(t) as unknown[];
    return agg.intFormat === 'comma' ? (JSON.parse(`[${t}]`) as number[]) : (JSON.parse(t) as unknown[]).flat().map(Number);
  });
  const fingerprint = opts.fingerprint === false ? null : agg.fingerprint.kind === 'content' ? text.map(md5).join(':') : fp.map((_, i) => String(row[`f${i}`])).join(':');
  const named = (i: number): RawNamed => ({ ids: values[i] as number[], names: values[i + 1] });
  return {
    roles: named(0),
    actions: named(2),
    resources: named(4),
    pvs: values[6] as number[],
    grants: values[7] as number[],
    dags: { ids: values[8], flags: values[9] },
    tags: { dagIds: values[10], names: values[11] },
    fingerprint,
  };
}

/** The current fingerprint (one statement); compare with the one taken when the state was read. */
export async function readFingerprint(db: Db, s: SchemaInfo): Promise<string | null> {
  const agg = dialectFor(db.dialect).stateAggregates;
  if (!agg) return null;
  const { fingerprint } = agg;
  if (fingerprint.kind === 'content') {
    const { sql, n } = partsSelect(parts(s, agg), fingerprint.md5Hex);
    const row = (await db.query(sql))[0] ?? {};
    return Array.from({ length: n }, (_, i) => String(row[`c${i}`])).join(':');
  }
  const fp = counters(agg);
  const row = (await db.query(`SELECT ${fp.map((e, i) => `${e} AS f${i}`).join(', ')}`))[0] ?? {};
  return fp.map((_, i) => String(row[`f${i}`])).join(':');
}
