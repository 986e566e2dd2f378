/**
 * `check` at scale, each in a fresh CLI process: a config of 10k / 20k / 40k roles (one tag each, no
 * aliases) over one DAG, and one file holding 5,000 copies of one dag_id (ADA011). Figures only.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ms, type Row } from './report';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function timeCheck(root: string): { millis: number; code: number | null } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, 'check', '--root', root, '--no-color', '--quiet'], { stdio: 'ignore', timeout: 600_000 });
  return { millis: Number(process.hrtime.bigint() - start) / 1e6, code: r.status };
}

function rolesWorkspace(dir: string, n: number): void {
  fs.mkdirSync(path.join(dir, 'dags'), { recursive: true });
  const roles = Array.from({ length: n }, (_, i) => `  team_${i}:\n    tags: [team_${i}_read]\n    dag_permissions: [can_read, can_edit]\n    base_role: Viewer\n`);
  fs.writeFileSync(path.join(dir, 'airflow-access.yaml'), `version: 1\npermission_tag_pattern: "_(read|edit)$"\nroles:\n${roles.join('')}`);
  fs.writeFileSync(path.join(dir, 'dags', 'a.py'), 'from airflow import DAG\nwith DAG("a", tags=["team_1_read"]) as d:\n    pass\n');
}

function duplicatesWorkspace(dir: string, n: number): void {
  fs.mkdirSync(path.join(dir, 'dags'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'airflow-access.yaml'), 'version: 1\nroles:\n  team:\n    tags: [team_read]\n');
  fs.writeFileSync(path.join(dir, 'dags', 'dup.py'), `from airflow import DAG\n${Array.from({ length: n }, (_, i) => `d${i} = DAG(dag_id="repeated_dag", tags=["team_read"])\n`).join('')}`);
}

export function checkScaleBench(opts: { quick: boolean }): Row[] {
  const rows: Row[] = [];
  const cases: [string, (dir: string) => void][] = [
    ...(opts.quick ? [10_000] : [10_000, 20_000, 40_000]).map((n): [string, (dir: string) => void] => [`check, ${n / 1000}k roles`, (dir) => rolesWorkspace(dir, n)]),
    ['check, 5,000 copies of one dag_id', (dir) => duplicatesWorkspace(dir, 5000)],
  ];
  for (const [metric, make] of cases) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-bench-check-'));
    try {
      make(dir);
      const t = timeCheck(dir);
      rows.push({ section: 'check scale', metric, value: t.code === null ? 'timed out' : ms(t.millis), target: 'linear', verdict: 'INFO', data: { millis: Math.round(t.millis), exitCode: t.code } });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
