/**
 * What the end-to-end layer needs from the machine, and why a suite skips when it is missing.
 * Every `*Skip` returns `false` (can run) or one line saying why the suite skips.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot, distDir } from '../../helpers/paths';

export const e2eDir = path.join(repoRoot, 'test', 'e2e');
export const toolsDir = path.join(e2eDir, 'tools');
export const realClientsDir = path.resolve(process.env.REAL_CLIENTS_DIR ?? path.join(repoRoot, '.real-clients'));
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots and logs of each step (git-ignored). */
export const artifactsDir = path.join(repoRoot, 'test-artifacts', 'e2e');
/** The compiled extension-host mocha runner (see suite/index.ts). */
export const suiteIndex = path.join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js');

/**
 * A short temp base: the extension host puts `vscode-ipc-<uuid>.sock` three levels below it and
 * unix socket paths are limited to 107 bytes, so a long $TMPDIR breaks code-server. Also applied
 * to process.env so the driver (which uses os.tmpdir()) and its children see it.
 */
export function shortTmpBase(): string {
  const cur = os.tmpdir();
  if (cur.length <= 35) return cur;
  process.env.TMPDIR = '/tmp';
  return '/tmp';
}

export function e2eDisabled(): string | false {
  return process.env.ADA_E2E === '0' ? 'ADA_E2E=0: end-to-end tests disabled' : false;
}

export function distSkip(...files: string[]): string | false {
  for (const f of files.length ? files : ['client.js', 'server.js', 'cli.js']) {
    if (!fs.existsSync(path.join(distDir, f))) return `dist/${f} missing (run "npm run build" first)`;
  }
  return false;
}

/** Why code-server + Chromium cannot run here, or false. */
export function codeServerSkip(): string | false {
  const off = e2eDisabled();
  if (off) return off;
  const failed = path.join(realClientsDir, 'SETUP-FAILED');
  if (fs.existsSync(failed)) return `test/e2e/setup.sh could not install code-server: ${fs.readFileSync(failed, 'utf8').trim()}`;
  const entry = path.join(realClientsDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) return `code-server is not installed in ${realClientsDir} (run test/e2e/setup.sh)`;
  if (!fs.existsSync(path.join(realClientsDir, 'node_modules', 'playwright-core'))) return `playwright-core is not installed in ${realClientsDir} (run test/e2e/setup.sh)`;
  if (!fs.existsSync(chromiumPath)) return `Chromium not found at ${chromiumPath} (run test/e2e/setup.sh or set CHROMIUM_PATH)`;
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) return `code-server 4.100.x needs Node 20, this is Node ${process.versions.node}`;
  return distSkip();
}

/** Why the Neovim probe cannot run here, or false. */
export function nvimSkip(): string | false {
  const off = e2eDisabled();
  if (off) return off;
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'nvim not found on PATH (run test/e2e/setup.sh, or apt-get install neovim)';
  const m = /NVIM v(\d+)\.(\d+)/.exec(r.stdout);
  if (!m || Number(m[1]) === 0 && Number(m[2]) < 7) return `Neovim >= 0.7 needed, found ${r.stdout.split('\n')[0]}`;
  return distSkip('cli.js');
}

/**
 * Poll fn() until it returns a truthy value; the error names what was awaited and the last value
 * seen. An exception from fn() ends the wait at once (use it for "this can no longer succeed").
 */
export async function poll<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 30000, intervalMs = 200): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    last = v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** 1-based line/column of `needle` (+offset) in a file, as the probe takes them. */
export function lineColOf(file: string, needle: string, offset = 0): { line: number; column: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not found in ${file}`);
  return { line: i + 1, column: lines[i].indexOf(needle) + offset + 1 };
}
