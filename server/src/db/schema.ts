/**
 * Detect which Airflow schema a metadata DB has: 2.x (`dag.is_active`) or 3.x (`dag.is_stale`),
 * whether the FAB security tables exist, whether `DAG Run:<id>` resources are in use, the `log`
 * table, and (PostgreSQL) the id sequences the writer must call explicitly. Constant query count.
 */
import { dialectFor } from './dialects';
import { DbError } from './errors';
import type { Db } from './types';

export const FAB_TABLES = ['ab_role', 'ab_permission', 'ab_view_menu', 'ab_permission_view', 'ab_permission_view_role'] as const;
export type FabTable = (typeof FAB_TABLES)[number];

export interface SchemaInfo {
  dialect: Db['dialect'];
  /** 2 or 3 from the dag columns; null when there is no dag table. */
  airflowMajor: 2 | 3 | null;
  /** How to select live DAGs: `is_active = true` (2.x) or `is_stale = false` (3.x). */
  activeColumn: 'is_active' | 'is_stale' | null;
  hasDagTable: boolean;
  hasDagTag: boolean;
  fabTables: boolean;
  missingFabTables: FabTable[];
  /** `DAG Run:<id>` resources exist in the DB (Airflow >= 2.10 / FAB >= 1.3) or it is Airflow 3. */
  dagRunResources: boolean;
  /** Airflow 2 without the `dataset_alias` table, which 2.10.0 added: an older Airflow, whatever the config says. */
  before210: boolean;
  hasLog: boolean;
  logColumns: string[];
  alembicVersion: string | null;
  /**
   * PostgreSQL: per table, the expression for a new id (`nextval('<seq>')`), or null when the
   * column has its own default / is an identity. MySQL/SQLite: always null (auto-increment/rowid).
   */
  idExpr: Partial<Record<FabTable | 'log', string | null>>;
  /** MySQL: `VARCHAR(n) CHARACTER SET cs COLLATE co` of each `name` column (JSON_TABLE columns match it, keeping indexes usable). */
  nameTypes: Partial<Record<'ab_role' | 'ab_permission' | 'ab_view_menu', string>>;
  hasUserRole: boolean;
}

/** A message for DBs that cannot be synced, or null when the schema is usable. */
export function schemaProblem(s: SchemaInfo): string | null {
  if (!s.hasDagTable) return 'This database has no Airflow "dag" table; is the URL pointing at the Airflow metadata database?';
  // Airflow 3 creates the ab_* tables only through the FAB provider's migrations: without them its auth manager is not FAB.
  if (!s.fabTables && s.airflowMajor === 3)
    return `This is an Airflow 3 database without the FAB provider (${s.missingFabTables.join(', ')} missing): its auth manager is not FAB (Airflow 3's default is the simple auth manager), so there are no FAB roles and nothing to sync. Set airflow.auth_manager in airflow-access.yaml to simple, keycloak or aws to see who has access, or install the FAB provider and use FabAuthManager to grant DAG access by role.`;
  if (!s.fabTables)
    return `This Airflow database has no FAB security tables (${s.missingFabTables.join(', ')} missing): it uses an auth manager without FAB tables (e.g. Airflow 3's SimpleAuthManager or Keycloak), so there are no roles to sync. Install the FAB provider and set auth_manager to FabAuthManager, or manage access in your auth manager.`;
  return null;
}

export async function detectSchema(db: Db): Promise<SchemaInfo> {
  const tables = new Set((await listTables(db)).map((t) => t.toLowerCase()));
  const cols = await columnsOf(db, ['dag', 'log']);
  const dagCols = cols.get('dag') ?? [];
  const missing = FAB_TABLES.filter((t) => !tables.has(t));
  const fab = missing.length === 0;
  const activeColumn = dagCols.includes('is_stale') ? 'is_stale' : dagCols.includes('is_active') ? 'is_active' : null;
  const info: SchemaInfo = {
    dialect: db.dialect,
    airflowMajor: activeColumn === 'is_stale' ? 3 : activeColumn === 'is_active' ? 2 : null,
    activeColumn,
    hasDagTable: tables.has('dag'),
    hasDagTag: tables.has('dag_tag'),
    fabTables: fab,
    missingFabTables: missing,
    dagRunResources: false,
    before210: activeColumn === 'is_active' && !tables.has('dataset_alias'),
    hasLog: tables.has('log'),
    logColumns: cols.get('log') ?? [],
    alembicVersion: null,
    idExpr: {},
    nameTypes: {},
    hasUserRole: tables.has('ab_user_role'),
  };
  if (tables.has('alembic_version')) {
    const rows = await db.query<{ v: string }>('SELECT version_num AS v FROM alembic_version');
    info.alembicVersion = rows[0]?.v != null ? String(rows[0].v) : null;
  }
  if (fab) {
    const rows = await db.query(dialectFor(db.dialect).firstRow("SELECT 1 AS x FROM ab_view_menu WHERE name LIKE 'DAG Run:%'"));
    info.dagRunResources = rows.length > 0 || info.airflowMajor === 3;
  }
  const details = await dialectFor(db.dialect).writeDetails(db, { fab, idTables: [...FAB_TABLES, ...(info.hasLog ? (['log'] as const) : [])] });
  info.nameTypes = details.nameTypes as SchemaInfo['nameTypes'];
  info.idExpr = details.idExpr as SchemaInfo['idExpr'];
  return info;
}

/** Throws a DbError when the DB cannot be synced (no dag table / no FAB tables). */
export function assertSyncable(s: SchemaInfo): void {
  const p = schemaProblem(s);
  if (p) throw new DbError(s.hasDagTable ? 'no-fab-tables' : 'not-airflow', p);
}

async function listTables(db: Db): Promise<string[]> {
  const rows: { t: unknown }[] = await db.query(dialectFor(db.dialect).listTablesSql);
  return rows.map((r) => String(r.t));
}

async function columnsOf(db: Db, tables: string[]): Promise<Map<string, string[]>> {
  const marks = tables.map(() => '?').join(', ');
  const rows: { t: unknown; c: unknown }[] = await db.query(dialectFor(db.dialect).columnsSql(marks), tables);
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const t = String(r.t).toLowerCase();
    out.set(t, [...(out.get(t) ?? []), String(r.c).toLowerCase()]);
  }
  return out;
}
