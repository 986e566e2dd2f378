/**
 * DAG-wide access of config roles: grants on the 'DAGs' resource, which Airflow checks before the
 * per-DAG `DAG:<dag_id>` one (airflow/www/security.py `has_access` and `get_accessible_dag_ids` in
 * 2.x; providers/fab/.../fab_auth_manager.py `_is_authorized_dag` and `get_authorized_dag_ids` in 3.x).
 * A role holding `can_read` on 'DAGs' reads every DAG, so its read tags restrict nothing.
 * Shared by the planner's warning and the editor's ADA026 so both say the same.
 */
import type { PlanRole } from './types';

export type DagWideSource =
  | { kind: 'db' }
  | { kind: 'base_role'; baseRole: string };

/** Actions a role gets on a DAG from its tags that it does not already hold DAG-wide. */
export function addedByTags(role: Pick<PlanRole, 'dagActions' | 'dagRunActions'>, wide: readonly string[]): string[] {
  return [...role.dagActions.filter((a) => !wide.includes(a)), ...role.dagRunActions.map((a) => `${a} on DAG Runs`)];
}

/** One sentence: who, which actions on every DAG, where from, which tags it makes pointless, and the fix. */
export function dagWideMessage(role: Pick<PlanRole, 'name' | 'tags' | 'dagActions' | 'dagRunActions'>, actions: readonly string[], source: DagWideSource, revoking = false): string {
  const verbs = actions.map((a) => a.replace(/^can_/, '')).join(', ');
  const from =
    source.kind === 'db'
      ? `it holds ${actions.join(', ')} on "DAGs" in the database`
      : `base_role_dag_wide: true copies ${source.baseRole}'s ${actions.join(', ')} on "DAGs"`;
  const tags = role.tags.map((t) => `"${t}"`).join(', ');
  const added = addedByTags(role, actions);
  const tagPart = !role.tags.length
    ? ''
    : added.length
      ? ` Its tag${role.tags.length === 1 ? '' : 's'} ${tags} only add${role.tags.length === 1 ? 's' : ''} ${added.join(', ')}.`
      : ` Its tag${role.tags.length === 1 ? '' : 's'} ${tags} restrict${role.tags.length === 1 ? 's' : ''} nothing.`;
  const fix =
    source.kind === 'db'
      ? revoking
        ? ' The sync revokes these grants (revoke_dag_wide: true).'
        : ' Set revoke_dag_wide: true on the role to have the sync revoke them.'
      : ' Remove base_role_dag_wide to give it only the DAGs its tags grant.';
  return `Role "${role.name}" can ${verbs} every DAG: ${from}.${tagPart}${fix}`;
}
