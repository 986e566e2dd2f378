/** Validated v1 data + its located source -> AccessConfig, plus semantic warnings zod cannot express. */
import * as path from 'path';
import type { Located, Range } from '../model/facts';
import type { AccessConfig, ConfigProblem, DagAction, DagRunAction, RoleConfig, TeamConfig } from '../model/config';
import { versionAtLeast } from '../model/airflowVersion';
import { AUTH_MANAGER_LABEL } from '../model/authManagers';
import { entryOf, locatePath, type LocatedValue } from './locatedValue';
import { closestMatch } from './didYouMean';
import { compileTagPattern, type ConfigV1 } from './schema';
import { DEFAULT_ROLES } from '../model/defaultRoles';
import { isManagedRole } from '../model/tagResolver';


export function locatedStrings<T extends string>(root: LocatedValue, at: (string | number)[], values: readonly T[], fallback: Range): Located<T>[] {
  const seq = locatePath(root, at);
  return values.map((value, i) => {
    const item = seq.depth === at.length && seq.node.kind === 'seq' ? seq.node.items[i] : undefined;
    return { value, range: item?.range ?? seq.node.range ?? fallback };
  });
}

export function normalizeV1(file: string, data: ConfigV1, root: LocatedValue, fallback: Range): { config: AccessConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const warn = (code: string, message: string, range: Range, severity: ConfigProblem['severity'] = 'warning') =>
    problems.push({ code, message, range, severity });
  const version = data.airflow.version ? normalVersion(data.airflow.version) : null;
  const rolesEntry = entryOf(root, 'roles');

  const roles: RoleConfig[] = Object.entries(data.roles).map(([name, r]) => {
    const entry = entryOf(rolesEntry?.value, name);
    const at = ['roles', name];
    const role: RoleConfig = {
      name,
      nameRange: entry?.keyRange ?? fallback,
      range: entry?.range ?? fallback,
      tags: locatedStrings(root, [...at, 'tags'], r.tags, fallback),
      dagPermissions: locatedStrings<DagAction>(root, [...at, 'dag_permissions'], r.dag_permissions, fallback),
      dagRunPermissions: locatedStrings<DagRunAction>(root, [...at, 'dag_run_permissions'], r.dag_run_permissions, fallback),
      cleanup: r.cleanup,
      baseRole: r.base_role,
      ...(r.base_role_dag_wide ? { baseRoleDagWide: true } : {}),
      ...(r.revoke_dag_wide ? { revokeDagWide: true } : {}),
    };
    const runKey = entryOf(entry?.value, 'dag_run_permissions');
    if (role.dagRunPermissions.length && version && !versionAtLeast(version, '2.10')) {
      warn('dag-run-needs-2.10', `Per-DAG 'DAG Run:' permissions exist only from Airflow 2.10; with airflow.version ${version} they are ignored.`, runKey?.keyRange ?? role.nameRange);
    }
    if (!isManagedRole(name, data.manage_builtin)) {
      const why = name === 'Admin' ? "'Admin' is never changed by the sync (it already reaches every DAG); its tags grant nothing." : `'${name}' is a built-in Airflow role; the sync leaves it alone unless manage_builtin: true.`;
      warn('builtin-role', why, role.nameRange, 'info');
    }
    const seen = new Set<string>();
    for (const t of role.tags) {
      if (seen.has(t.value)) warn('duplicate-tag', `Tag '${t.value}' is listed twice for role '${name}'.`, t.range);
      seen.add(t.value);
    }
    if (!role.tags.length && entry) warn('role-without-tags', `Role '${name}' has no tags, so no DAG grants it access.`, role.nameRange, 'info');
    if (role.dagPermissions.some((p) => p.value === 'can_edit') && !role.dagPermissions.some((p) => p.value === 'can_read')) {
      warn('edit-without-read', `Role '${name}' gets can_edit without can_read: Airflow does not list the DAG for it.`, entryOf(entry?.value, 'dag_permissions')?.keyRange ?? role.nameRange);
    }
    return role;
  });

  // A base_role that is neither built in nor configured may be a custom role in the database, but
  // one a letter or two away from a known role is a typo: the sync would create the role bare.
  const known = [...DEFAULT_ROLES, ...roles.map((r) => r.name)];
  const knownSet = new Set(known);
  for (const role of roles) {
    if (!role.baseRole || knownSet.has(role.baseRole)) continue;
    const near = closestMatch(role.baseRole, known);
    if (near) {
      const at = entryOf(entryOf(rolesEntry?.value, role.name)?.value, 'base_role');
      warn('unknown-base-role', `base_role '${role.baseRole}' is not a built-in role or a role of this config. Did you mean '${near}'? A role the database lacks is created without base permissions.`, at?.value.range ?? role.nameRange);
      if (at?.value.range) problems[problems.length - 1].replacement = near;
    }
  }

  const teamsEntry = entryOf(root, 'teams');
  const teams: TeamConfig[] = Object.entries(data.teams).map(([name, t]) => {
    const nameRange = entryOf(teamsEntry?.value, name)?.keyRange ?? fallback;
    if (!t.bundles.length && !t.paths.length) warn('team-without-members', `Team '${name}' has neither bundles nor paths, so no DAG belongs to it.`, nameRange);
    if (!/^[A-Za-z0-9_-]{3,50}$/.test(name)) warn('team-name', `Airflow team names are 3-50 characters of letters, digits, '-' and '_'.`, nameRange);
    return { name, nameRange, bundles: t.bundles, paths: t.paths };
  });

  const airflowEntry = entryOf(root, 'airflow');
  if (data.airflow.multi_team && version && !versionAtLeast(version, '3.3')) {
    warn('multi-team-needs-3.3', `Asset access control across teams needs Airflow 3.3; airflow.version is ${version}.`, entryOf(airflowEntry?.value, 'multi_team')?.keyRange ?? fallback);
  }
  if (data.airflow.multi_team && data.airflow.auth_manager === 'fab') {
    // Asset event rules do not depend on the auth manager, but team-scoped UI/API access does.
    warn(
      'multi-team-fab',
      "Airflow's FAB auth manager has no multi-team support (apache/airflow#71242): with multi_team on, roles are not scoped to teams. Asset-event rules still apply; team-scoped access needs an auth manager with team authorization (e.g. Keycloak).",
      entryOf(airflowEntry?.value, 'auth_manager')?.keyRange ?? fallback,
      'info',
    );
  }
  if (data.airflow.auth_manager === 'file' && roles.some((r) => r.tags.length)) {
    warn('file-auth-no-dag-grants', 'The file auth manager has no per-DAG permissions: tag grants in roles have no effect.', rolesEntry?.keyRange ?? fallback);
  }
  const am = data.airflow.auth_manager;
  if ((am === 'simple' || am === 'keycloak' || am === 'aws') && roles.some((r) => r.tags.length)) {
    warn('auth-manager-no-dag-grants', `Roles and their tags have no effect under the ${AUTH_MANAGER_LABEL[am]}: Airflow reads no FAB grants there, so plan and sync refuse (unless --force-fab, for a migration to FAB).`, rolesEntry?.keyRange ?? fallback);
  }
  if (data.users_file && data.airflow.auth_manager !== 'file') {
    warn('users-file-unused', "users_file is only read when airflow.auth_manager is 'file'.", entryOf(root, 'users_file')?.keyRange ?? fallback, 'info');
  }

  const patternEntry = entryOf(root, 'permission_tag_pattern');
  const config: AccessConfig = {
    file,
    format: 'v1',
    permissionTagPattern:
      data.permission_tag_pattern !== undefined
        ? { source: data.permission_tag_pattern, regex: compileTagPattern(data.permission_tag_pattern), range: patternEntry?.value.range ?? fallback }
        : null,
    roles,
    airflow: { version, authManager: data.airflow.auth_manager, multiTeam: data.airflow.multi_team, ...(data.airflow.dag_ignore_file_syntax ? { ignoreFileSyntax: data.airflow.dag_ignore_file_syntax } : {}) },
    teams,
    usersFile: data.users_file ? path.resolve(path.dirname(file), data.users_file) : null,
    manageBuiltin: data.manage_builtin,
    dags: { include: data.dags.include, exclude: data.dags.exclude },
  };
  return { config, problems };
}

/** "2.10.3" -> "2.10". */
/** "2.07" -> "2.7"; a patch is kept ("2.7.1"): a few rules changed in patch releases (access_control=None on 2.7.0). */
export function normalVersion(v: string): string {
  const [a, b, c] = v.split('.');
  return c === undefined ? majorMinor(v) : `${Number(a)}.${Number(b)}.${Number(c)}`;
}

export function majorMinor(v: string): string {
  const [a, b] = v.split('.');
  return `${Number(a)}.${Number(b ?? 0)}`;
}
