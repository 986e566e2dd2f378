/**
 * Whole-process CLI figures: what a person waits for at the terminal, node's start-up included.
 *   - `airflow-access --help` (the bundle's start-up cost);
 *   - `plan` with nothing to do and `sync --yes` from empty per-DAG grants (snapshot included) on
 *     PostgreSQL, over the sync bench's synthetic metadata DB (test/helpers/syntheticDb.ts: 10,000 DAGs
 *     with two tags each, 50 roles) and a workspace holding only airflow-access.yaml, whose first 25
 *     roles take their tag's DAGs with can_read, can_edit and can_delete (about 30,000 grants);
 *   - `sync --yes` with nothing to do on SQLite (same DB and workspace in a file): the user-felt form of
 *     the sync bench's in-process `sqlite_steady_ms` (Node start, bundle, wasm driver and Python lock included).
 * Each figure is the median of several runs of `node dist/cli.js ...` (dist/ built by `npm run bench`).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { openDatabase } from '../../server/src/db/connect';
import { buildDb, roleOf, tagOf } from '../helpers/syntheticDb';
import { PG_HOST, PG_USER, createPgDb, hasPg } from '../helpers/dbServers';
import { distDir } from '../helpers/paths';
import { ms, percentile, type Row, verdict } from './report';

// As test/cli/cliRunner.ts: $AIRFLOW_ACCESS_CLI measures another build (e.g. the previous one, for a before/after).
const cli = process.env.AIRFLOW_ACCESS_CLI ?? path.join(distDir, 'cli.js');

/** Wall time of one CLI process in ms; throws with its stderr when it fails. */
function runCli(args: string[], cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`airflow-access ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return wall;
}

function median(samples: number[]): number {
  return percentile(samples, 50);
}

function spread(samples: number[]): string {
  return `${samples.length} runs ${ms(Math.min(...samples))}–${ms(Math.max(...samples))}`;
}

/** A workspace of only the config: roles team_00..team_{n-1}, each granted its tag's DAGs. */
function configWorkspace(roles: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-cli-bench-'));
  const lines = ['version: 1', 'airflow:', '  version: "2.10"', '  auth_manager: fab', 'roles:'];
  for (let r = 0; r < roles; r++) lines.push(`  ${roleOf(r)}:`, `    tags: [${tagOf(r)}]`, '    dag_permissions: [can_read, can_edit, can_delete]', '    cleanup: true');
  fs.writeFileSync(path.join(dir, 'airflow-access.yaml'), `${lines.join('\n')}\n`);
  return dir;
}

async function pgAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ host: PG_HOST, user: PG_USER, database: 'postgres' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface CliBenchOptions {
  quick?: boolean;
  /** Only the --help row. */
  skipDb?: boolean;
}

export async function cliBench(opts: CliBenchOptions = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const runs = opts.quick ? 5 : 9;
  const help: number[] = [];
  runCli(['--help'], os.tmpdir()); // the page cache holds the bundle from here on, as on a second run
  for (let i = 0; i < runs; i++) help.push(runCli(['--help'], os.tmpdir()));
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', '0']);
    bare.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  rows.push({
    id: 'cli_help_ms',
    section: 'CLI',
    metric: 'airflow-access --help, whole process',
    value: `${ms(median(help))} (${spread(help)}; node -e 0: ${ms(median(bare))})`,
    target: '≤ 150 ms',
    verdict: verdict(median(help) <= 150),
    data: { value: median(help), nodeBareMs: median(bare) },
  });
  if (opts.skipDb) return rows;
  rows.push(await sqliteSteadyRow(opts, runs));
  if (!hasPg) {
    rows.push({ id: 'cli_plan_steady_ms', section: 'CLI', metric: 'plan, nothing to do, PostgreSQL', value: 'no PostgreSQL', target: '≤ 500 ms', verdict: 'SKIP', data: { value: null } });
    rows.push({ id: 'cli_sync_cold_ms', section: 'CLI', metric: 'sync --yes cold, PostgreSQL', value: 'no PostgreSQL', target: '≤ 1.00 s', verdict: 'SKIP', data: { value: null } });
    return rows;
  }
  const [dags, roles, configured] = opts.quick ? [1_000, 10, 5] : [10_000, 50, 25];
  const template = await createPgDb();
  const ws = configWorkspace(configured);
  const copies: string[] = [];
  try {
    const db = await openDatabase({ url: template.url, env: {} });
    await buildDb(db, dags, roles);
    await db.run('ANALYZE');
    await db.close();
    const copy = async () => {
      const name = `${template.name}_${copies.length}`;
      await pgAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template.name}`));
      copies.push(name);
      return `postgresql://${PG_USER}@${PG_HOST}:5432/${name}`;
    };
    const snapshots = path.join(ws, 'snapshots');
    // Cold: each run on a fresh copy of the synthetic DB (no per-DAG grants yet).
    const cold: number[] = [];
    let grants = 0;
    let last = '';
    for (let i = 0; i < (opts.quick ? 2 : 3); i++) {
      last = await copy();
      cold.push(runCli(['sync', '--db', last, '--yes', '-q', '--snapshot-dir', snapshots], ws));
      if (i === 0) grants = await countGrants(last);
    }
    const planRuns: number[] = [];
    for (let i = 0; i < runs; i++) planRuns.push(runCli(['plan', '--db', last, '-q', '--detailed-exitcode'], ws));
    rows.push({
      id: 'cli_plan_steady_ms',
      section: 'CLI',
      metric: `plan, nothing to do, PostgreSQL ${dags}×${roles}, whole process`,
      value: `${ms(median(planRuns))} (${spread(planRuns)})`,
      target: '≤ 500 ms',
      verdict: verdict(median(planRuns) <= 500),
      data: { value: median(planRuns) },
    });
    rows.push({
      id: 'cli_sync_cold_ms',
      section: 'CLI',
      metric: `sync --yes cold, PostgreSQL, ${grants} grants, snapshot included, whole process`,
      value: `${ms(median(cold))} (${spread(cold)})`,
      target: '≤ 1.00 s',
      verdict: verdict(median(cold) <= 1000),
      data: { value: median(cold), grants },
    });
  } finally {
    for (const name of copies) await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name}`)).catch(() => undefined);
    await template.drop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
  return rows;
}

/** `sync --yes` on an up-to-date SQLite file, whole process (median of `runs`). */
export async function sqliteSteadyRow(opts: CliBenchOptions, runs: number): Promise<Row> {
  const [dags, roles, configured] = opts.quick ? [1_000, 10, 5] : [10_000, 50, 25];
  const ws = configWorkspace(configured);
  try {
    const file = path.join(ws, 'airflow.db');
    fs.writeFileSync(file, '');
    const url = `sqlite:///${file}`;
    const db = await openDatabase({ url, env: {} });
    await buildDb(db, dags, roles);
    await db.close();
    const args = ['sync', '--db', url, '--yes', '-q', '--snapshot-dir', path.join(ws, 'snapshots')];
    runCli(args, ws); // cold: writes the grants
    const steady: number[] = [];
    for (let i = 0; i < runs; i++) steady.push(runCli(args, ws));
    return {
      id: 'cli_sqlite_sync_steady_ms',
      section: 'CLI',
      metric: `sync --yes, nothing to do, SQLite ${dags}×${roles}, whole process (node ${process.version})`,
      value: `${ms(median(steady))} (${spread(steady)})`,
      target: '(issue target is the in-process sqlite_steady_ms)',
      verdict: 'INFO',
      data: { value: median(steady) },
    };
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

/** Per-DAG grants of the configured roles after a sync. */
async function countGrants(url: string): Promise<number> {
  const db = await openDatabase({ url, env: {} });
  try {
    const r = await db.query("SELECT count(*) AS n FROM ab_permission_view_role pvr JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id JOIN ab_view_menu vm ON vm.id = pv.view_menu_id WHERE vm.name LIKE 'DAG:%'", []);
    return Number(r[0].n);
  } finally {
    await db.close();
  }
}
