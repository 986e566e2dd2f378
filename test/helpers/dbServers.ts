/**
 * Throw-away databases for DB tests: one PostgreSQL / MariaDB database per test (created with a
 * random name, dropped afterwards) and temp copies of SQLite files. Servers: 127.0.0.1 trust auth.
 */
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as mysql from 'mysql2/promise';
import { Client } from 'pg';
import { airflowSchemaDdl, type DemoVersion } from '../../server/src/db/airflowSchema';
import { openDatabase } from '../../server/src/db/connect';
import { seedAirflowMetadata } from '../../server/src/sync/demo';

export const PG_HOST = process.env.ADA_PG_HOST ?? '127.0.0.1';
export const PG_USER = process.env.ADA_PG_USER ?? (process.env.USER === 'root' ? 'root' : 'postgres');
export const MY_HOST = process.env.ADA_MYSQL_HOST ?? '127.0.0.1';

/** Whether `cmd args` runs and exits 0 within 5 s. */
export function probe(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export const hasPg = probe('psql', ['-h', PG_HOST, '-U', PG_USER, '-d', 'postgres', '-Atc', 'select 1']);
export const hasMaria = probe('mariadb', ['-h', MY_HOST, '-uroot', '-e', 'select 1']);
export const needsPg = hasPg ? false : `needs PostgreSQL on ${PG_HOST}:5432 (psql); skipped`;
export const needsMaria = hasMaria ? false : `needs MariaDB/MySQL on ${MY_HOST}:3306 (mariadb client); skipped`;

const rand = () => `ada_${randomBytes(5).toString('hex')}`;

export interface TempDb {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createPgDb(dumpFile?: string): Promise<TempDb> {
  const name = rand();
  const admin = new Client({ host: PG_HOST, user: PG_USER, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const t: TempDb = {
    name,
    url: `postgresql://${PG_USER}@${PG_HOST}:5432/${name}`,
    drop: async () => {
      const c = new Client({ host: PG_HOST, user: PG_USER, database: 'postgres' });
      await c.connect();
      await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
  if (dumpFile) {
    try {
      execFileSync('psql', ['-q', '-h', PG_HOST, '-U', PG_USER, '-v', 'ON_ERROR_STOP=1', '-d', name, '-f', dumpFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      await t.drop();
      throw err;
    }
  }
  return t;
}

/** A MariaDB database with the project's Airflow schema, seeded like a fresh Airflow. */
export async function createMariaDb(version: DemoVersion, dags: { dagId: string; tags: string[]; active?: boolean }[]): Promise<TempDb> {
  const name = rand();
  const admin = await mysql.createConnection({ host: MY_HOST, user: 'root' });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = `mysql://root@${MY_HOST}:3306/${name}`;
  const t: TempDb = {
    name,
    url,
    drop: async () => {
      const c = await mysql.createConnection({ host: MY_HOST, user: 'root' });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
  return seedSchema(t, airflowSchemaDdl('mysql', version), version, dags);
}

/** Run `ddl` and seed a fresh Airflow's rows into the temp database; drop it if that fails. */
export async function seedSchema(t: TempDb, ddl: string[], version: DemoVersion, dags: { dagId: string; tags: string[]; active?: boolean }[]): Promise<TempDb> {
  const db = await openDatabase({ url: t.url, env: {} });
  try {
    for (const s of ddl) await db.run(s);
    await db.transaction((tx) => seedAirflowMetadata(tx, version, dags));
  } catch (err) {
    await db.close();
    await t.drop();
    throw err;
  }
  await db.close();
  return t;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ada-db-'));
}

/** Copy a SQLite file to a fresh temp dir; the URL and a cleanup. */
export function sqliteCopy(file: string): TempDb & { file: string } {
  const dir = tempDir();
  const copy = path.join(dir, 'airflow.db');
  fs.copyFileSync(file, copy);
  return { name: copy, file: copy, url: `sqlite:///${copy}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}
