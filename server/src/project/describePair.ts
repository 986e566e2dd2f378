/**
 * One role on one DAG, with where each grant comes from: what the matrix view shows when a cell is
 * opened, above the DAG's whole explanation (describe.ts). The reasons are the engine's
 * (engine/grantReasons.ts), the same the hover, explain and the tree show.
 */
import type { DagAccess } from '../model/access';
import type { TreeRequest } from '../protocol';
import { actionsText, nothingText, reasonDetailMarkdown, roleReasons } from '../engine/grantReasons';
import { link } from './describe';
import type { Project } from './project';

const short = (a: string) => a.replace(/^can_/, '');

/**
 * What the engine found wrong about this role on this DAG (e.g. access_control names it but it
 * does not exist yet, or access_control reverts its tag grant): the reason a grant is missing or
 * reverted. The matrix cell (pairMarkdown) and the tree's role/DAG entries (accessTree.ts) show these.
 */
export function pairFindings(access: DagAccess, role: string): TreeRequest.Finding[] {
  return access.conflicts.filter((c) => c.role === role).map((c) => ({ severity: c.severity ?? 'warning', message: c.message }));
}

/** "⚠ message" (ℹ for info): one finding as a Markdown line. */
export function findingLine(f: TreeRequest.Finding): string {
  return `${f.severity === 'info' ? 'ℹ' : '⚠'} ${f.message}`;
}

export function pairMarkdown(project: Project, access: DagAccess, role: string): string {
  const r = access.roles.find((x) => x.role === role);
  const head = `**Role \`${role}\` on DAG \`${access.dagId}\`**`;
  // The engine's findings about the pair, next to the grants.
  const notes = pairFindings(access, role).map(findingLine);
  if (!r || !r.grants.length) return [`${head}: no access.`, ...(notes.length ? ['', ...notes] : [])].join('\n');
  const effective = [...r.dagActions.map(short), ...r.dagRunActions.map((a) => `runs: ${short(a)}`)];
  const reasons = roleReasons(r);
  const lines = [`${head} — ${effective.length ? actionsText(effective) : nothingText(reasons)}`, ''];
  // Per-DAG sources first, then role-wide ones (roleReasons' order): the hover's line, then the
  // detail with its links indented under it (one list item; no HTML, reads the same in Neovim).
  for (const x of reasons) {
    const detail = reasonDetailMarkdown(x, access.dagId, (file, range, label) => link(project, file, range, label)).replace(/\n\n/g, ' ');
    lines.push(`- ${x.markdown} — ${actionsText(x.actions)}${x.reverted ? ' — *reverted by access_control*' : ''}`, `  ${detail}`);
  }
  if (r.editWithoutRead) lines.push('', '⚠ can_edit without can_read: the DAG is not listed for this role.');
  if (notes.length) lines.push('', ...notes);
  return lines.join('\n');
}
