/**
 * DagAccess -> Markdown (hover, `airflow-access explain`) and -> stable JSON (`explain --json`).
 *
 * JSON shape (schemaVersion 1; fields are only ever added, never renamed):
 * {
 *   schemaVersion: 1, dagId, airflowVersion: string | null (null = latest), authManager: 'fab' | 'file',
 *   accessControl: 'absent' | 'none' | 'dict' | 'empty' | 'dynamic',
 *   summary: { canRead, canEdit, canDelete, nonAdminReachable, perDagRoles },
 *   roles: [{ role, builtin, dagActions: string[], dagRunActions: string[], editWithoutRead,
 *             grants: [{ resource: 'DAGs' | 'DAG Runs', action, scope: 'global' | 'dag', reverted,
 *                        needsDag?: 'can_read' | 'can_edit' (a per-DAG run grant that gives nothing without it),
 *                        via: [{ kind, role, ...kind fields, location?: Location, configLocation?: Location }] }] }],
 *   conflicts: [{ kind, severity, role: string | null, message, location: Location }]
 * }
 * Location = { file: string | null, line: number, column: number } (1-based line and UTF-16 column).
 */
import { shown } from '../model/terminalText';
import type { Range } from '../model/facts';
import type { DagAccess, Provenance } from '../model/access';
import { authAnswerJson, authAnswerMarkdown } from './authAnswerFormat';
import { AUTH_MANAGER_LABEL } from './authNoEffect';
import { customRolesReaching, defaultRolesLine, isPlainDefaultRole } from './reach';
import { roleBlockMarkdown } from './grantReasons';

export interface ExplainOptions {
  /** File of the DAG (for conflict locations that do not name their file). */
  dagFile?: string;
  /** Render locations relative to this directory. */
  relativeTo?: string;
  /** Render locations as Markdown links to file URIs (hover); plain `file:line` otherwise. */
  links?: boolean;
}

export interface Location { file: string | null; line: number; column: number }

function location(file: string | null | undefined, range: Range): Location {
  return { file: file ?? null, line: range.start.line + 1, column: range.start.character + 1 };
}

function displayPath(file: string, opts: ExplainOptions): string {
  if (opts.relativeTo && file.startsWith(opts.relativeTo)) return file.slice(opts.relativeTo.length).replace(/^[\\/]/, '');
  return file;
}

function fileLink(file: string, range: Range, opts: ExplainOptions): string {
  const text = `${displayPath(file, opts)}:${range.start.line + 1}`;
  if (!opts.links) return `\`${text}\``;
  const uri = 'file://' + (file.startsWith('/') ? '' : '/') + file.split('\\').join('/').split('/').map(encodeURIComponent).join('/').replace(/^%2F/, '');
  return `[${text}](${uri}#L${range.start.line + 1})`;
}

export function describeProvenance(v: Provenance, opts: ExplainOptions = {}): string {
  switch (v.kind) {
    case 'tag':
      return `tag \`${v.tag}\` (${fileLink(v.tagFile, v.tagRange, opts)}) ${v.match === 'pattern' ? 'names the role through permission_tag_pattern' : 'mapped'} in ${fileLink(v.configFile, v.configRange, opts)}`;
    case 'access_control':
      return `access_control (${fileLink(v.file, v.range, opts)})`;
    case 'default_role':
      return `default role: global ${v.resource} permission`;
    case 'base_role':
      return `created from ${v.baseRole} (base_role, ${fileLink(v.configFile, v.configRange, opts)}): global permission`;
    case 'db':
      return v.resource === 'DAGs' ? 'metadata DB (DAGs): DAG-wide, every DAG' : `metadata DB (${v.resource})`;
    case 'file_auth':
      return `file auth manager role${v.users.length ? ` (${v.users.join(', ')})` : ''}`;
    case 'simple_auth':
      return `simple auth manager role${v.users.length ? ` (${v.users.join(', ')})` : ''}`;
  }
}

export function formatDagAccessMarkdown(access: DagAccess, opts: ExplainOptions = {}): string {
  const s = access.summary;
  const env = `Airflow ${access.airflowVersion ?? 'latest'}, ${AUTH_MANAGER_LABEL[access.authManager ?? 'fab']}`;
  // Keycloak / AWS: no roles here (the external policies decide); the auth manager's answer below says what Airflow asks.
  const external = !access.roles.length && access.authAnswer;
  const lines = [
    external ? `**DAG \`${shown(access.dagId)}\`** (${env})` : `**DAG \`${shown(access.dagId)}\`** — ${s.canRead} role${s.canRead === 1 ? '' : 's'} can read · ${s.canEdit} can edit · ${s.canDelete} can delete (${env})`,
  ];
  // The hover's shape (engine/grantReasons.ts): one line per role, its reasons as a list; no HTML.
  for (const r of access.roles.filter((x) => !isPlainDefaultRole(x))) {
    lines.push('', ...roleBlockMarkdown(r, (at) => fileLink(at.file, at.range, opts)).map(shown));
  }
  // Default roles that reach the DAG only through their DAG-wide permissions: one line for all of them.
  const grouped = defaultRolesLine(access.roles);
  if (grouped) lines.push('', `Default roles (DAG-wide, every DAG): ${grouped}`);
  if (!customRolesReaching(access).length) lines.push('', 'No custom role reaches this DAG: only the default roles.');
  if (access.conflicts.length) {
    lines.push('');
    for (const c of access.conflicts) {
      const where = fileLink(c.file ?? opts.dagFile ?? '', c.range, opts);
      lines.push(`- ${c.severity === 'error' ? '⛔' : '⚠'} ${shown(c.message)} (${where})`);
    }
  }
  if (access.authAnswer) lines.push('', ...authAnswerMarkdown(access.authAnswer, (f) => (opts.relativeTo ? displayPath(f, opts) : f)));
  return lines.join('\n');
}

function provenanceJson(v: Provenance): Record<string, unknown> {
  switch (v.kind) {
    case 'tag':
      return { kind: v.kind, role: v.role, tag: v.tag, location: location(v.tagFile, v.tagRange), configLocation: location(v.configFile, v.configRange), ...(v.match ? { match: v.match } : {}) };
    case 'access_control':
      return { kind: v.kind, role: v.role, location: location(v.file, v.range) };
    case 'default_role':
      return { kind: v.kind, role: v.role, resource: v.resource };
    case 'base_role':
      return { kind: v.kind, role: v.role, baseRole: v.baseRole, configLocation: location(v.configFile, v.configRange) };
    case 'db':
      return { kind: v.kind, role: v.role, resource: v.resource };
    case 'file_auth':
    case 'simple_auth':
      return { kind: v.kind, role: v.role, users: [...v.users] };
  }
}

export function dagAccessToJson(access: DagAccess, opts: Pick<ExplainOptions, 'dagFile'> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    dagId: access.dagId,
    airflowVersion: access.airflowVersion ?? null,
    authManager: access.authManager ?? 'fab',
    accessControl: access.accessControlMode ?? 'absent',
    summary: { canRead: access.summary.canRead, canEdit: access.summary.canEdit, canDelete: access.summary.canDelete,
      nonAdminReachable: access.summary.nonAdminReachable, perDagRoles: access.summary.perDagRoles ?? 0 },
    roles: access.roles.map((r) => ({
      role: r.role,
      builtin: r.builtin,
      dagActions: [...r.dagActions],
      dagRunActions: [...r.dagRunActions],
      editWithoutRead: r.editWithoutRead,
      grants: r.grants.map((g) => ({ resource: g.resource, action: g.action, scope: g.scope, reverted: !!g.reverted, ...(g.needsDag ? { needsDag: g.needsDag } : {}), via: g.via.map(provenanceJson) })),
    })),
    conflicts: access.conflicts.map((c) => ({
      kind: c.kind, severity: c.severity ?? 'warning', role: c.role ?? null, message: c.message, location: location(c.file ?? opts.dagFile ?? null, c.range),
    })),
    ...(access.authAnswer ? { authAnswer: authAnswerJson(access.authAnswer) } : {}),
  };
}
