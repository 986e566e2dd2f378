/**
 * Runs the BUILT CLI (dist/cli.js, or $AIRFLOW_ACCESS_CLI) as a subprocess, on temporary copies of the
 * example workspace and of the ../shared SQLite fixtures, so no test ever writes to a checked-in file.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { distDir, examplesDir, metadataFixturesDir } from '../helpers/paths';

export const cliPath = process.env.AIRFLOW_ACCESS_CLI ?? path.join(distDir, 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Environment without the variables the CLI reads, so the developer's shell cannot change results. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', 'AIRFLOW__CORE__SQL_ALCHEMY_CONN', 'AIRFLOW_ACCESS_DB_PASSWORD', 'AIRFLOW__CORE__DAG_IGNORE_FILE_SYNTAX', 'FORCE_COLOR', 'NO_COLOR']) delete env[k];
  return { ...env, ...extra };
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: opts.cwd ?? os.tmpdir(), env: opts.env ?? cleanEnv(), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export function tempDir(prefix = 'ada-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh copy of examples/ (or one of its sub-workspaces). */
export function copyExamples(sub = ''): string {
  const dir = path.join(tempDir(), 'workspace');
  fs.cpSync(path.join(examplesDir, sub), dir, { recursive: true });
  return dir;
}

/** A fresh copy of a ../shared SQLite fixture; returns its path and the sqlite:/// URL for it. */
export function copyFixture(name: string): { file: string; url: string } {
  const file = path.join(tempDir('ada-db-'), name.replace(/\.sqlite$/, '.db'));
  fs.copyFileSync(path.join(metadataFixturesDir, name), file);
  return { file, url: sqliteUrl(file) };
}

export function sqliteUrl(file: string): string {
  return `sqlite:///${path.resolve(file)}`;
}

/** Every line of stderr that is not a progress message. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '');
}
