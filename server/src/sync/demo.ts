/**
 * createDemoDatabase: a small Airflow metadata DB (SQLite) built from the project's own schema
 * (airflowSchema.ts): default roles with their permissions, the given DAGs with tags, and the
 * per-DAG resources Airflow creates when it parses them. For the README demo and for tests that
 * must run without ../shared. `seedAirflowMetadata` fills any empty DB of that schema (MariaDB too).
 * It lives in sync/ because it writes the FAB rows with the sync's own statement builders.
 */
import * as fs from 'fs';
import * as path from 'path';
import { insertGrants, insertNames, insertPermissionViews } from './statements';
import { contextForScript } from './steps';
import { ADMIN_EXTRA, DEMO_ALEMBIC, airflowSchemaDdl, defaultRolePermissions, type DemoVersion } from '../db/airflowSchema';
import { DbError } from '../db/errors';
import { DEFAULT_ROLES } from '../model/defaultRoles';
import { SqliteDb } from '../db/sqlite';
import type { Db, SqlValue } from '../db/types';

export interface DemoOptions {
  airflowVersion?: DemoVersion;
  dags: { dagId: string; tags: string[]; active?: boolean }[];
  /** Replace an existing file (default false: refuse). */
  overwrite?: boolean;
}

export async function createDemoDatabase(file: string, opts: DemoOptions): Promise<{ file: string; dags: number }> {
  const version = opts.airflowVersion ?? '2.10';
  if (fs.existsSync(file)) {
    if (!opts.overwrite) throw new DbError('unsupported', `${file} already exists; not overwriting it.`);
    fs.rmSync(file);
  }
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, ''); // an empty file is a valid empty SQLite database
  const db = await SqliteDb.open(file);
  try {
    await db.transaction(async (tx) => {
      for (const stmt of airflowSchemaDdl('sqlite', version)) await tx.run(stmt);
      await seedAirflowMetadata(tx, version, opts.dags);
    });
  } finally {
    await db.close();
  }
  return { file, dags: opts.dags.length };
}

/** Length of ab_view_menu.name in every Airflow schema. */
const RESOURCE_NAME_MAX = 250;

/** Default roles + permissions, DAG rows, tags and per-DAG resources, into an empty schema. */
export async function seedAirflowMetadata(db: Db, version: DemoVersion, dags: DemoOptions['dags']): Promise<void> {
  const ctx = contextForScript(db.dialect);
  const roles = defaultRolePermissions(version);
  const pairs = new Map<string, { action: string; resource: string }>();
  const add = (action: string, resource: string) => pairs.set(`${action}\u0000${resource}`, { action, resource });
  for (const grants of [...Object.values(roles), ADMIN_EXTRA]) for (const [a, rs] of grants) rs.forEach((r) => add(a, r));
  const dagRun = true; // 2.10 and 3.0 both have DAG Run:<id> resources
  // ab_view_menu.name is VARCHAR(250): like Airflow, no per-DAG resource for an id too long to name.
  const fits = (name: string) => name.length <= RESOURCE_NAME_MAX;
  for (const d of dags) {
    if (fits(`DAG:${d.dagId}`)) ['can_read', 'can_edit', 'can_delete'].forEach((a) => add(a, `DAG:${d.dagId}`));
    if (dagRun && fits(`DAG Run:${d.dagId}`)) ['can_read', 'can_create', 'can_delete', 'menu_access'].forEach((a) => add(a, `DAG Run:${d.dagId}`));
  }
  const all = [...pairs.values()];
  const run = async (s: { sql: string; params: SqlValue[] }) => db.run(s.sql, s.params);
  await run(insertNames(ctx, 'ab_permission', ['can_read', 'can_edit', 'can_create', 'can_delete', 'menu_access']));
  await run(insertNames(ctx, 'ab_view_menu', [...new Set(all.map((p) => p.resource))]));
  await run(insertNames(ctx, 'ab_role', [...DEFAULT_ROLES]));
  await run(insertPermissionViews(ctx, all));
  const grants: { role: string; action: string; resource: string }[] = [];
  for (const [role, gs] of Object.entries(roles)) for (const [a, rs] of gs) rs.forEach((r) => grants.push({ role, action: a, resource: r }));
  // Admin: every permission except per-DAG ones (as Airflow's update_admin_perm_view does).
  for (const p of all) if (!p.resource.startsWith('DAG:') && !p.resource.startsWith('DAG Run:')) grants.push({ role: 'Admin', ...p });
  await run(insertGrants(ctx, grants));
  const active = version === '3.0' ? 'is_stale' : 'is_active';
  for (const d of dags) {
    const live = d.active !== false;
    await db.run(`INSERT INTO dag (dag_id, is_paused, ${active}, fileloc, owners) VALUES (?, ?, ?, ?, ?)`, [
      d.dagId,
      true,
      version === '3.0' ? !live : live,
      `/opt/airflow/dags/${d.dagId}.py`,
      'airflow',
    ]);
    for (const t of new Set(d.tags)) await db.run('INSERT INTO dag_tag (name, dag_id) VALUES (?, ?)', [t, d.dagId]);
  }
  await db.run('INSERT INTO alembic_version (version_num) VALUES (?)', [DEMO_ALEMBIC[version]]);
}
