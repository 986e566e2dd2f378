/**
 * Sync benchmark: a synthetic metadata DB with `dags` DAGs × `roles` roles (PG and SQLite), timing
 * plan+apply cold and steady (re-run writes 0 rows), with round trips and rows written, against a
 * faithful port of the MWAA tag-sync DAG's per-row algorithm on an identical DB.
 *   measureSync({ dags?, roles?, dialects? }) → SyncBenchResult[]   (raw figures, in this process)
 *   runSyncBench({ quick }) → Row[]   (for test/bench/main.ts: each dialect in a fresh process)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import type { Db } from '../../server/src/db/types';
import { planAndApply } from '../../server/src/sync/apply';
import { planSync } from '../../server/src/sync/plan';
import { makeConfig } from '../helpers/dbConfig';
import { SYNTHETIC_ACTIONS, buildDb, roleOf, tagOf } from '../helpers/syntheticDb';
import { createPgDb, hasPg, tempDir } from '../helpers/dbServers';
import type { Row } from './report';

export interface SyncBenchResult {
  dialect: 'postgres' | 'sqlite';
  dags: number;
  roles: number;
  /** ms = planMs (lock + state read + plan) + applyMs (snapshot, writes, commit). */
  cold: { ms: number; planMs: number; applyMs: number; cpuMs: number; roundTrips: number; rowsWritten: number };
  /** Median of STEADY_RUNS re-runs (`runs`: each one's ms); cpuMs: this process's CPU time (the Python lock helper not included). */
  steady: { ms: number; planMs: number; applyMs: number; cpuMs: number; roundTrips: number; rowsWritten: number; runs: number[] };
  seedBaseline: { coldMs: number; steadyMs: number; roundTrips: number; rowsWritten: number };
  speedupCold: number;
  speedupSteady: number;
}

const ACTIONS = SYNTHETIC_ACTIONS;
/** Steady re-runs per measurement (the median is reported). */
const STEADY_RUNS = 5;

/** Port of the MWAA tag-sync DAG: per role, look up ids, DELETE its DAG:% grants, per-row INSERTs, one commit per step (as the seed). */
async function seedAlgorithm(db: Db, nRoles: number): Promise<{ rows: number }> {
  let rows = 0;
  const conflict = (cols: string) => (db.dialect === 'postgres' || db.dialect === 'sqlite' ? ` ON CONFLICT (${cols}) DO NOTHING` : '');
  const pvRole = db.dialect === 'postgres' ? ['id, ', "nextval('ab_permission_view_role_id_seq'), "] : ['', ''];
  const pvId = db.dialect === 'postgres' ? ['id, ', "nextval('ab_permission_view_id_seq'), "] : ['', ''];
  for (let r = 0; r < nRoles; r++) {
    const roleId = (await db.query('SELECT id FROM ab_role WHERE name = ?', [roleOf(r)]))[0].id as number;
    rows += (await db.run("DELETE FROM ab_permission_view_role WHERE id IN (SELECT pvr.id FROM ab_permission_view_role pvr JOIN ab_permission_view pv ON pvr.permission_view_id = pv.id JOIN ab_view_menu vm ON pv.view_menu_id = vm.id WHERE pvr.role_id = ? AND vm.name LIKE 'DAG:%')", [roleId])).changes;
    const dagIds = (await db.query('SELECT DISTINCT dag_id FROM dag_tag WHERE name = ?', [tagOf(r)])).map((x) => String(x.dag_id));
    if (!dagIds.length) continue;
    const names = dagIds.map((d) => `DAG:${d.trim()}`);
    const vmIds = (await db.query(`SELECT id FROM ab_view_menu WHERE name IN (${names.map(() => '?').join(', ')})`, names)).map((x) => Number(x.id));
    const pvIds: number[] = [];
    for (const a of ACTIONS) {
      const permId = Number((await db.query('SELECT id FROM ab_permission WHERE name = ?', [a]))[0].id);
      // The seed: one session per step, one execute per row, one commit at the end of the step.
      await db.run('BEGIN');
      for (const vm of vmIds) rows += (await db.run(`INSERT INTO ab_permission_view (${pvId[0]}permission_id, view_menu_id) VALUES (${pvId[1]}?, ?)${conflict('permission_id, view_menu_id')}`, [permId, vm])).changes;
      await db.run('COMMIT');
      pvIds.push(...(await db.query(`SELECT id FROM ab_permission_view WHERE permission_id = ? AND view_menu_id IN (${vmIds.map(() => '?').join(', ')})`, [permId, ...vmIds])).map((x) => Number(x.id)));
    }
    await db.run('BEGIN');
    for (const pv of pvIds) rows += (await db.run(`INSERT INTO ab_permission_view_role (${pvRole[0]}permission_view_id, role_id) VALUES (${pvRole[1]}?, ?)${conflict('permission_view_id, role_id')}`, [pv, roleId])).changes;
    await db.run('COMMIT');
    await db.query(`SELECT id FROM ab_permission_view_role WHERE permission_view_id IN (${pvIds.map(() => '?').join(', ')}) AND role_id = ?`, [...pvIds, roleId]);
  }
  return { rows };
}

async function one(dialect: 'postgres' | 'sqlite', nDags: number, nRoles: number): Promise<SyncBenchResult> {
  const config = makeConfig(Array.from({ length: nRoles }, (_, r) => ({ name: roleOf(r), tags: [tagOf(r)], dag: ACTIONS as never, cleanup: true })));
  const dir = tempDir();
  const make = async () => {
    if (dialect === 'sqlite') {
      const f = path.join(dir, `b${Math.random().toString(36).slice(2)}.db`);
      fs.writeFileSync(f, '');
      return { url: `sqlite:///${f}`, drop: async () => fs.rmSync(f, { force: true }) };
    }
    return createPgDb();
  };
  const ours = await make();
  const base = await make();
  try {
    for (const t of [ours, base]) {
      const db = await openDatabase({ url: t.url, env: {} });
      await buildDb(db, nDags, nRoles);
      // As a live metadata DB: planner statistics present (autovacuum keeps them in production).
      if (db.dialect === 'postgres') await db.run('ANALYZE');
      await db.close();
    }
    const db = await openDatabase({ url: ours.url, env: {} });
    // As `airflow-access sync --yes` does: lock, read, plan and write in one transaction.
    const run = async () => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const trips0 = db.roundTrips;
      let planned = 0;
      const { result } = await planAndApply(
        db,
        (state) => {
          const plan = planSync(state, config, { tagSource: 'db' });
          planned = performance.now();
          return plan;
        },
        { snapshotDir: dir },
      );
      const t2 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      return { ms: t2 - t0, planMs: planned - t0, applyMs: t2 - planned, cpuMs: (cpu.user + cpu.system) / 1000, roundTrips: db.roundTrips - trips0, rowsWritten: result?.rowsWritten ?? 0 };
    };
    // Start from a heap without the database build's garbage, as a fresh `airflow-access sync` does.
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    const cold = await run();
    // Steady: the median of several re-runs (one run swings by a factor of two on a loaded machine).
    const steadyRuns: Awaited<ReturnType<typeof run>>[] = [];
    for (let i = 0; i < STEADY_RUNS; i++) {
      collect?.();
      steadyRuns.push(await run());
    }
    const steady = { ...steadyRuns.sort((a, b) => a.ms - b.ms)[STEADY_RUNS >> 1], runs: steadyRuns.map((r) => r.ms) };
    await db.close();
    const sdb = await openDatabase({ url: base.url, env: {} });
    let t0 = performance.now();
    const trips0 = sdb.roundTrips;
    const s1 = await seedAlgorithm(sdb, nRoles);
    const coldMs = performance.now() - t0;
    const roundTrips = sdb.roundTrips - trips0;
    t0 = performance.now();
    await seedAlgorithm(sdb, nRoles);
    const steadyMs = performance.now() - t0;
    await sdb.close();
    return {
      dialect,
      dags: nDags,
      roles: nRoles,
      cold,
      steady,
      seedBaseline: { coldMs, steadyMs, roundTrips, rowsWritten: s1.rows },
      speedupCold: coldMs / cold.ms,
      speedupSteady: steadyMs / steady.ms,
    };
  } finally {
    await ours.drop();
    await base.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureSync(opts: { dags?: number; roles?: number; dialects?: ('postgres' | 'sqlite')[] } = {}): Promise<SyncBenchResult[]> {
  const out: SyncBenchResult[] = [];
  for (const d of opts.dialects ?? (['postgres', 'sqlite'] as const)) {
    if (d === 'postgres' && !hasPg) continue;
    out.push(await one(d, opts.dags ?? 10_000, opts.roles ?? 50));
  }
  return out;
}

/**
 * One dialect's measurement in a fresh process, as the CLI runs a sync: a heap holding nothing but
 * the sync (the database build's garbage is collected before timing, see `one`).
 */
function measureInChild(dialect: 'postgres' | 'sqlite', dags: number, roles: number): SyncBenchResult {
  const out = execFileSync(process.execPath, ['--expose-gc', __filename, String(dags), String(roles), dialect], { encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return (JSON.parse(out) as SyncBenchResult[])[0];
}

/** Rows for the benchmark report. quick: 1 000 DAGs × 10 roles instead of 10 000 × 50. */
export async function runSyncBench(opts: { quick?: boolean } = {}): Promise<Row[]> {
  const [dags, roles] = opts.quick ? [1_000, 10] : [10_000, 50];
  const results = (['postgres', 'sqlite'] as const).filter((d) => d !== 'postgres' || hasPg).map((d) => measureInChild(d, dags, roles));
  const rows: Row[] = [];
  const f = (ms: number) => `${Math.round(ms)} ms`;
  for (const r of results) {
    const sec = `sync ${r.dialect} ${r.dags}×${r.roles}`;
    const pg = r.dialect === 'postgres';
    const key = pg ? 'pg' : 'sqlite';
    const data = { coldMs: r.cold.ms, steadyMs: r.steady.ms, coldTrips: r.cold.roundTrips, steadyTrips: r.steady.roundTrips, coldRows: r.cold.rowsWritten, seedColdMs: r.seedBaseline.coldMs, seedSteadyMs: r.seedBaseline.steadyMs, seedTrips: r.seedBaseline.roundTrips };
    rows.push({ id: `${key}_cold_ms`, section: sec, metric: 'cold plan+apply', value: `${f(r.cold.ms)} (plan ${f(r.cold.planMs)}, apply ${f(r.cold.applyMs)}), ${r.cold.roundTrips} round trips, ${r.cold.rowsWritten} rows`, target: 'constant round trips', verdict: r.cold.roundTrips < 50 ? 'PASS' : 'MISS', data: { value: r.cold.ms, planMs: r.cold.planMs, applyMs: r.cold.applyMs, ...data } });
    // The SQLite target: a steady re-run (plan + apply) ≤ 300 ms; PostgreSQL's is 0 rows written.
    const steadyOk = r.steady.rowsWritten === 0 && (pg || r.steady.ms <= 300);
    rows.push({ id: `${key}_steady_ms`, section: sec, metric: `steady re-run (median of ${r.steady.runs.length})`, value: `${f(r.steady.ms)} (plan ${f(r.steady.planMs)}, apply ${f(r.steady.applyMs)}; CPU ${f(r.steady.cpuMs)}), ${r.steady.roundTrips} round trips, ${r.steady.rowsWritten} rows written`, target: pg ? '0 rows' : '0 rows, ≤ 300 ms', verdict: steadyOk ? 'PASS' : 'MISS', data: { value: r.steady.ms, planMs: r.steady.planMs, applyMs: r.steady.applyMs, cpuMs: r.steady.cpuMs, minMs: Math.min(...r.steady.runs), maxMs: Math.max(...r.steady.runs), roundTrips: r.steady.roundTrips, rowsWritten: r.steady.rowsWritten } });
    rows.push({ id: `${key}_seed_baseline_ms`, section: sec, metric: 'seed per-row baseline', value: `cold ${f(r.seedBaseline.coldMs)} (${r.seedBaseline.roundTrips} round trips), re-run ${f(r.seedBaseline.steadyMs)}`, target: '', verdict: 'INFO', data: { value: r.seedBaseline.coldMs, steadyMs: r.seedBaseline.steadyMs, roundTrips: r.seedBaseline.roundTrips } });
    // The issue sets speed-up targets for PostgreSQL only; SQLite's are shown for comparison.
    rows.push({ id: `${key}_speedup_cold`, section: sec, metric: 'speed-up cold', value: `${r.speedupCold.toFixed(1)}×`, target: pg ? '≥ 30×' : '(PostgreSQL only)', verdict: pg ? (r.speedupCold >= 30 ? 'PASS' : 'MISS') : 'INFO', data: { value: r.speedupCold } });
    // The issue's own absolute reading of the same target: "≤ 0.7 s where the baseline takes 17 s".
    if (pg && !opts.quick) rows.push({ id: 'pg_cold_absolute_ms', section: sec, metric: 'cold plan+apply, absolute', value: f(r.cold.ms), target: '≤ 700 ms (issue, at a 17 s baseline)', verdict: r.cold.ms <= 700 ? 'PASS' : 'MISS', data: { value: r.cold.ms }, note: `the port of the seed here takes ${(r.seedBaseline.coldMs / 1000).toFixed(1)} s (Node issues its 120,950 statements faster than the seed's Python)` });
    rows.push({ id: `${key}_speedup_steady`, section: sec, metric: 'speed-up steady', value: `${r.speedupSteady.toFixed(1)}×`, target: pg ? '≥ 50×' : '(PostgreSQL only)', verdict: pg ? (r.speedupSteady >= 50 ? 'PASS' : 'MISS') : 'INFO', data: { value: r.speedupSteady } });
  }
  return rows;
}

// Child mode (see measureInChild): node --expose-gc sync.js <dags> <roles> [postgres|sqlite] → JSON on stdout.
if (require.main === module) {
  const [dags, roles] = process.argv.slice(2, 4).map(Number);
  const dialect = process.argv[4] as 'postgres' | 'sqlite' | undefined;
  measureSync({ dags: dags || undefined, roles: roles || undefined, dialects: dialect ? [dialect] : undefined }).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
}
