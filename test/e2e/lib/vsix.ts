/**
 * The .vsix the VS Code end-to-end test installs.
 *
 * Decision: the test installs a package of the *current* build. In order:
 *   1. $E2E_VSIX, when set (e.g. CI testing the release artifact);
 *   2. ./airflow-dag-access.vsix from `npm run package`, when it is newer than dist/ and package.json;
 *   3. otherwise it packages the current dist/ with the repository's vsce and package.json "files" into
 *      test-artifacts/e2e/airflow-dag-access.vsix. It does not call `npm run package`, because that
 *      rewrites dist/ (minified) while other test layers may be running the same dist/ files;
 *      `npm test` has just built dist/, and the package holds exactly those files.
 * A packaging error fails the test (it is a product bug), it does not skip it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { distDir, repoRoot } from '../../helpers/paths';
import { artifactsDir } from './env';

function newestInput(): number {
  const files = [path.join(repoRoot, 'package.json'), ...fs.readdirSync(distDir).map((f) => path.join(distDir, f))];
  return Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
}

export function ensureVsix(log: (m: string) => void = () => {}): string {
  if (process.env.E2E_VSIX) {
    const p = path.resolve(process.env.E2E_VSIX);
    if (!fs.existsSync(p)) throw new Error(`E2E_VSIX=${p} does not exist`);
    return p;
  }
  const packaged = path.join(repoRoot, 'airflow-dag-access.vsix');
  if (fs.existsSync(packaged) && fs.statSync(packaged).mtimeMs >= newestInput()) {
    log(`using ${packaged} (newer than dist/)`);
    return packaged;
  }
  const out = path.join(artifactsDir, 'airflow-dag-access.vsix');
  fs.mkdirSync(artifactsDir, { recursive: true });
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], {
    cwd: repoRoot, encoding: 'utf8', timeout: 120000, stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0 || !fs.existsSync(out)) {
    throw new Error(`vsce package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  log(`packaged current dist/ into ${out} in ${Date.now() - t0} ms`);
  return out;
}
