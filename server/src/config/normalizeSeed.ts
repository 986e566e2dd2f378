/**
 * The seed's `role_mappings` list (MWAA tag-sync DAG) -> AccessConfig. Semantics follow the seed
 * DAG: the entry key of the nested shape is only a label (the flat shape has none), `airflow_role` is the role, `airflow_edit_tag` the one tag,
 * `permissions` defaults to [can_read] and `do_cleanup` to true.
 */
import type { Range } from '../model/facts';
import type { AccessConfig, ConfigProblem, DagAction, RoleConfig } from '../model/config';
import { locatePath, type LocatedValue } from './locatedValue';
import type { SeedMapping } from './schema';

/** One valid entry: its mapping and the path of that mapping in the source (`role_mappings.<i>[.<label>]`). */
export interface SeedEntry {
  at: (string | number)[];
  mapping: SeedMapping;
}

export function normalizeSeed(
  file: string,
  format: 'seed-yaml' | 'seed-python',
  entries: SeedEntry[],
  root: LocatedValue,
  fallback: Range,
): { config: AccessConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const byName = new Map<string, RoleConfig>();
  const roles: RoleConfig[] = [];
  for (const { at, mapping: m } of entries) {
    const body = locatePath(root, at);
    const roleNode = locatePath(root, [...at, 'airflow_role']);
    const tagNode = locatePath(root, [...at, 'airflow_edit_tag']);
    const permsNode = locatePath(root, [...at, 'permissions']);
    const permRange = (k: number) => (permsNode.depth === at.length + 1 && permsNode.node.kind === 'seq' ? permsNode.node.items[k]?.range : undefined) ?? body.node.range;
    const tag = { value: m.airflow_edit_tag, range: tagNode.node.range };
    const perms = m.permissions.map((value, k) => ({ value: value as DagAction, range: permRange(k) }));
    const existing = byName.get(m.airflow_role);
    if (existing) {
      existing.tags.push(tag);
      const before = new Set(existing.dagPermissions.map((p) => p.value));
      const differs = perms.length !== before.size || perms.some((p) => !before.has(p.value));
      for (const p of perms) if (!before.has(p.value)) existing.dagPermissions.push(p);
      if (differs) {
        problems.push({ code: 'seed-duplicate-role', severity: 'warning', range: roleNode.node.range,
          message: `Role '${m.airflow_role}' appears in several role_mappings entries with different permissions; they are merged (union) here.` });
      }
      if (m.do_cleanup) {
        problems.push({ code: 'seed-cleanup-order', severity: 'warning', range: roleNode.node.range,
          message: `do_cleanup on a second entry for '${m.airflow_role}' makes the seed DAG revoke the grants the earlier entry just made.` });
      }
      existing.cleanup = existing.cleanup || m.do_cleanup;
      continue;
    }
    const role: RoleConfig = {
      name: m.airflow_role,
      nameRange: roleNode.node.range,
      range: body.node.range,
      tags: [tag],
      dagPermissions: perms,
      dagRunPermissions: [],
      cleanup: m.do_cleanup,
      baseRole: 'Viewer',
    };
    byName.set(role.name, role);
    roles.push(role);
  }
  if (!roles.length) problems.push({ code: 'seed-empty', severity: 'info', range: fallback, message: 'role_mappings is empty: no tag grants any role.' });
  const config: AccessConfig = {
    file,
    format,
    permissionTagPattern: null,
    roles,
    airflow: { version: null, authManager: 'fab', multiTeam: false },
    teams: [],
    usersFile: null,
    manageBuiltin: false,
    dags: { include: ['**/*.py'], exclude: [] },
  };
  return { config, problems };
}
