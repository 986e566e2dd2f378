/**
 * Set-based write statements, one per kind of change, each taking ONE bound parameter: a JSON array
 * of name tuples. The database expands it (PG `json_array_elements`, MySQL/MariaDB `JSON_TABLE`,
 * SQLite `json_each`) and joins on names, so a plan of 100 000 grants is still one round trip per
 * statement. Conflicts are targeted by column lists (PG ON CONFLICT (cols), MySQL INSERT IGNORE,
 * SQLite INSERT OR IGNORE) plus NOT EXISTS, never by constraint name (names vary by install).
 * The same builders produce the standalone SQL script (the JSON inlined as a quoted literal).
 */
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
  switch (ctx.dialect) {
    case 'postgres':
      return `(SELECT ${cols.map((c, i) => (c === 'int' ? `(e->>${i})::int AS c${i}` : `e->>${i} AS c${i}`)).join(', ')} FROM json_array_elements(CAST(? AS json)) AS e) AS x`;
    case 'sqlite':
      return `(SELECT ${cols.map((_, i) => `json_extract(e.value, '$[${i}]') AS c${i}`).join(', ')} FROM json_each(?) AS e) AS x`;
    case 'mysql': {
      const decl = cols.map((c, i) => `c${i} ${c === 'int' ? 'INT' : (ctx.mysqlNameType?.(c) ?? `VARCHAR(${LEN[c]})`)} PATH '$[${i}]'`);
      return `JSON_TABLE(?, '$[*]' COLUMNS (${decl.join(', ')})) AS x`;
    }
  }
}

/** Exact (case- and space-sensitive) name match; MySQL collations are usually case-insensitive. */
function eq(ctx: SqlContext, col: string, x: string): string {
  return ctx.dialect === 'mysql' ? `${col} = ${x} AND BINARY ${col} = BINARY ${x}` : `${col} = ${x}`;
}

function insertHead(ctx: SqlContext, table: IdTable, cols: string[]): { head: string; idSel: string } {
  const id = ctx.dialect === 'postgres' ? ctx.idExpr(table) : null;
  const verb = ctx.dialect === 'mysql' ? 'INSERT IGNORE INTO' : ctx.dialect === 'sqlite' ? 'INSERT OR IGNORE INTO' : 'INSERT INTO';
  return { head: `${verb} ${table} (${id ? 'id, ' : ''}${cols.join(', ')})`, idSel: id ? `${id}, ` : '' };
}

function onConflict(ctx: SqlContext, cols: string): string {
  return ctx.dialect === 'postgres' ? ` ON CONFLICT (${cols}) DO NOTHING` : '';
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
  if (ctx.dialect === 'mysql')
    return { sql: `DELETE g FROM ${src}${grantJoin(ctx)} JOIN ab_permission_view_role g ON g.permission_view_id = pv.id AND g.role_id = r.id`, params };
  return {
    sql: `DELETE FROM ab_permission_view_role WHERE id IN (SELECT g.id FROM ${src}${grantJoin(ctx)} JOIN ab_permission_view_role g ON g.permission_view_id = pv.id AND g.role_id = r.id)`,
    params,
  };
}

/**
 * Re-insert grant rows (rollback) by names, keeping the original id unless another row took it.
 * Tuples: [id, role, action, resource].
 */
export function restoreGrants(ctx: SqlContext, grants: { id: number; role: string; action: string; resource: string }[]): Stmt {
  const fresh = ctx.dialect === 'postgres' ? (ctx.idExpr('ab_permission_view_role') ?? 'NULL') : 'NULL';
  const verb = ctx.dialect === 'mysql' ? 'INSERT IGNORE INTO' : ctx.dialect === 'sqlite' ? 'INSERT OR IGNORE INTO' : 'INSERT INTO';
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
  // MySQL cannot read the table it deletes from in a subquery; a derived table forces materialisation.
  const sql = ctx.dialect === 'mysql' ? `DELETE FROM ab_permission_view WHERE id IN (SELECT id FROM (${inner}) AS d)` : `DELETE FROM ab_permission_view WHERE id IN (${inner})`;
  return { sql, params: [json(pairs.map((p) => [p.action, p.resource]))] };
}

/** Rollback: delete rows of a name table by name when nothing references them. */
export function deleteUnusedNames(ctx: SqlContext, table: NameTable, names: string[], hasUserRole: boolean): Stmt {
  const refs: Record<NameTable, string[]> = {
    ab_role: ['SELECT 1 FROM ab_permission_view_role g WHERE g.role_id = t.id', ...(hasUserRole ? ['SELECT 1 FROM ab_user_role u WHERE u.role_id = t.id'] : [])],
    ab_permission: ['SELECT 1 FROM ab_permission_view pv WHERE pv.permission_id = t.id'],
    ab_view_menu: ['SELECT 1 FROM ab_permission_view pv WHERE pv.view_menu_id = t.id'],
  };
  const inner = `SELECT t.id FROM ${rows(ctx, [table])} JOIN ${table} t ON ${eq(ctx, 't.name', 'x.c0')} WHERE ${refs[table].map((r) => `NOT EXISTS (${r})`).join(' AND ')}`;
  const sql = ctx.dialect === 'mysql' ? `DELETE FROM ${table} WHERE id IN (SELECT id FROM (${inner}) AS d)` : `DELETE FROM ${table} WHERE id IN (${inner})`;
  return { sql, params: [json(names.map((n) => [n]))] };
}

/** One audit row in Airflow's `log` table (columns present in every version since 2.0). */
export function insertAudit(ctx: SqlContext, event: string, owner: string, extra: string): Stmt {
  const id = ctx.dialect === 'postgres' ? ctx.idExpr('log') : null;
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
  let s = v.replace(/'/g, "''");
  // MySQL treats backslash as an escape in string literals unless NO_BACKSLASH_ESCAPES is set.
  if (dialect === 'mysql') s = s.replace(/\\/g, '\\\\');
  // PG: standard_conforming_strings is on by default since 9.1; E'' would change the meaning.
  return `'${s}'`;
}
