import * as fs from 'fs';
import * as path from 'path';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'airflow-dag-access') return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** The repository root (tests are compiled to out/test/..., fixtures stay in test/fixtures). */
export const repoRoot = findRepoRoot(__dirname);
export const examplesDir = path.join(repoRoot, 'examples');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
export const distDir = path.join(repoRoot, 'dist');

/** `../shared` beside the repository (CI and dev machines); users do not have it. */
export const sharedDir = process.env.ADA_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');
export const metadataFixturesDir = path.join(sharedDir, 'fixtures', 'airflow-metadata');
export const hasShared = fs.existsSync(metadataFixturesDir);

/** Reason string for `{ skip }` on suites that need ../shared. */
export const needsShared = hasShared ? false : `needs ../shared/fixtures/airflow-metadata (not found at ${metadataFixturesDir}); skipped`;

/** Every `.py` file below `dir`, in directory-listing order (tests and the bench sort when they need to). */
export function pyFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? pyFilesUnder(p) : e.name.endsWith('.py') ? [p] : [];
  });
}
