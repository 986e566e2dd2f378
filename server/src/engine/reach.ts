/**
 * Shared reading of a DagAccess for every view (explain, hover, tree, matrix) and ADA010, so they
 * say the same thing: which custom roles reach the DAG, whether through DAG-wide access (the
 * 'DAGs' resource, every DAG) or per-DAG grants, and the default roles' DAG-wide access on one line.
 */
import type { DagAccess, Grant, RoleAccess } from '../model/access';

const short = (a: string) => a.replace(/^can_/, '');

/** An effective grant on the 'DAGs' resource: the role holds the action on every DAG. */
export function isDagWideGrant(g: Grant): boolean {
  return g.scope === 'global' && g.resource === 'DAGs' && !g.reverted;
}

/** DAG actions the role holds on every DAG ('DAGs' resource), in engine order. */
export function dagWideActions(r: RoleAccess): string[] {
  return r.dagActions.filter((a) => r.grants.some((g) => isDagWideGrant(g) && g.action === a));
}

/** Roles other than Airflow's defaults that can do something with this DAG (or its runs). */
export function customRolesReaching(access: DagAccess): RoleAccess[] {
  return access.roles.filter((r) => !r.builtin && (r.dagActions.length > 0 || r.dagRunActions.length > 0));
}

/**
 * Default FAB roles whose access to this DAG is only their DAG-wide one (no per-DAG grant, nothing
 * reverted): the same on every DAG, so views show them grouped on one line. The file auth manager's
 * roles keep their own lines (they list their users).
 */
export function isPlainDefaultRole(r: RoleAccess): boolean {
  return r.builtin && r.grants.every((g) => g.scope === 'global' && !g.reverted && g.via.every((v) => v.kind !== 'file_auth'));
}

/** "Admin, Op, User: read, edit, delete (runs: read, create, delete) · Viewer: read (runs: read)"; '' when none. */
export function defaultRolesLine(roles: readonly RoleAccess[]): string {
  const groups = new Map<string, string[]>();
  for (const r of roles.filter(isPlainDefaultRole)) {
    const runs = r.dagRunActions.length ? ` (runs: ${r.dagRunActions.map(short).join(', ')})` : '';
    const what = `${r.dagActions.map(short).join(', ') || 'none'}${runs}`;
    groups.set(what, [...(groups.get(what) ?? []), r.role]);
  }
  return [...groups].map(([what, names]) => `${names.join(', ')}: ${what}`).join(' · ');
}
