/**
 * The project's own DDL for the Airflow metadata tables the sync reads and writes, modelled on
 * Airflow's schema (FAB security tables, dag, dag_tag, log, alembic_version) for SQLite and
 * MySQL/MariaDB. Used by the demo database and by tests on servers without a fixture dump.
 */
import { dialectFor } from './dialects';
import type { Dialect } from './types';

export type DemoVersion = '2.10' | '3.0';

/** The DDL for a dialect with its own column types (`demoDdl`); throws for one without (PostgreSQL uses fixture dumps). */
export function airflowSchemaDdl(dialect: Dialect, version: DemoVersion): string[] {
  const types = dialectFor(dialect).demoDdl;
  if (!types) throw new Error(`No demo DDL for ${dialect}.`);
  const { id, tableTail: tail, stringId: sid, bool, timestamp: ts, longKeyPrefix } = types;
  const activeCol = version === '3.0' ? `is_stale ${bool} NOT NULL DEFAULT TRUE` : `is_active ${bool}`;
  const fk = (name: string, col: string, ref: string, cascade = false) =>
    `CONSTRAINT ${name} FOREIGN KEY (${col}) REFERENCES ${ref} (${ref === 'dag' ? 'dag_id' : 'id'})${cascade ? ' ON DELETE CASCADE' : ''}`;
  const c3 = version === '3.0';
  return [
    `CREATE TABLE ab_permission (${id}, name VARCHAR(100) NOT NULL, CONSTRAINT ab_permission_pkey PRIMARY KEY (id), CONSTRAINT ab_permission_name_uq UNIQUE (name))${tail}`,
    `CREATE TABLE ab_view_menu (${id}, name VARCHAR(250) NOT NULL, CONSTRAINT ab_view_menu_pkey PRIMARY KEY (id), CONSTRAINT ab_view_menu_name_uq UNIQUE (name))${tail}`,
    `CREATE TABLE ab_role (${id}, name VARCHAR(64) NOT NULL, CONSTRAINT ab_role_pkey PRIMARY KEY (id), CONSTRAINT ab_role_name_uq UNIQUE (name))${tail}`,
    `CREATE TABLE ab_permission_view (${id}, permission_id INTEGER, view_menu_id INTEGER, CONSTRAINT ab_permission_view_pkey PRIMARY KEY (id),` +
      ` CONSTRAINT ab_permission_view_permission_id_view_menu_id_uq UNIQUE (permission_id, view_menu_id),` +
      ` ${fk('ab_permission_view_permission_id_fkey', 'permission_id', 'ab_permission')}, ${fk('ab_permission_view_view_menu_id_fkey', 'view_menu_id', 'ab_view_menu')})${tail}`,
    `CREATE TABLE ab_permission_view_role (${id}, permission_view_id INTEGER, role_id INTEGER, CONSTRAINT ab_permission_view_role_pkey PRIMARY KEY (id),` +
      ` CONSTRAINT ab_permission_view_role_permission_view_id_role_id_uq UNIQUE (permission_view_id, role_id),` +
      ` ${fk('ab_permission_view_role_permission_view_id_fkey', 'permission_view_id', 'ab_permission_view', c3)}, ${fk('ab_permission_view_role_role_id_fkey', 'role_id', 'ab_role', c3)})${tail}`,
    `CREATE TABLE ab_user (${id}, first_name VARCHAR(256) NOT NULL, last_name VARCHAR(256) NOT NULL, username VARCHAR(512) NOT NULL, password VARCHAR(256), active ${bool},` +
      ` email VARCHAR(512) NOT NULL, last_login ${ts}, login_count INTEGER, fail_login_count INTEGER, created_on ${ts}, changed_on ${ts}, created_by_fk INTEGER, changed_by_fk INTEGER,` +
      ` CONSTRAINT ab_user_pkey PRIMARY KEY (id), CONSTRAINT ab_user_username_uq UNIQUE (username${longKeyPrefix}), CONSTRAINT ab_user_email_uq UNIQUE (email${longKeyPrefix}))${tail}`,
    `CREATE TABLE ab_user_role (${id}, user_id INTEGER, role_id INTEGER, CONSTRAINT ab_user_role_pkey PRIMARY KEY (id), CONSTRAINT ab_user_role_user_id_role_id_uq UNIQUE (user_id, role_id),` +
      ` ${fk('ab_user_role_user_id_fkey', 'user_id', 'ab_user', c3)}, ${fk('ab_user_role_role_id_fkey', 'role_id', 'ab_role', c3)})${tail}`,
    `CREATE TABLE dag (dag_id ${sid(250)} NOT NULL, is_paused ${bool}, ${activeCol}, last_parsed_time ${ts}, fileloc VARCHAR(2000), owners VARCHAR(2000), description TEXT,` +
      ` max_active_tasks INTEGER NOT NULL DEFAULT 16, max_active_runs INTEGER, has_task_concurrency_limits ${bool} NOT NULL DEFAULT FALSE, dag_display_name VARCHAR(2000),` +
      ` CONSTRAINT dag_pkey PRIMARY KEY (dag_id))${tail}`,
    `CREATE TABLE dag_tag (name VARCHAR(100) NOT NULL, dag_id ${sid(250)} NOT NULL, CONSTRAINT dag_tag_pkey PRIMARY KEY (name, dag_id), ${fk('dag_tag_dag_id_fkey', 'dag_id', 'dag', true)})${tail}`,
    `CREATE INDEX idx_dag_tag_dag_id ON dag_tag (dag_id)`,
    `CREATE TABLE log (${id}, dttm ${ts}, dag_id ${sid(250)}, task_id ${sid(250)}, map_index INTEGER, event VARCHAR(60), ${c3 ? 'logical_date' : 'execution_date'} ${ts},` +
      ` run_id ${sid(250)}, owner VARCHAR(500), owner_display_name VARCHAR(500), extra TEXT, try_number INTEGER, CONSTRAINT log_pkey PRIMARY KEY (id))${tail}`,
    `CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))${tail}`,
    // Added by Airflow 2.10.0 (renamed asset_alias in 3.0); the sync tells a 2.10 schema from an older one by it.
    ...(c3 ? [] : [`CREATE TABLE dataset_alias (${id}, name VARCHAR(3000) NOT NULL, CONSTRAINT dataset_alias_pkey PRIMARY KEY (id))${tail}`]),
  ];
}

/** Alembic heads: 2.10.3 ("Rename dag_schedule_dataset_alias_reference constraint names") and 3.0.3. */
export const DEMO_ALEMBIC: Record<DemoVersion, string> = { '2.10': '5f2621c13b39', '3.0': 'fe199e1abd77' };

type Grants = [string, string[]][];

/** Default role permissions (FAB ROLE_CONFIGS, condensed): [action, resources]. */
export function defaultRolePermissions(version: DemoVersion): Record<'Viewer' | 'User' | 'Op', Grants> {
  const assets = version === '3.0' ? 'Assets' : 'Datasets';
  const viewer: Grants = [
    ['can_read', ['DAGs', 'DAG Dependencies', 'DAG Code', 'DAG Runs', assets, 'Cluster Activity', 'Pools', 'ImportError', 'Jobs', 'My Password', 'My Profile', 'SLA Misses', 'Task Instances', 'Task Logs', 'XComs', 'Website']],
    ['can_edit', ['My Password', 'My Profile']],
    ['menu_access', ['Browse', 'DAGs', 'DAG Dependencies', 'DAG Runs', assets, 'Cluster Activity', 'Documentation', 'Docs', 'Jobs', 'SLA Misses', 'Task Instances']],
  ];
  const user: Grants = [
    ['can_edit', ['DAGs', 'Task Instances', 'DAG Runs']],
    ['can_delete', ['DAGs', 'Task Instances', 'DAG Runs']],
    ['can_create', ['Task Instances', 'DAG Runs', assets]],
  ];
  const op: Grants = [
    ['menu_access', ['Admin', 'Configurations', 'Connections', 'Pools', 'Plugins', 'Variables', 'Providers', 'XComs']],
    ['can_read', ['Configurations', 'Connections', 'Plugins', 'Providers', 'Variables']],
    ['can_create', ['Connections', 'Pools', 'Variables']],
    ['can_edit', ['Connections', 'Pools', 'Variables']],
    ['can_delete', ['Connections', 'Pools', 'Variables', 'XComs']],
  ];
  return { Viewer: viewer, User: [...viewer, ...user], Op: [...viewer, ...user, ...op] };
}

export const ADMIN_EXTRA: Grants = [
  ['can_read', ['Audit Logs', 'Task Reschedules', 'Triggers', 'Passwords', 'Roles']],
  ['menu_access', ['Audit Logs', 'Task Reschedules', 'Triggers']],
  ['can_edit', ['Passwords', 'Roles']],
];
