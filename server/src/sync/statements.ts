/**
 * Set-based write statements, one per kind of change, each taking ONE bound parameter: a JSON array
 * of name tuples. The database expands it (PG `json_array_elements`, MySQL/MariaDB `JSON_TABLE`,
 * SQLite `json_each`) and joins on names, so a plan of 100 000 grants is still one round trip per
 * statement. Conflicts are targeted by column lists (PG ON CONFLICT (cols), MySQL INSERT IGNORE,
 * SQLite INSERT OR IGNORE) plus NOT EXISTS, never by constraint name (names vary by install).
 * The same builders produce the standalone SQL script (the JSON inlined as a quoted literal).
 * Everything that differs between databases comes from the context's dialect (db/dialects).
 */
import { dialectFor, type SqlDialect } from '../db/dialects';
import type { Dialect, SqlValue } from '../db/types';

export type NameTable = 'ab_role' | 'ab_permission' | 'ab_view_menu';
export type IdTable = NameTable | 'ab_permission_view' | 'ab_permission_view_role' | 'log';

export interface SqlContext {
  dialect: Dialect;
  /** PG: id expression for a new row (`nextval('…')`) or null to let the column default. */
  idExpr(table: IdTable): string | null;
  /** MySQL: column type for a JSON_TABLE column compared with `<table>.name`. */
  mysqlNameType?(table: NameTable): string;
}

export interface Stmt {
  sql: string;
  params: SqlValue[];
}

const LEN: Record<NameTable, number> = { ab_role: 64, ab_permission: 100, ab_view_menu: 250 };

/** A row source `x` with columns c0..cn-1 from the JSON array parameter. */
function rows(ctx: SqlContext, cols: (NameTable | 'int')[]): string {
  return sqlOf(ctx).jsonRows(cols.map((c) => (c === 'int' ? { int: true, nameType: 'INT' } : { int: false, nameType: ctx.mysqlNameType?.(c) ?? `VARCHAR(${LEN[c]})` })));
}

/** The dialect strategy of a context. */
export function sqlOf(ctx: SqlContext): SqlDialect {
  return dialectFor(ctx.dialect);
}

/** Exact (case- and space-sensitive) name match. */
function eq(ctx: SqlContext, col: string, x: string): string {
  return sqlOf(ctx).nameEquals(col, x);
}

/** The id expression of a new row, when the dialect writes ids explicitly. */
export function newId(ctx: SqlContext, table: IdTable): string | null {
  return sqlOf(ctx).explicitIds ? ctx.idExpr(table) : null;
}

function insertHead(ctx: SqlContext, table: IdTable, cols: string[]): { head: string; idSel: string } {
  const id = newId(ctx, table);
  return { head: `${sqlOf(ctx).insertOrSkip} ${table} (${id ? 'id, ' : ''}${cols.join(', ')})`, idSel: id ? `${id}, ` : '' };
}

function onConflict(ctx: SqlContext, cols: string): string {
  return sqlOf(ctx).skipConflicts(cols);
}

const json = (v: unknown) => JSON.stringify(v);

/** New ab_role / ab_permission / ab_view_menu rows by name. */
export function insertNames(ctx: SqlContext, table: NameTable, names: string[]): Stmt {
  const { head, idSel } = insertHead(ctx, table, ['name']);
  const sql =
    `${head} SELECT ${idSel}x.c0 FROM ${rows(ctx, [table])}` +
    ` WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE ${eq(ctx, 't.name', 'x.c0')})${onConflict(ctx, 'name')}`;
  return { sql, params: [json(names.map((n) => [n]))] };
}

/** New ab_permission_view rows from (action, resource) names. */
export function insertPermissionViews(ctx: SqlContext, pairs: { action: string; resource: string }[]): Stmt {
  const { head, idSel } = insertHead(ctx, 'ab_permission_view', ['permission_id', 'view_menu_id']);
  const sql =
    `${head} SELECT ${idSel}p.id, v.id FROM ${rows(ctx, ['ab_permission', 'ab_view_menu'])}` +
    ` JOIN ab_permission p ON ${eq(ctx, 'p.name', 'x.c0')} JOIN ab_view_menu v ON ${eq(ctx, 'v.name', 'x.c1')}` +
    ` WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view pv WHERE pv.permission_id = p.id AND pv.view_menu_id = v.id)` +
    onConflict(ctx, 'permission_id, view_menu_id');
  return { sql, params: [json(pairs.map((p) => [p.action, p.resource]))] };
}

/** The join from (role, action, resource) names to the grant's role and permission-view ids. */
function grantJoin(ctx: SqlContext): string {
  return (
    ` JOIN ab_role r ON ${eq(ctx, 'r.name', 'x.c0')} JOIN ab_permission p ON ${eq(ctx, 'p.name', 'x.c1')}` +
    ` JOIN ab_view_menu v ON ${eq(ctx, 'v.name', 'x.c2')}` +
    ` JOIN ab_permission_view pv ON pv.permission_id = p.id AND pv.view_menu_id = v.id`
  );
}

/** New ab_permission_view_role rows from (role, action, resource) names. */
export function insertGrants(ctx: SqlContext, grants: { role: string; action: string; resource: string }[]): Stmt {
  const { head, idSel } = insertHead(ctx, 'ab_permission_view_role', ['permission_view_id', 'role_id']);
  const sql =
    `${head} SELECT ${idSel}pv.id, r.id FROM ${rows(ctx, ['ab_role', 'ab_permission', 'ab_view_menu'])}${grantJoin(ctx)}` +
    ` WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view_role g WHERE g.permission_view_id = pv.id AND g.role_id = r.id)` +
    onConflict(ctx, 'permission_view_id, role_id');
  return { sql, params: [json(grants.map((g) => [g.role, g.action, g.resource]))] };
}

/** Delete ab_permission_view_role rows by (role, action, resource) names. */
export function deleteGrants(ctx: SqlContext, grants: { role: string; action: string; resource: string }[]): Stmt {
  const src = rows(ctx, ['ab_role', 'ab_permission', 'ab_view_menu']);
  const params = [json(grants.map((g) => [g.role, g.action, g.resource]))];
  return { sql: sqlOf(ctx).deleteJoined('ab_permission_view_role', 'g', `${src}${grantJoin(ctx)}`, 'g.permission_view_id = pv.id AND g.role_id = r.id'), params };
}

/**
 * Re-insert grant rows (rollback) by names, keeping the original id unless another row took it.
 * Tuples: [id, role, action, resource].
 */
export function restoreGrants(ctx: SqlContext, grants: { id: number; role: string; action: string; resource: string }[]): Stmt {
  const fresh = newId(ctx, 'ab_permission_view_role') ?? 'NULL';
  const verb = sqlOf(ctx).insertOrSkip;
  const src = rows(ctx, ['int', 'ab_role', 'ab_permission', 'ab_view_menu']).replace(/c(\d)/g, (_, d: string) => `k${d}`);
  const join =
    ` JOIN ab_role r ON ${eq(ctx, 'r.name', 'x.k1')} JOIN ab_permission p ON ${eq(ctx, 'p.name', 'x.k2')}` +
    ` JOIN ab_view_menu v ON ${eq(ctx, 'v.name', 'x.k3')} JOIN ab_permission_view pv ON pv.permission_id = p.id AND pv.view_menu_id = v.id`;
  const sql =
    `${verb} ab_permission_view_role (id, permission_view_id, role_id)` +
    ` SELECT CASE WHEN EXISTS (SELECT 1 FROM ab_permission_view_role z WHERE z.id = x.k0) THEN ${fresh} ELSE x.k0 END, pv.id, r.id FROM ${src}${join}` +
    ` WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view_role g WHERE g.permission_view_id = pv.id AND g.role_id = r.id)` +
    onConflict(ctx, 'permission_view_id, role_id');
  return { sql, params: [json(grants.map((g) => [g.id, g.role, g.action, g.resource]))] };
}

/** Rollback: delete permission-views by names when no grant references them. */
export function deleteUnusedPermissionViews(ctx: SqlContext, pairs: { action: string; resource: string }[]): Stmt {
  const src = rows(ctx, ['ab_permission', 'ab_view_menu']);
  const inner =
    `SELECT pv.id FROM ${src} JOIN ab_permission p ON ${eq(ctx, 'p.name', 'x.c0')} JOIN ab_view_menu v ON ${eq(ctx, 'v.name', 'x.c1')}` +
    ` JOIN ab_permission_view pv ON pv.permission_id = p.id AND pv.view_menu_id = v.id` +
    ` WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view_role g WHERE g.permission_view_id = pv.id)`;
  return { sql: sqlOf(ctx).deleteWhereIdIn('ab_permission_view', inner), params: [json(pairs.map((p) => [p.action, p.resource]))] };
}

/** Rollback: delete rows of a name table by name when nothing references them. */
export function deleteUnusedNames(ctx: SqlContext, table: NameTable, names: string[], hasUserRole: boolean): Stmt {
  const refs: Record<NameTable, string[]> = {
    ab_role: ['SELECT 1 FROM ab_permission_view_role g WHERE g.role_id = t.id', ...(hasUserRole ? ['SELECT 1 FROM ab_user_role u WHERE u.role_id = t.id'] : [])],
    ab_permission: ['SELECT 1 FROM ab_permission_view pv WHERE pv.permission_id = t.id'],
    ab_view_menu: ['SELECT 1 FROM ab_permission_view pv WHERE pv.view_menu_id = t.id'],
  };
  const inner = `SELECT t.id FROM ${rows(ctx, [table])} JOIN ${table} t ON ${eq(ctx, 't.name', 'x.c0')} WHERE ${refs[table].map((r) => `NOT EXISTS (${r})`).join(' AND ')}`;
  return { sql: sqlOf(ctx).deleteWhereIdIn(table, inner), params: [json(names.map((n) => [n]))] };
}

/** One audit row in Airflow's `log` table (columns present in every version since 2.0). */
export function insertAudit(ctx: SqlContext, event: string, owner: string, extra: string): Stmt {
  const id = newId(ctx, 'log');
  return {
    sql: `INSERT INTO log (${id ? 'id, ' : ''}dttm, event, owner, extra) VALUES (${id ? `${id}, ` : ''}CURRENT_TIMESTAMP, ?, ?, ?)`,
    params: [event.slice(0, 30), owner.slice(0, 500), extra],
  };
}

/** Inline the bound values of a statement as SQL literals (for the standalone script only). */
export function inlineParams(dialect: Dialect, stmt: Stmt): string {
  let i = 0;
  return stmt.sql.replace(/\?/g, () => sqlLiteral(dialect, stmt.params[i++] ?? null));
}

export function sqlLiteral(dialect: Dialect, v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return dialectFor(dialect).stringLiteral(v);
}
