/** Markdown explanations (hover, explain request, CLI): pure functions over the project's facts. */
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { DagAccess } from '../model/access';
import type { RoleConfig } from '../model/config';
import type { AssetFact, DagFact, Range } from '../model/facts';
import type { DagRef } from './dagTable';
import type { Project } from './project';
import { authAnswerMarkdown } from '../engine/authAnswerFormat';
import { AUTH_MANAGER_LABEL } from '../engine/authNoEffect';
import { tagResolverOf } from '../engine/tags';
import { customRolesReaching, defaultRolesLine, isPlainDefaultRole } from '../engine/reach';
import { roleBlockMarkdown } from '../engine/grantReasons';

export function link(project: Project, file: string, range: Range, label?: string): string {
  const rel = path.relative(project.root, file) || path.basename(file);
  return `[${label ?? `${rel}:${range.start.line + 1}`}](${pathToFileURL(file).href}#L${range.start.line + 1})`;
}

export function dagName(dag: DagFact): string {
  return dag.dagId.kind === 'static' ? dag.dagId.value : '(dynamic dag_id)';
}

/** The effective access table of a DAG, with provenance of every grant. */
export function dagAccessMarkdown(project: Project, access: DagAccess): string {
  if (access.notImported) return withConfigNote(project, [`**DAG \`${access.dagId}\`** — not registered`, '', `⚠ ${access.notImported}`]).join('\n');
  // Keycloak / AWS: no roles here, the external policies decide (the answer below says what Airflow asks).
  if (!access.roles.length && access.authAnswer) return withConfigNote(project, [`**DAG \`${access.dagId}\`**`, '', ...authAnswerMarkdown(access.authAnswer), ...access.conflicts.flatMap((c) => ['', `⚠ ${c.message}`])]).join('\n');
  const lines = [`**DAG \`${access.dagId}\`** — ${access.summary.canEdit} role(s) can edit · ${access.summary.canRead} can read`];
  // One block per role: its effective actions, then why as a short list (no HTML and no wide table,
  // so it renders the same in VS Code, Neovim and other LSP clients).
  // Reference-style links ("[airflow-access.yaml:12][1]", the URIs at the end): the lines stay
  // narrow where a client shows Markdown as text (Neovim), and render as links in VS Code.
  const refs = new Map<string, number>();
  const ref = (at: { file: string; range: Range }) => {
    const [label, target] = linkParts(project, at.file, at.range);
    if (!refs.has(target)) refs.set(target, refs.size + 1);
    return `[${label}][${refs.get(target)}]`;
  };
  for (const role of access.roles.filter((r) => !isPlainDefaultRole(r))) lines.push('', ...roleBlockMarkdown(role, ref));
  // Default roles that reach the DAG only through their DAG-wide permissions: one line for all of them.
  const grouped = defaultRolesLine(access.roles);
  if (grouped) lines.push('', `Default roles (DAG-wide, every DAG): ${grouped}`);
  if (!customRolesReaching(access).length) lines.push('', 'No custom role reaches this DAG: only the default roles.');
  for (const c of access.conflicts) lines.push('', `⚠ ${c.message}`);
  if (access.authAnswer) lines.push('', ...authAnswerMarkdown(access.authAnswer, (f) => path.relative(project.root, f) || f));
  withConfigNote(project, lines);
  if (refs.size) lines.push('', ...[...refs].map(([target, n]) => `[${n}]: ${target}`));
  return lines.join('\n');
}

/** Label and target of a link: "airflow-access.yaml:12" for the config, "dags/x.py:3" (relative) for others. */
function linkParts(project: Project, file: string, range: Range): [string, string] {
  const line = range.start.line + 1;
  const label = project.isConfigFile(file) ? `${path.basename(file)}:${line}` : `${path.relative(project.root, file) || path.basename(file)}:${line}`;
  return [label, `${pathToFileURL(file).href}#L${line}`];
}

/** While the config has errors, answers come from its last valid version: say so under them. */
function withConfigNote(project: Project, lines: string[]): string[] {
  if (project.configStale && project.configFile) lines.push('', `*${path.basename(project.configFile)} has errors: this uses its last valid version.*`);
  return lines;
}

/** The tags that grant `role`: those it lists, and the workspace's tags permission_tag_pattern names it in. */
export function tagsGranting(project: Project, role: RoleConfig): Set<string> {
  const tags = new Set(role.tags.map((t) => t.value));
  if (!project.config?.permissionTagPattern) return tags;
  const resolver = tagResolverOf(project.config);
  for (const t of project.table.tags()) if (resolver.grants(t).some((g) => g.role.name === role.name)) tags.add(t);
  return tags;
}

const ROLE_DAGS_SHOWN = 20;

/** Who a config role reaches: every DAG with a tag that grants it (listed, or named by permission_tag_pattern). */
export function roleMarkdown(project: Project, role: RoleConfig): string {
  const dags = uniqueDags([...tagsGranting(project, role)].flatMap((t) => project.table.dagsWithTag(t)));
  const lines = [
    `**Role \`${role.name}\`** — ${role.dagPermissions.map((p) => p.value).join(', ')}${role.dagRunPermissions.length ? `; DAG Runs: ${role.dagRunPermissions.map((p) => p.value).join(', ')}` : ''}`,
    '',
    `Tags: ${role.tags.map((t) => `\`${t.value}\``).join(', ') || '—'} · cleanup: ${role.cleanup} · base role: ${role.baseRole} (${role.baseRoleDagWide ? 'with its DAG-wide access: reads every DAG it reads' : 'without its DAG-wide access'})${role.revokeDagWide ? ' · revoke_dag_wide' : ''}`,
    '',
    dags.length ? `Reaches ${dags.length} DAG(s):` : 'Reaches no DAG in this workspace.',
  ];
  // A role of a large workspace reaches hundreds of DAGs: the first ones, then how many more (the
  // tree's role node and the matrix list them all).
  for (const { file, dag } of dags.slice(0, ROLE_DAGS_SHOWN)) lines.push(`- ${link(project, file, dag.dagId.range, dagName(dag))}`);
  if (dags.length > ROLE_DAGS_SHOWN) lines.push(`- … and ${dags.length - ROLE_DAGS_SHOWN} more`);
  return lines.join('\n');
}

/** A tag in a DAG or the config: the roles it grants and where they are defined, and who uses it. */
export function tagMarkdown(project: Project, tag: string): string {
  const grants = tagResolverOf(project.config).grants(tag);
  const roles = grants.map((g) => g.role);
  const lines: string[] = [];
  if (!roles.length) {
    const why = project.config
      ? `not in ${path.basename(project.config.file)}`
      : project.configFile
        ? `${path.basename(project.configFile)} has errors: fix them to see what it grants`
        : 'no airflow-access.yaml';
    lines.push(`**Tag \`${tag}\`** grants no role (${why}).`);
  } else {
    lines.push(`**Tag \`${tag}\`** grants:`, '');
    for (const { role: r, match, managed, configRange } of grants) {
      const at = configRange!;
      const runs = r.dagRunPermissions.length ? `; DAG Runs: ${r.dagRunPermissions.map((p) => p.value).join(', ')}` : '';
      const how = match === 'pattern' ? ' (named by permission_tag_pattern)' : '';
      const unmanaged = managed ? '' : ` *(the sync leaves ${r.name === 'Admin' ? 'Admin' : 'built-in roles'} alone${r.name === 'Admin' ? '' : ' without manage_builtin: true'})*`;
      lines.push(`- role \`${r.name}\`${how}: ${r.dagPermissions.map((p) => p.value).join(', ')}${runs} — ${link(project, project.config!.file, at, `${path.basename(project.config!.file)}:${at.start.line + 1}`)}${unmanaged}`);
    }
  }
  const am = project.config?.airflow.authManager ?? 'fab';
  if (roles.length && am !== 'fab') lines.push('', `*No effect under the ${AUTH_MANAGER_LABEL[am]}: Airflow reads no FAB grants there (docs/auth-managers.md).*`);
  const users = sortDags(project.table.dagsWithTag(tag));
  if (users.length) lines.push('', `Used by ${users.length} DAG(s): ${users.slice(0, 10).map(({ file, dag }) => link(project, file, dag.dagId.range, dagName(dag))).join(', ')}`);
  return withConfigNote(project, lines).join('\n');
}

/** An asset: its access control, who may trigger its consumers, producers and consumers with links. */
export function assetMarkdown(project: Project, key: string, asset: AssetFact | null): string {
  const consumers = uniqueDags(project.table.consumersOf(key)).map(({ file, dag }) => `${link(project, file, dag.dagId.range, dagName(dag))}${teamSuffix(project, file)}`);
  const producers = project.table
    .producersOf(key)
    .map((p) => `${link(project, p.file, p.ref.range, `${dagName(p.dag)}${p.taskId ? '.' + p.taskId : ''}`)}${teamSuffix(project, p.file)}`);
  const ac = asset?.accessControl;
  const producerTeams = ac?.producerTeams?.map((t) => t.value) ?? asset?.allowProducerTeams?.teams.map((t) => t.value) ?? [];
  const allowGlobal = ac?.allowGlobal?.value ?? true;
  const lines = [`**Asset \`${key}\`**`, ''];
  if (project.config?.airflow.multiTeam) {
    const who = ['its consumers\' own team', ...producerTeams.map((t) => `\`${t}\``)];
    if (allowGlobal) who.push('team-less DAGs');
    lines.push(`May trigger its consumers: ${who.join(', ')}${ac?.consumerTeams ? ` · consumer_teams: ${ac.consumerTeams.map((t) => `\`${t.value}\``).join(', ') || '(none)'}` : ''}`, '');
  } else {
    lines.push('Any producer triggers its consumers (multi_team is off).', '');
  }
  lines.push(`Producers: ${producers.join(', ') || '—'}`, '', `Consumers: ${consumers.join(', ') || '—'}`);
  return lines.join('\n');
}

function teamSuffix(project: Project, file: string): string {
  const team = project.teamOf(file);
  return team ? ` (${team})` : '';
}

/** By file then position, so lists read in a stable order. */
function sortDags<T extends DagRef>(refs: T[]): T[] {
  return [...refs].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.dag.range.start.line - b.dag.range.start.line));
}

/** Each DAG once (a DAG with two matching tags, or consuming an asset twice), sorted. */
function uniqueDags<T extends DagRef>(refs: T[]): T[] {
  const seen = new Set<DagFact>();
  return sortDags(refs.filter((r) => (seen.has(r.dag) ? false : (seen.add(r.dag), true))));
}
