/**
 * A throw-away copy of the example workspace for the end-to-end tests, with a throw-away Airflow
 * metadata database configured in its workspace settings. Nothing is written into examples/ or
 * ../shared.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Database } from 'node-sqlite3-wasm';
import { distDir, examplesDir, hasShared, metadataFixturesDir } from '../../helpers/paths';
import { shortTmpBase } from './env';

export const FIXTURE_DB = 'airflow-2.10.x.sqlite';

/**
 * Example DAGs "deployed" into the fixture copy (dag + dag_tag rows), as Airflow's DAG processor
 * would have done: the sync reads deployed tags by default, and the fixture comes from another
 * project. Tags as in examples/dags (the marketing DAG still carries the mistyped tag).
 */
export const DEPLOYED_EXAMPLES: { dagId: string; file: string; tags: string[] }[] = [
  { dagId: 'analytics_reporting_dag', file: 'dags/analytics_reporting.py', tags: ['reporting', 'analytics', 'analytics_reporting_edit'] },
  { dagId: 'marketing_analyst_dag', file: 'dags/marketing_leads.py', tags: ['marketing', 'analytics', 'marketing_analyst_edt'] },
];

export interface E2EWorkspace {
  /** Temp dir holding everything below (short path: see shortTmpBase). */
  root: string;
  /** The workspace folder to open (a copy of examples/). */
  folder: string;
  /** The database file, or null when none could be made (dbNote says why). */
  dbFile: string | null;
  /** `sqlite:////abs/path.db` (the setting airflowDagAccess.database.url), or null. */
  dbUrl: string | null;
  dbNote: string;
  cleanup(): void;
}

export interface PrepareOptions {
  withDb?: boolean;
  /** Extra workspace settings (.vscode/settings.json). */
  settings?: Record<string, unknown>;
  /** The DAGs deployed into the database copy (default DEPLOYED_EXAMPLES). */
  deployed?: typeof DEPLOYED_EXAMPLES;
}

export function prepareWorkspace(o: PrepareOptions = {}): E2EWorkspace {
  const root = fs.mkdtempSync(path.join(shortTmpBase(), 'ada-e2e-'));
  const folder = path.join(root, 'examples');
  fs.cpSync(examplesDir, folder, { recursive: true });
  let dbFile: string | null = null;
  let dbNote = 'no database requested';
  if (o.withDb !== false) {
    const target = path.join(root, 'airflow.db');
    if (hasShared) {
      fs.copyFileSync(path.join(metadataFixturesDir, FIXTURE_DB), target);
      fs.chmodSync(target, 0o644);
      deployExamples(target, folder, o.deployed);
      dbFile = target;
      dbNote = `temp copy of ../shared/fixtures/airflow-metadata/${FIXTURE_DB} with the example DAGs deployed`;
    } else {
      const r = spawnSync(process.execPath, [path.join(distDir, 'cli.js'), 'demo-db', target, '--root', folder], { encoding: 'utf8', timeout: 60000 });
      if (r.status === 0 && fs.existsSync(target)) {
        dbFile = target;
        dbNote = 'demo database made by `airflow-access demo-db` (../shared absent)';
      } else {
        dbNote = `../shared absent and \`airflow-access demo-db\` failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).trim().split('\n')[0]}`;
      }
    }
  }
  const dbUrl = dbFile ? `sqlite:///${dbFile}` : null;
  const settings: Record<string, unknown> = { ...(dbUrl ? { 'airflowDagAccess.database.url': dbUrl } : {}), ...o.settings };
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  return {
    root, folder, dbFile, dbUrl, dbNote,
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Insert the example DAGs (active, with their tags) into an Airflow metadata DB copy. */
export function deployExamples(dbFile: string, folder: string, dags = DEPLOYED_EXAMPLES): void {
  const db = new Database(dbFile, { fileMustExist: true });
  try {
    const cols = db.all('PRAGMA table_info(dag)') as { name: string; notnull: number; dflt_value: unknown; pk: number }[];
    for (const d of dags) {
      const row: Record<string, string | number> = {};
      for (const c of cols) if (c.notnull && c.dflt_value === null && !c.pk) row[c.name] = 0;
      Object.assign(row, { dag_id: d.dagId, is_active: 1, is_paused: 0, fileloc: path.join(folder, d.file), owners: 'airflow' });
      for (const k of Object.keys(row)) if (!cols.some((c) => c.name === k)) delete row[k];
      const keys = Object.keys(row);
      db.run(`INSERT OR REPLACE INTO dag (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`, keys.map((k) => row[k]));
      for (const t of d.tags) db.run('INSERT OR IGNORE INTO dag_tag (name, dag_id) VALUES (?, ?)', [t, d.dagId]);
    }
  } finally {
    db.close();
  }
}

export interface Grant {
  role: string;
  action: string;
  resource: string;
}

/** Every (role, action, resource) grant in a FAB metadata DB. */
export function readGrants(dbFile: string): Grant[] {
  const db = new Database(dbFile, { fileMustExist: true, readOnly: true });
  try {
    return db.all(`SELECT r.name AS role, p.name AS action, v.name AS resource
        FROM ab_permission_view_role pvr
        JOIN ab_role r ON r.id = pvr.role_id
        JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id
        JOIN ab_permission p ON p.id = pv.permission_id
        JOIN ab_view_menu v ON v.id = pv.view_menu_id
        ORDER BY 1, 3, 2`) as unknown as Grant[];
  } finally {
    db.close();
  }
}

export function readRoles(dbFile: string): string[] {
  const db = new Database(dbFile, { fileMustExist: true, readOnly: true });
  try {
    return (db.all('SELECT name FROM ab_role ORDER BY name') as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

export const grantKey = (g: Grant): string => `${g.role} | ${g.action} | ${g.resource}`;
