/** ADA030: the config's airflow.version and the connected database's Airflow release disagree. */
import { locatePath } from '../config/locatedValue';
import { readYaml } from '../config/yamlSource';
import { versionMatchesRelease } from '../db/alembicVersions';
import type { Range } from '../model/facts';
import type { ConfigRule } from './rule';

export const airflowVersionMismatch: ConfigRule = {
  code: 'ADA030',
  scope: 'config',
  check({ ctx }) {
    const c = ctx.config;
    const configured = c?.airflow.version ?? null;
    const release = ctx.db.airflowRelease();
    if (!c || !configured || !release || versionMatchesRelease(configured, release)) return [];
    return [{
      file: c.file,
      range: versionRange(ctx.configText) ?? c.roles[0]?.nameRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `airflow.version is ${configured}, but the database was migrated by Airflow ${release.label} (alembic_version ${release.revision}). The answers follow airflow.version; set it to the version the database runs.`,
    }];
  },
};

/** Where `airflow: version:` is written in a YAML config (null for the seed's Python form or when absent). */
function versionRange(text: string | null): Range | null {
  if (!text) return null;
  const { root } = readYaml(text);
  if (!root) return null;
  const t = locatePath(root, ['airflow', 'version']);
  return t.depth === 2 ? (t.entry?.value.range ?? null) : null;
}
