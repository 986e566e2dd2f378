/**
 * Which team a DAG file belongs to, from the config's `teams`: `paths` globs (relative to the
 * workspace root, picomatch syntax) or `bundles`. Without a bundle resolver, a file belongs to
 * bundle B when it lies in a top-level folder named B. First matching team wins (config order).
 */
import * as path from 'path';
import picomatch from 'picomatch';
import type { AccessConfig } from '../model/config';
import { versionAtLeast } from './version';

/**
 * Airflow 3.4 lower-cases team names everywhere (migration c7f0a5d2e9b4 "Lower case team names"),
 * so 'Analytics' and 'analytics' are one team there; 3.3 compares them as written. An unknown
 * version counts as the latest, as elsewhere.
 */
export function teamNamesFolded(airflowVersion: string | null): boolean {
  return versionAtLeast(airflowVersion, '3.4');
}

/** The name Airflow compares: lower-cased from 3.4 on. */
export function teamKey(name: string, folded: boolean): string {
  return folded ? name.toLowerCase() : name;
}

const matchers = new Map<string, (p: string) => boolean>();
function matcher(glob: string): (p: string) => boolean {
  let m = matchers.get(glob);
  if (!m) {
    m = picomatch(glob, { dot: true });
    matchers.set(glob, m);
  }
  return m;
}

export function relativePosix(root: string, file: string): string | null {
  const rel = path.relative(root, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

export function teamOfFile(config: AccessConfig | null, root: string, file: string, bundleOf?: (file: string) => string | null): string | null {
  if (!config?.teams.length) return null;
  const rel = relativePosix(root, file);
  const bundle = bundleOf ? bundleOf(file) : rel && rel.includes('/') ? rel.split('/')[0] : null;
  for (const team of config.teams) {
    if (rel !== null && team.paths.some((g) => matcher(g.replace(/^\.\//, ''))(rel))) return team.name;
    if (bundle !== null && team.bundles.includes(bundle)) return team.name;
  }
  return null;
}
