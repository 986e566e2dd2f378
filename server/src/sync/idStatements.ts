/**
 * Grant writes by database ids, for applyPlan when the ids are known to be current (read under the
 * sync lock, or proven unchanged by the state fingerprint). Two bound parameters whatever the size:
 * PG `unnest` of two int arrays, MySQL/MariaDB `JSON_TABLE`, SQLite `json_each` over [pv, role]
 * pairs; the database does the rest. Conflicts are targeted by column list (PG ON CONFLICT, MySQL
 * INSERT IGNORE + NOT EXISTS, SQLite INSERT OR IGNORE + NOT EXISTS), never by constraint name.
 * Deletes match the natural key (permission_view_id, role_id), like the name-based statements.
 */
import type { SqlContext, Stmt } from './statements';

export interface IdPairs {
  pv: number[];
  role: number[];
}

const T = 'ab_permission_view_role';

/** Row source `x(pv, r)` and its bound parameters. */
function pairs(ctx: SqlContext, p: IdPairs): { src: string; params: string[] } {
  const ints = (xs: number[]) => {
    for (const x of xs) if (!Number.isSafeInteger(x)) throw new Error(`Invalid id ${x}.`);
    return xs;
  };
  if (ctx.dialect === 'postgres')
    return { src: 'unnest(CAST(? AS bigint[]), CAST(? AS bigint[])) AS x(pv, r)', params: [`{${ints(p.pv).join(',')}}`, `{${ints(p.role).join(',')}}`] };
  const tuples = JSON.stringify(ints(p.pv).map((pv, i) => [pv, ints([p.role[i]])[0]]));
  if (ctx.dialect === 'mysql') return { src: `JSON_TABLE(?, '$[*]' COLUMNS (pv BIGINT PATH '$[0]', r BIGINT PATH '$[1]')) AS x`, params: [tuples] };
  return { src: `(SELECT json_extract(e.value, '$[0]') AS pv, json_extract(e.value, '$[1]') AS r FROM json_each(?) AS e) AS x`, params: [tuples] };
}

/**
 * `plain` (PostgreSQL bulk path): no conflict handling at all, so an existing pair fails the
 * statement on the unique key; the caller catches that at a savepoint.
 */
export function insertGrantsById(ctx: SqlContext, p: IdPairs, opts: { plain?: boolean } = {}): Stmt {
  const { src, params } = pairs(ctx, p);
  if (ctx.dialect === 'postgres') {
    const id = ctx.idExpr(T);
    const tail = opts.plain ? '' : ' ON CONFLICT (permission_view_id, role_id) DO NOTHING';
    return { sql: `INSERT INTO ${T} (${id ? 'id, ' : ''}permission_view_id, role_id) SELECT ${id ? `${id}, ` : ''}x.pv, x.r FROM ${src}${tail}`, params };
  }
  const verb = ctx.dialect === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
  return {
    sql: `${verb} ${T} (permission_view_id, role_id) SELECT x.pv, x.r FROM ${src} WHERE NOT EXISTS (SELECT 1 FROM ${T} g WHERE g.permission_view_id = x.pv AND g.role_id = x.r)`,
    params,
  };
}

/**
 * PostgreSQL bulk path (pgBulkGrants.ts): the pairs as the rows of a `COPY`, for a grant table whose
 * id column fills itself (a default or an identity). Like `plain` above, no conflict handling.
 */
export function copyGrantsById(p: IdPairs): { sql: string; data: string } {
  const lines: string[] = new Array(p.pv.length);
  for (let i = 0; i < lines.length; i++) {
    const pv = p.pv[i];
    const r = p.role[i];
    if (!Number.isSafeInteger(pv) || !Number.isSafeInteger(r)) throw new Error(`Invalid id ${Number.isSafeInteger(pv) ? r : pv}.`);
    lines[i] = `${pv}\t${r}\n`;
  }
  return { sql: `COPY ${T} (permission_view_id, role_id) FROM STDIN`, data: lines.join('') };
}

export function deleteGrantsById(ctx: SqlContext, p: IdPairs): Stmt {
  const { src, params } = pairs(ctx, p);
  const on = 'g.permission_view_id = x.pv AND g.role_id = x.r';
  if (ctx.dialect === 'postgres') return { sql: `DELETE FROM ${T} g USING ${src} WHERE ${on}`, params };
  if (ctx.dialect === 'mysql') return { sql: `DELETE g FROM ${src} JOIN ${T} g ON ${on}`, params };
  return { sql: `DELETE FROM ${T} WHERE id IN (SELECT g.id FROM ${src} JOIN ${T} g ON ${on})`, params };
}
