/**
 * Grant writes by database ids, for applyPlan when the ids are known to be current (read under the
 * sync lock, or proven unchanged by the state fingerprint). Two bound parameters whatever the size:
 * PG `unnest` of two int arrays, MySQL/MariaDB `JSON_TABLE`, SQLite `json_each` over [pv, role]
 * pairs; the database does the rest. Conflicts are targeted by column list (PG ON CONFLICT, MySQL
 * INSERT IGNORE + NOT EXISTS, SQLite INSERT OR IGNORE + NOT EXISTS), never by constraint name.
 * Deletes match the natural key (permission_view_id, role_id), like the name-based statements.
 */
import { newId, sqlOf, type SqlContext, type Stmt } from './statements';

export interface IdPairs {
  pv: number[];
  role: number[];
}

const T = 'ab_permission_view_role';

/** Row source `x(pv, r)` and its bound parameters (every id checked to be a safe integer first). */
function pairs(ctx: SqlContext, p: IdPairs): { src: string; params: string[] } {
  const ints = (xs: number[]) => {
    for (const x of xs) if (!Number.isSafeInteger(x)) throw new Error(`Invalid id ${x}.`);
    return xs;
  };
  return sqlOf(ctx).idPairRows(ints(p.pv), ints(p.role));
}

/**
 * `plain` (PostgreSQL bulk path): no conflict handling at all, so an existing pair fails the
 * statement on the unique key; the caller catches that at a savepoint.
 */
export function insertGrantsById(ctx: SqlContext, p: IdPairs, opts: { plain?: boolean } = {}): Stmt {
  const { src, params } = pairs(ctx, p);
  const d = sqlOf(ctx);
  const conflict = d.skipConflicts('permission_view_id, role_id');
  // A conflict clause targets the key itself: no NOT EXISTS guard needed.
  if (conflict) {
    const id = newId(ctx, T);
    const tail = opts.plain ? '' : conflict;
    return { sql: `${d.insertOrSkip} ${T} (${id ? 'id, ' : ''}permission_view_id, role_id) SELECT ${id ? `${id}, ` : ''}x.pv, x.r FROM ${src}${tail}`, params };
  }
  return {
    sql: `${d.insertOrSkip} ${T} (permission_view_id, role_id) SELECT x.pv, x.r FROM ${src} WHERE NOT EXISTS (SELECT 1 FROM ${T} g WHERE g.permission_view_id = x.pv AND g.role_id = x.r)`,
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
  return { sql: sqlOf(ctx).deleteMatching(T, 'g', src, 'g.permission_view_id = x.pv AND g.role_id = x.r'), params };
}
