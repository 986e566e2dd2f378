/** Hand-built facts for engine tests (no indexer needed). Ranges are derived from a fake line per item. */
import type { AccessControlFact, DagFact, Range, TagFact } from '../../../server/src/model/facts';
import type { AccessConfig, RoleConfig } from '../../../server/src/model/config';

export const at = (line: number, character = 0, len = 1): Range => ({ start: { line, character }, end: { line, character: character + len } });

export function tagFacts(tags: string[], line = 5): TagFact[] {
  return tags.map((value, i) => ({ value, range: at(line, 10 + i * 20, value.length + 2) }));
}

export function dag(opts: { id?: string; tags?: string[]; accessControl?: AccessControlFact | null } = {}): DagFact {
  return {
    dagId: { kind: 'static', value: opts.id ?? 'example_dag', range: at(2, 10) },
    style: 'with',
    range: at(1, 0, 40),
    nameRange: at(1, 5, 3),
    tags: opts.tags ? { range: at(5, 9), keywordRange: at(5, 4, 4), items: tagFacts(opts.tags), dynamic: [] } : null,
    defaultArgsTags: null,
    accessControl: opts.accessControl ?? null,
    schedule: [],
    scheduleDynamic: [],
    producers: [],
    instantiated: true,
  };
}

/** access_control from a JS literal: legacy `{Role: [actions]}` or nested `{Role: {"DAGs": [...], ...}}`; null -> None. */
export function accessControl(value: Record<string, string[] | Record<string, string[]>> | null, line = 8): AccessControlFact {
  if (value === null) return { range: at(line, 20, 4), keywordRange: at(line, 4, 14), kind: 'none', roles: [], dynamic: [] };
  let l = line;
  const roles = Object.entries(value).map(([role, v]) => {
    l++;
    const acts = (xs: string[]) => xs.map((a, i) => ({ value: a, range: at(l, 30 + i * 15, a.length + 2) }));
    return Array.isArray(v)
      ? { role: { value: role, range: at(l, 8, role.length + 2) }, form: 'legacy' as const, resources: [{ resource: null, actions: acts(v), dynamic: [] }], range: at(l, 8, 60) }
      : { role: { value: role, range: at(l, 8, role.length + 2) }, form: 'nested' as const, range: at(l, 8, 60),
          resources: Object.entries(v).map(([res, xs]) => ({ resource: { value: res, range: at(l, 20, res.length + 2) }, actions: acts(xs), dynamic: [] })) };
  });
  return { range: at(line, 20, 2), keywordRange: at(line, 4, 14), kind: 'dict', roles, dynamic: [] };
}

export function role(name: string, tags: string[], perms: string[], extra: Partial<RoleConfig> = {}): RoleConfig {
  return {
    name,
    nameRange: at(10, 2, name.length),
    range: at(10, 2, 40),
    tags: tags.map((t, i) => ({ value: t, range: at(11, 11 + i * 10, t.length) })),
    dagPermissions: perms.map((p) => ({ value: p as RoleConfig['dagPermissions'][number]['value'], range: at(12, 20) })),
    dagRunPermissions: [],
    cleanup: false,
    baseRole: 'Viewer',
    ...extra,
  };
}

export function config(roles: RoleConfig[], airflow: Partial<AccessConfig['airflow']> = {}): AccessConfig {
  return {
    file: '/ws/airflow-access.yaml',
    format: 'v1',
    permissionTagPattern: null,
    roles,
    airflow: { version: '2.10', authManager: 'fab', multiTeam: false, ...airflow },
    teams: [],
    usersFile: null,
    manageBuiltin: false,
    dags: { include: ['**/*.py'], exclude: [] },
  };
}
