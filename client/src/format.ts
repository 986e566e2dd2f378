/**
 * Texts the client shows for server results (notifications, status items). Pure: no vscode
 * import, so unit tests cover them.
 */
import type { ApplyRequest, PlanRequest, StatusNotification } from '../../server/src/protocol';

export function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : word + 's'}`;
}

/** "3 grants to add, 1 to revoke, 1 role to create, 2 warnings". */
export function planSummary(s: PlanRequest.Result['summary']): string {
  const parts = [`${plural(s.add, 'grant')} to add`, `${s.revoke} to revoke`];
  if (s.createRoles) parts.push(`${plural(s.createRoles, 'role')} to create`);
  if (s.createResources) parts.push(`${plural(s.createResources, 'resource')} to create`);
  if (s.warnings) parts.push(plural(s.warnings, 'warning'));
  return parts.join(', ');
}

/** "2 grants added, 1 revoked, 1 role created". */
export function applySummary(s: ApplyRequest.Result['summary']): string {
  const parts = [`${plural(s.added, 'grant')} added`, `${s.revoked} revoked`];
  if (s.createdRoles) parts.push(`${plural(s.createdRoles, 'role')} created`);
  if (s.createdResources) parts.push(`${plural(s.createdResources, 'resource')} created`);
  return parts.join(', ');
}

/**
 * The database a plan is for, short enough for a tab title, from PlanRequest.Result.target (which
 * names no password): "PostgreSQL airflow on db:5432 (user airflow)", "SQLite airflow.db".
 */
export function targetLabel(target: string): string {
  const t = target.replace(/^the /, '');
  const sqlite = /^SQLite database (.*)$/.exec(t);
  if (sqlite) return `SQLite ${sqlite[1].split(/[\\/]/).pop() || sqlite[1]}`;
  return t.replace(/^(PostgreSQL|MySQL|MariaDB) database /, '$1 ').replace(/^database /, '');
}

export type PlanDocumentKind = 'plan' | 'drift' | 'rollback';

const KIND_TITLE: Record<PlanDocumentKind, string> = { plan: 'Sync plan', drift: 'Permission drift', rollback: 'Rollback preview' };

/** The tab title of a plan, drift or rollback document: "Sync plan — PostgreSQL airflow on db:5432 (user airflow)". */
export function planDocumentTitle(kind: PlanDocumentKind, target: string): string {
  return `${KIND_TITLE[kind]} — ${targetLabel(target)}`;
}

export type StatusSeverity = 'information' | 'warning' | 'error';

export interface StatusView {
  text: string;
  detail: string;
  severity: StatusSeverity;
}

/** The config/index status item: config state and indexed DAGs, over all folders. */
export function configStatus(folders: StatusNotification.FolderStatus[]): StatusView {
  const view = configOnly(folders);
  // A scan that failed or still runs says so: counts and answers may be incomplete meanwhile.
  const failed = folders.find((f) => f.indexError);
  if (failed) return { text: view.text, detail: `${failed.indexError}; ${view.detail}`, severity: view.severity === 'error' ? 'error' : 'warning' };
  const indexing = folders.find((f) => f.indexing);
  return indexing ? { ...view, detail: `${indexing.indexing!.note}; ${view.detail}` } : view;
}

function configOnly(folders: StatusNotification.FolderStatus[]): StatusView {
  if (folders.length === 0) return { text: 'Airflow Access: no folder', detail: 'Open a folder with DAGs', severity: 'information' };
  const dags = folders.reduce((n, f) => n + f.dagCount, 0);
  const invalid = folders.filter((f) => f.configState === 'invalid');
  const missing = folders.filter((f) => f.configState === 'missing');
  const problems = folders.reduce((n, f) => n + f.configProblems, 0);
  const dagText = plural(dags, 'DAG');
  if (invalid.length > 0) {
    return { text: `$(error) Access config broken · ${dagText}`, detail: `${plural(problems, 'problem')} in ${invalid.map(configName).join(', ')}`, severity: 'error' };
  }
  if (missing.length === folders.length) {
    return { text: `$(info) No access config · ${dagText}`, detail: 'Create airflow-access.yaml to map tags to roles', severity: 'warning' };
  }
  const files = folders.reduce((n, f) => n + f.fileCount, 0);
  const detail = problems > 0 ? `${plural(problems, 'config warning')}; ${plural(files, 'file')} indexed` : `${plural(files, 'file')} indexed`;
  return { text: `$(check) Access config · ${dagText}`, detail, severity: problems > 0 ? 'warning' : 'information' };
}

/** The database status item: connection and drift between config and database. */
export function databaseStatus(folders: StatusNotification.FolderStatus[]): StatusView {
  const dbs = folders.map((f) => f.db).filter((db) => db.state !== 'off');
  if (dbs.length === 0) return { text: '$(database) DB not configured', detail: 'Set airflowDagAccess.database.url', severity: 'information' };
  const failed = dbs.find((db) => db.state === 'error');
  if (failed) return { text: '$(database) DB error', detail: failed.message ?? 'Cannot reach the metadata database', severity: 'error' };
  // Not "in sync": under another auth manager than FAB there is no sync to be in.
  const noSync = dbs.find((db) => db.noSync);
  if (noSync) return { text: '$(database) DB connected · no FAB sync', detail: noSync.noSync!, severity: 'information' };
  const drift = dbs.reduce((n, db) => n + (db.driftCount ?? 0), 0);
  if (drift > 0) return { text: `$(database) DB connected · ${drift} drift`, detail: `${plural(drift, 'permission')} differ from the config`, severity: 'warning' };
  return { text: '$(database) DB connected · in sync', detail: 'The database matches the config', severity: 'information' };
}

function configName(f: StatusNotification.FolderStatus): string {
  return f.configFile ? f.configFile.split(/[\\/]/).pop() ?? f.configFile : f.folderUri;
}
