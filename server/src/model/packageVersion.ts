/**
 * The extension's version, from package.json: the bundles get it at build time (esbuild.mjs defines
 * ADA_PACKAGE_VERSION); code run unbundled (tsc output in tests) reads the repository's package.json.
 * The language server's serverInfo and the CLI's --version and reports both use this.
 */
import * as fs from 'fs';
import * as path from 'path';

declare const ADA_PACKAGE_VERSION: string | undefined;

export function packageVersion(): string {
  if (typeof ADA_PACKAGE_VERSION === 'string') return ADA_PACKAGE_VERSION;
  for (let dir = __dirname, up = path.dirname(dir); dir !== up; dir = up, up = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'airflow-dag-access' && pkg.version) return pkg.version;
    } catch {
      // try the folder above
    }
  }
  return '0.0.0';
}
