/**
 * Who can do what with one DAG, and why. Pure: the caller supplies the DAG's facts, the config,
 * and optionally the DB grants and the users file.
 *
 * Precedence (FAB auth manager): global 'DAGs' / 'DAG Runs' permissions reach every DAG; per-DAG
 * grants come from tags (via our sync), access_control and the DB. An access_control other than
 * None is authoritative: Airflow re-applies it when it parses the DAG and revokes every other
 * per-DAG grant of roles other than Admin, so tag and DB grants it does not repeat are `reverted`.
 */
import type { AccessConfig } from '../model/config';
import type { DagFact } from '../model/facts';
import type { AccessConflict, DagAccess, Grant, Provenance, RoleAccess } from '../model/access';
import { accessControlEffect, accessControlMode, airflowMajor, existingRoles, readAccessControl, whenAirflowReverts, type AccessControlMode } from './accessControl';
import { DAG_RESOURCE_ACTIONS, DAG_RUN_RESOURCE_ACTIONS, DEFAULT_ROLES, globalDagActions, isDefaultRole } from './defaultRoles';
import { fileAuthDagAccess } from './fileAuthAccess';
import { externalAuthDagAccess } from './externalAuthAccess';
import { simpleAuthDagAccess } from './simpleAuthAccess';
import { tagResolverOf } from './tags';
import { versionAtLeast } from './version';
import { accessControlGrantKey, revertedByAccessControl } from '../model/accessControlReverts';
import { type DagAccessInput, dagIdOf } from './dagAccessInput';

export { type DagAccessInput, dagIdOf } from './dagAccessInput';

interface RawGrant {
  role: string;
  resource: 'DAGs' | 'DAG Runs';
  action: string;
  scope: 'global' | 'dag';
  via: Provenance;
  reverted: boolean;
}

export function computeDagAccess(input: DagAccessInput): DagAccess {
  const { dag, file, config } = input;
  const version = input.airflowVersion !== undefined ? input.airflowVersion : (config?.airflow.version ?? null);
  const authManager = config?.airflow.authManager ?? 'fab';
  if (authManager === 'file') return fileAuthDagAccess(input, version);
  if (authManager === 'simple') return simpleAuthDagAccess(input, version, input.simpleUsers ?? null);
  if (authManager === 'keycloak' || authManager === 'aws') return externalAuthDagAccess(input, version, authManager);

  const raw: RawGrant[] = [];
  const conflicts: AccessConflict[] = [];
  const dbRoles = new Set((input.dbGrants ?? []).map((g) => g.role));
  const runsPerDag = versionAtLeast(version, '2.10');

  // Default roles: their global DAGs / DAG Runs permissions.
  for (const role of DEFAULT_ROLES) addGlobal(raw, role, version, (resource) => ({ kind: 'default_role', role, resource }));

  // Config roles start from base_role's permissions (unless the DB says what the role really holds).
  for (const role of config?.roles ?? []) {
    if (isDefaultRole(role.name) || dbRoles.has(role.name) || !isDefaultRole(role.baseRole)) continue;
    // Without base_role_dag_wide the sync leaves the base role's 'DAGs' grants out (docs/access-model.md).
    const resources = role.baseRoleDagWide ? (['DAGs', 'DAG Runs'] as const) : (['DAG Runs'] as const);
    addGlobal(raw, role.name, version, () => ({ kind: 'base_role', role: role.name, baseRole: role.baseRole, configFile: config!.file, configRange: role.nameRange }), role.baseRole, resources);
  }

  // Tag grants: what our sync writes (model/tagResolver.ts: the roles it manages, exact tags and permission_tag_pattern).
  const resolver = tagResolverOf(config);
  for (const tag of dag.tags?.items ?? []) {
    for (const { role, match, configRange } of resolver.managedGrants(tag.value)) {
      const via: Provenance = { kind: 'tag', tag: tag.value, role: role.name, configFile: config!.file, configRange: configRange!, tagFile: file, tagRange: tag.range, ...(match === 'pattern' ? { match } : {}) };
      for (const p of role.dagPermissions) raw.push({ role: role.name, resource: 'DAGs', action: p.value, scope: 'dag', via, reverted: false });
      if (role.dagRunPermissions.length && !runsPerDag) {
        conflicts.push({ kind: 'dag_run_needs_2_10', severity: 'info', role: role.name, range: tag.range,
          message: `dag_run_permissions of '${role.name}' are not applied: per-DAG 'DAG Run:' permissions need Airflow 2.10 (airflow.version ${version}).` });
      } else {
        for (const p of role.dagRunPermissions) raw.push({ role: role.name, resource: 'DAG Runs', action: p.value, scope: 'dag', via, reverted: false });
      }
    }
  }

  // access_control: what Airflow's sync keeps, applies and revokes at this version.
  const mode = accessControlMode(dag.accessControl);
  const ac = readAccessControl(dag.accessControl, version, existingRoles(input.existingRoles, config));
  conflicts.push(...ac.conflicts);
  for (const g of ac.grants) raw.push({ ...g, scope: 'dag', via: { kind: 'access_control', role: g.role, file, range: g.range }, reverted: false });
  if (mode === 'dynamic' && dag.accessControl) {
    conflicts.push({ kind: 'access_control_dynamic', severity: 'info', range: dag.accessControl.range,
      message: 'access_control cannot be read statically: if it is not None, Airflow replaces the per-DAG grants shown here with it.' });
  }

  // Metadata DB state.
  for (const g of input.dbGrants ?? []) raw.push({ ...g, via: { kind: 'db', role: g.role, resource: g.scope === 'global' ? g.resource : perDagResource(g.resource, dagIdOf(dag)) }, reverted: false });

  const effect = accessControlEffect(mode, version);
  if (effect.note) conflicts.push({ kind: 'version_ambiguous', severity: 'info', range: dag.accessControl?.range ?? dag.nameRange, message: effect.note });
  if (effect.effect === 'authoritative') revertOverridden(raw, ac.target, conflicts, dag, mode, version);
  else if (effect.effect === 'wipe') revertOverridden(raw, [], conflicts, dag, mode, version);

  const roles = buildRoles(raw, config, conflicts, dag);
  return {
    dagId: dagIdOf(dag),
    roles,
    conflicts,
    summary: summarize(roles),
    airflowVersion: version,
    authManager: 'fab',
    accessControlMode: mode,
  };
}

export function perDagResource(resource: 'DAGs' | 'DAG Runs', dagId: string): string {
  return resource === 'DAGs' ? `DAG:${dagId}` : `DAG Run:${dagId}`;
}

function addGlobal(raw: RawGrant[], role: string, version: string | null, via: (resource: 'DAGs' | 'DAG Runs') => Provenance, from = role, resources: readonly ('DAGs' | 'DAG Runs')[] = ['DAGs', 'DAG Runs']): void {
  for (const resource of resources) {
    const allowed: readonly string[] = resource === 'DAGs' ? DAG_RESOURCE_ACTIONS : [...DAG_RUN_RESOURCE_ACTIONS, 'can_edit'];
    for (const action of globalDagActions(from, resource, version)) {
      if (allowed.includes(action)) raw.push({ role, resource, action, scope: 'global', via: via(resource), reverted: false });
    }
  }
}

function revertOverridden(raw: RawGrant[], kept: { role: string; resource: string; action: string }[], conflicts: AccessConflict[], dag: DagFact, mode: AccessControlMode, version: string | null): void {
  const keep = new Set(kept.map((g) => accessControlGrantKey(g.role, g.resource, g.action)));
  const reported = new Set<string>();
  const when = whenAirflowReverts(airflowMajor(version));
  const what =
    mode === 'dict' ? "the DAG's access_control is authoritative"
    : mode === 'empty' ? 'access_control={} wipes every per-DAG grant'
    : `Airflow ${version} removes every per-DAG grant of a DAG whose access_control is None (apache/airflow#32839, fixed in 2.7.1)`;
  for (const g of raw) {
    if (g.scope !== 'dag' || (g.via.kind !== 'tag' && g.via.kind !== 'db')) continue;
    if (!revertedByAccessControl(keep, g.role, g.resource, g.action)) continue;
    g.reverted = true;
    if (g.via.kind === 'tag') {
      const key = `tag|${g.via.tag}|${g.role}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const fix = mode === 'dict' || mode === 'empty' ? 'Add the role to access_control or remove access_control.' : 'List the role in access_control, or upgrade to Airflow 2.7.1 or later.';
      conflicts.push({ kind: 'tag_reverted_by_access_control', severity: 'warning', role: g.role, range: g.via.tagRange,
        message: `Tag '${g.via.tag}' grants '${g.role}' access, but ${what}: Airflow reverts the grant ${when}. ${fix}` });
    } else {
      const key = `db|${g.role}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const listed = mode === 'dict' ? ' that access_control does not list' : '';
      conflicts.push({ kind: 'db_grant_reverted', severity: 'info', role: g.role, range: dag.accessControl?.range ?? dag.nameRange,
        message: `'${g.role}' holds per-DAG permissions in the DB${listed}; ${what}, so Airflow revokes them ${when}.` });
    }
  }
}

const ACTION_ORDER = ['can_read', 'can_edit', 'can_create', 'can_delete', 'menu_access'];
const byActionOrder = (a: string, b: string) => ACTION_ORDER.indexOf(a) - ACTION_ORDER.indexOf(b) || a.localeCompare(b);

function buildRoles(raw: RawGrant[], config: AccessConfig | null, conflicts: AccessConflict[], dag: DagFact): RoleAccess[] {
  const merged = new Map<string, Grant>();
  for (const g of raw) {
    const key = `${g.role}|${g.resource}|${g.action}|${g.scope}`;
    const prev = merged.get(key);
    if (!prev) merged.set(key, { role: g.role, resource: g.resource, action: g.action, scope: g.scope, via: [g.via], ...(g.reverted ? { reverted: true } : {}) });
    else {
      prev.via.push(g.via);
      if (!g.reverted) delete prev.reverted;
    }
  }
  // Rank and grants per role in maps: a config with 10,000 roles reaching one DAG made indexOf / filter quadratic.
  const order = new Map<string, number>();
  for (const name of [...DEFAULT_ROLES, ...(config?.roles ?? []).map((r) => r.name)]) if (!order.has(name)) order.set(name, order.size);
  const byRole = new Map<string, Grant[]>();
  for (const g of merged.values()) {
    const list = byRole.get(g.role);
    if (list) list.push(g);
    else byRole.set(g.role, [g]);
  }
  const names = [...byRole.keys()].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || a.localeCompare(b));
  return names.flatMap((role) => {
    const all = byRole.get(role)!;
    const effectiveOf = (grants: Grant[], resource: string) => [...new Set(grants.filter((g) => g.resource === resource && !g.reverted && !g.needsDag).map((g) => g.action))].sort(byActionOrder);
    const dagActions = effectiveOf(all, 'DAGs');
    // A role-wide 'DAG Runs' grant reaches a DAG's runs only with access to the DAG itself: reading
    // runs needs can_read on the DAG, changing them can_edit (FAB auth manager
    // `FabAuthManager.is_authorized_dag` with an access entity: `dag_method = "GET" if method == "GET"
    // else "PUT"`, providers/fab/src/airflow/providers/fab/auth_manager/fab_auth_manager.py; 2.x
    // views filter DAG runs with `DagFilter` / `DagEditFilter`, airflow/www/views.py). So a role made
    // from Viewer without DAG-wide access has no run access on DAGs its tags do not grant.
    //
    // A per-DAG 'DAG Run:<dag_id>' grant (tags' dag_run_permissions, access_control's "DAG Runs", the
    // DB; Airflow 2.10+) is honoured by `_is_authorized_dag_run`, but `is_authorized_dag` only calls it
    // after `_is_authorized_dag` passed on the DAG itself (same file, 2.10's
    // airflow/providers/fab/auth_manager/fab_auth_manager.py and the 3.x provider alike). So it counts
    // only with access to the DAG too: it stays in `grants` (the sync writes it) marked `needsDag`.
    const needed = (action: string) => (action === 'can_read' || action === 'menu_access' ? 'can_read' : 'can_edit');
    const grants = all.filter((g) => g.scope !== 'global' || g.resource !== 'DAG Runs' || dagActions.includes(needed(g.action)));
    if (!grants.length) return [];
    for (const g of grants) {
      if (g.scope === 'dag' && g.resource === 'DAG Runs' && !g.reverted && !dagActions.includes(needed(g.action))) g.needsDag = needed(g.action);
    }
    const effective = (resource: string) => effectiveOf(grants, resource);
    const editWithoutRead = dagActions.includes('can_edit') && !dagActions.includes('can_read');
    if (editWithoutRead) {
      const edit = grants.find((g) => g.resource === 'DAGs' && g.action === 'can_edit' && !g.reverted);
      const via = edit?.via.find((v) => v.kind === 'tag' || v.kind === 'access_control');
      const range = via?.kind === 'tag' ? via.tagRange : via?.kind === 'access_control' ? via.range : dag.nameRange;
      conflicts.push({ kind: 'edit_without_read', severity: 'warning', role, range,
        message: `'${role}' can edit this DAG but not read it: Airflow does not list the DAG for it and its views fail. Grant can_read too.` });
    }
    return [{ role, builtin: isDefaultRole(role), grants, dagActions, dagRunActions: effective('DAG Runs'), editWithoutRead }];
  });
}

function summarize(roles: RoleAccess[]): DagAccess['summary'] {
  const count = (a: string) => roles.filter((r) => r.dagActions.includes(a)).length;
  return {
    canRead: count('can_read'),
    canEdit: count('can_edit'),
    canDelete: count('can_delete'),
    nonAdminReachable: roles.some((r) => r.role !== 'Admin' && (r.dagActions.includes('can_read') || r.dagActions.includes('can_edit'))),
    perDagRoles: roles.filter((r) => r.grants.some((g) => g.scope === 'dag' && !g.reverted && !g.needsDag)).length,
  };
}
