/**
 * One role on one DAG, with the provenance of each grant: what the matrix view shows when a cell
 * is opened, above the DAG's whole explanation (describe.ts).
 */
import type { DagAccess } from '../model/access';
import { via } from './describe';
import type { Project } from './project';

export function pairMarkdown(project: Project, access: DagAccess, role: string): string {
  const r = access.roles.find((x) => x.role === role);
  const head = `**Role \`${role}\` on DAG \`${access.dagId}\`**`;
  if (!r || !r.grants.length) return `${head}: no access.`;
  const lines = [`${head}: ${r.dagActions.join(', ') || 'no DAG action'}${r.dagRunActions.length ? `; DAG Runs: ${r.dagRunActions.join(', ')}` : ''}`, ''];
  // DAG actions first, then DAG Run actions.
  for (const g of [...r.grants].sort((a, b) => Number(a.resource === 'DAG Runs') - Number(b.resource === 'DAG Runs'))) {
    const scope = g.scope === 'global' ? `DAG-wide (\`${g.resource}\`: every DAG)` : `per-DAG (\`${g.resource === 'DAGs' ? 'DAG' : 'DAG Run'}:${access.dagId}\`)`;
    const sources = g.via.map((p) => via(project, p)).join('; ');
    lines.push(`- ${g.resource === 'DAG Runs' ? 'DAG Runs ' : ''}${g.action}: ${scope}${g.reverted ? ' — **reverted** by access_control' : ''} — via ${sources}`);
  }
  if (r.editWithoutRead) lines.push('', '⚠ can_edit without can_read: the DAG is not listed for this role.');
  return lines.join('\n');
}
