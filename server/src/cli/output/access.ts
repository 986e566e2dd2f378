/**
 * `explain` output, built from the engine's `DagAccess` (model/access.ts). The JSON shape here is the
 * CLI's stable contract (docs/cli.md): positions 1-based, files relative to the root. The matrix's
 * model and exports are shared with the editor: engine/matrix.ts, engine/matrixExport.ts.
 */
import type { DagAccess, Grant, Provenance, RoleAccess } from '../../model/access';
import type { Range } from '../../model/facts';
import { shown } from '../../model/terminalText';
import type { Palette } from './colour';
import { authAnswerJson, authAnswerText } from '../../engine/authAnswerFormat';
import { customRolesReaching, dagWideActions, defaultRolesLine, isPlainDefaultRole } from '../../engine/reach';

export interface DagLocation {
  dagId: string;
  file: string;
  range: Range;
}

type Rel = (file: string) => string;

const at = (rel: Rel, file: string, r: Range) => ({ file: rel(file), line: r.start.line + 1, column: r.start.character + 1 });

export function provenanceToJson(p: Provenance, rel: Rel): Record<string, unknown> {
  switch (p.kind) {
    case 'tag':
      return { kind: 'tag', role: p.role, tag: p.tag, tagAt: at(rel, p.tagFile, p.tagRange), configAt: at(rel, p.configFile, p.configRange) };
    case 'access_control':
      return { kind: 'access_control', role: p.role, at: at(rel, p.file, p.range) };
    case 'default_role':
      return { kind: 'default_role', role: p.role, resource: p.resource };
    case 'db':
      return { kind: 'db', role: p.role, resource: p.resource };
    case 'base_role':
      return { kind: 'base_role', role: p.role, baseRole: p.baseRole, configAt: at(rel, p.configFile, p.configRange) };
    case 'file_auth':
      return { kind: 'file_auth', role: p.role, users: p.users };
    case 'simple_auth':
      return { kind: 'simple_auth', role: p.role, users: p.users };
  }
}

function grantToJson(g: Grant, rel: Rel) {
  return { resource: g.resource, action: g.action, scope: g.scope, reverted: g.reverted === true, ...(g.needsDag ? { needsDag: g.needsDag } : {}), via: g.via.map((p) => provenanceToJson(p, rel)) };
}

/** `explain --format json` (schemaVersion 1). */
export function explainToJson(loc: DagLocation, access: DagAccess, rel: Rel, db: string | null): unknown {
  return {
    schemaVersion: 1,
    dagId: access.dagId,
    at: at(rel, loc.file, loc.range),
    airflowVersion: access.airflowVersion ?? null,
    authManager: access.authManager ?? 'fab',
    accessControlMode: access.accessControlMode ?? null,
    database: db,
    ...(access.notImported ? { notImported: access.notImported } : {}),
    summary: {
      canRead: access.summary.canRead,
      canEdit: access.summary.canEdit,
      canDelete: access.summary.canDelete,
      nonAdminReachable: access.summary.nonAdminReachable,
    },
    roles: access.roles.map((r) => ({
      role: r.role,
      builtin: r.builtin,
      dagActions: r.dagActions,
      dagRunActions: r.dagRunActions,
      editWithoutRead: r.editWithoutRead,
      grants: r.grants.map((g) => grantToJson(g, rel)),
    })),
    conflicts: access.conflicts.map((c) => ({
      kind: c.kind,
      severity: c.severity ?? 'warning',
      message: c.message,
      role: c.role ?? null,
      at: at(rel, c.file ?? loc.file, c.range),
    })),
    ...(access.authAnswer ? { authAnswer: authAnswerJson(access.authAnswer, rel) } : {}),
  };
}

function describeVia(p: Provenance, rel: Rel): string {
  switch (p.kind) {
    case 'tag':
      return `tag "${shown(p.tag)}" (${shown(rel(p.configFile))}:${p.configRange.start.line + 1})`;
    case 'access_control':
      return `access_control (${shown(rel(p.file))}:${p.range.start.line + 1})`;
    case 'default_role':
      return `default role (${shown(p.resource)})`;
    case 'db':
      return p.resource === 'DAGs' ? 'database grant on "DAGs" (DAG-wide: every DAG)' : `database grant on ${shown(p.resource)}`;
    case 'base_role':
      return `copied from base role ${shown(p.baseRole)} (${shown(rel(p.configFile))}:${p.configRange.start.line + 1})`;
    case 'file_auth':
      return `users file: ${shown(p.role)} (${p.users.map(shown).join(', ')})`;
    case 'simple_auth':
      return `simple auth manager role ${shown(p.role)}${p.users.length ? ` (${p.users.map(shown).join(', ')})` : ''}`;
  }
}

const short = (a: string) => a.replace(/^can_/, '');

function roleSources(r: RoleAccess, rel: Rel, c: Palette): string[] {
  const seen = new Map<string, string[]>();
  for (const g of r.grants) {
    for (const p of g.via) {
      const key = describeVia(p, rel);
      const list = seen.get(key) ?? [];
      const label = `${g.resource === 'DAG Runs' ? 'run:' : ''}${short(g.action)}${g.reverted ? c.red(' (reverted)') : ''}${g.needsDag ? c.red(` (no effect: needs ${short(g.needsDag)} on the DAG)`) : ''}`;
      if (!list.includes(label)) list.push(label);
      seen.set(key, list);
    }
  }
  return [...seen].map(([via, actions]) => `${via}: ${actions.join(', ')}`);
}

export function explainText(loc: DagLocation, access: DagAccess, rel: Rel, c: Palette): string {
  const out: string[] = [];
  out.push(`${c.bold(`DAG ${shown(access.dagId)}`)}  ${c.dim(`${shown(rel(loc.file))}:${loc.range.start.line + 1}`)}`);
  const s = access.summary;
  if (access.notImported) return `${[...out, access.notImported].join('\n')}\n`;
  const fab = (access.authManager ?? 'fab') === 'fab';
  // The same test as ADA010 (engine/reach.ts), so the two never disagree on a DAG.
  const custom = customRolesReaching(access);
  if (access.roles.length || !access.authAnswer) {
    out.push(`${s.canRead} role${s.canRead === 1 ? '' : 's'} can read, ${s.canEdit} can edit, ${s.canDelete} can delete.` + (custom.length || !fab ? '' : ' No custom role reaches it: only the default roles.'));
    out.push('');
  }
  // Default roles that reach the DAG only through their DAG-wide permissions: one line, not one table each.
  const grouped = defaultRolesLine(access.roles);
  if (grouped) out.push(`  ${c.dim('Default roles (DAG-wide, every DAG):')} ${grouped}`);
  const listed = access.roles.filter((r) => !isPlainDefaultRole(r));
  const width = Math.max(4, ...listed.map((r) => shown(r.role).length));
  for (const r of listed) {
    const dag = r.dagActions.map(short).join(', ') || '-';
    const run = r.dagRunActions.length ? `  runs: ${r.dagRunActions.map(short).join(', ')}` : '';
    const wide = dagWideActions(r);
    const scope = wide.length ? c.yellow(`  [DAG-wide: ${wide.map(short).join(', ')} on every DAG]`) : '';
    const name = r.builtin ? c.dim(shown(r.role).padEnd(width)) : c.cyan(shown(r.role).padEnd(width));
    out.push(`  ${name}  ${dag}${run}${scope}`);
    for (const line of roleSources(r, rel, c)) out.push(`  ${' '.repeat(width)}    ${c.dim('via')} ${line}`);
  }
  if (access.authAnswer) out.push('', ...authAnswerText(access.authAnswer, rel));
  if (access.conflicts.length) {
    out.push('', 'Conflicts:');
    for (const x of access.conflicts) {
      const paint = x.severity === 'error' ? c.red : x.severity === 'info' ? c.cyan : c.yellow;
      out.push(`  ${paint('!')} ${shown(x.message)} ${c.dim(`(${shown(rel(x.file ?? loc.file))}:${x.range.start.line + 1})`)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
