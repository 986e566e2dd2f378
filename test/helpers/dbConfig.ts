/** Build AccessConfig objects directly (tests do not depend on the config loader). */
import type { AccessConfig, DagAction, DagRunAction, RoleConfig } from '../../server/src/model/config';
import type { Range } from '../../server/src/model/facts';

const R: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const loc = <T>(value: T) => ({ value, range: R });

export interface RoleSpec {
  name: string;
  tags: string[];
  dag?: DagAction[];
  dagRun?: DagRunAction[];
  cleanup?: boolean;
  baseRole?: string;
  baseRoleDagWide?: boolean;
  revokeDagWide?: boolean;
}

export function role(spec: RoleSpec): RoleConfig {
  return {
    name: spec.name,
    nameRange: R,
    range: R,
    tags: spec.tags.map(loc),
    dagPermissions: (spec.dag ?? ['can_read']).map(loc),
    dagRunPermissions: (spec.dagRun ?? []).map(loc),
    cleanup: spec.cleanup ?? true,
    baseRole: spec.baseRole ?? 'Viewer',
    ...(spec.baseRoleDagWide ? { baseRoleDagWide: true } : {}),
    ...(spec.revokeDagWide ? { revokeDagWide: true } : {}),
  };
}

export function makeConfig(roles: RoleSpec[], opts: { version?: string | null; manageBuiltin?: boolean; tagPattern?: RegExp } = {}): AccessConfig {
  return {
    file: '/tmp/airflow-access.yaml',
    format: 'v1',
    permissionTagPattern: opts.tagPattern ? { source: opts.tagPattern.source, regex: opts.tagPattern, range: R } : null,
    roles: roles.map(role),
    airflow: { version: opts.version ?? null, authManager: 'fab', multiTeam: false },
    teams: [],
    usersFile: null,
    manageBuiltin: opts.manageBuiltin ?? false,
    dags: { include: [], exclude: [] },
  };
}
