/**
 * Why a role reaches a DAG, one reason per source of its grants (a tag mapping, access_control,
 * base_role, a default role, the metadata DB, an auth manager's role): the hover, the explain
 * document and the tree all say "why" from this reading of the engine's provenance (dagAccess.ts),
 * so they never compute access a second way. Pure: Markdown links come from the caller's `link`.
 */
import type { Range } from '../model/facts';
import type { Grant, Provenance, RoleAccess } from '../model/access';

export interface SourceLocation {
  file: string;
  range: Range;
}

export interface GrantReason {
  kind: Provenance['kind'];
  /** Plain text for narrow places (tree descriptions): "via tag analytics_read", "DAG-wide: base role Viewer". */
  label: string;
  /** The same with Markdown code spans: "via tag `analytics_read`". */
  markdown: string;
  /** Actions this source grants, short and in engine order: "read", "edit", "runs: read". */
  actions: string[];
  /** The grant is on the 'DAGs' / 'DAG Runs' resource: every DAG, not this one only. */
  dagWide: boolean;
  /** Every grant from this source is reverted by access_control. */
  reverted: boolean;
  /**
   * Run actions this source grants on this DAG that give nothing, with the DAG action the role lacks
   * ("runs: read" needs "read"): Airflow checks the DAG before its runs (dagAccess.ts, buildRoles).
   * They are not in `actions`.
   */
  withoutDag?: { action: string; needs: 'read' | 'edit' }[];
  /** Where the grant is written: the config's tag line, the DAG's access_control, the role's base_role. */
  source?: SourceLocation;
  /** The tag in the DAG file (tag reasons only). */
  dagSource?: SourceLocation;
  /** The provenance the reason stands for (first one when grants share the source). */
  via: Provenance;
}

/** Markdown link to a location; `label` defaults to "file:line". */
export type LinkFn = (file: string, range: Range, label?: string) => string;

const short = (a: string) => a.replace(/^can_/, '');
const ACTION_ORDER = ['read', 'edit', 'create', 'delete', 'menu_access'];

function keyOf(v: Provenance): string {
  switch (v.kind) {
    case 'tag': return `tag|${v.tag}|${v.configFile}|${v.configRange.start.line}`;
    case 'access_control': return `ac|${v.file}`;
    case 'default_role': return `default|${v.role}`;
    case 'base_role': return `base|${v.baseRole}`;
    case 'db': return `db|${v.resource === 'DAGs' || v.resource === 'DAG Runs' ? 'global' : 'dag'}`;
    case 'file_auth': return 'file_auth';
    case 'simple_auth': return 'simple_auth';
  }
}

const plain = (s: string) => s;

function labelOf(v: Provenance, code: (s: string) => string): string {
  switch (v.kind) {
    case 'tag': return `via tag ${code(v.tag)}${v.match === 'pattern' ? ' (permission_tag_pattern)' : ''}`;
    case 'access_control': return 'via access_control';
    case 'default_role': return 'default role (DAG-wide)';
    case 'base_role': return `DAG-wide: base role ${code(v.baseRole)}`;
    case 'db': return `${v.resource === 'DAGs' || v.resource === 'DAG Runs' ? 'DAG-wide: from the database' : 'from the database'}${code === plain ? '' : ` (${code(v.resource)})`}`;
    case 'file_auth': return `file auth manager role${v.users.length ? ` (users: ${v.users.join(', ')})` : ''}`;
    case 'simple_auth': return `simple auth manager role${v.users.length ? ` (users: ${v.users.join(', ')})` : ''}`;
  }
}

function sourceOf(v: Provenance): SourceLocation | undefined {
  switch (v.kind) {
    case 'tag': return { file: v.configFile, range: v.configRange };
    case 'access_control': return { file: v.file, range: v.range };
    case 'base_role': return { file: v.configFile, range: v.configRange };
    default: return undefined;
  }
}

function actionText(resource: Grant['resource'], action: string): string {
  return resource === 'DAGs' ? short(action) : `runs: ${short(action)}`;
}

function rank(a: string): number {
  const runs = a.startsWith('runs: ');
  const i = ACTION_ORDER.indexOf(runs ? a.slice(6) : a);
  return (runs ? 100 : 0) + (i < 0 ? 50 : i);
}

/** The reasons of one role's access to one DAG, in the order of its grants (per-DAG sources first). */
export function roleReasons(role: RoleAccess): GrantReason[] {
  const byKey = new Map<string, GrantReason & { live: boolean }>();
  for (const g of role.grants) {
    for (const v of g.via) {
      const key = keyOf(v);
      let r = byKey.get(key);
      if (!r) {
        const dagWide = g.scope === 'global';
        r = {
          kind: v.kind, label: labelOf(v, plain), markdown: labelOf(v, (s) => `\`${s}\``), actions: [], dagWide, reverted: true, via: v, live: false,
          ...(sourceOf(v) ? { source: sourceOf(v) } : {}),
          ...(v.kind === 'tag' ? { dagSource: { file: v.tagFile, range: v.tagRange } } : {}),
        };
        byKey.set(key, r);
      }
      const text = actionText(g.resource, g.action);
      if (!g.reverted) r.live = true;
      if (g.needsDag) {
        const list = (r.withoutDag ??= []);
        if (!list.some((x) => x.action === text)) list.push({ action: text, needs: short(g.needsDag) as 'read' | 'edit' });
      } else if (!r.actions.includes(text)) r.actions.push(text);
    }
  }
  const out = [...byKey.values()].map(({ live, ...r }) => {
    const actions = r.actions.sort((a, b) => rank(a) - rank(b));
    r.withoutDag?.sort((a, b) => rank(a.action) - rank(b.action));
    // Only 'DAG Runs' role-wide (a base role without its DAG-wide access, a DB grant on 'DAG Runs'):
    // the runs of the DAGs the role may read, not every DAG.
    if (r.dagWide && actions.every((a) => a.startsWith('runs: '))) {
      const roleWide = (t: string) => t.replace(/^DAG-wide:/, 'role-wide:');
      return { ...r, reverted: !live, actions, label: roleWide(r.label), markdown: roleWide(r.markdown) };
    }
    return { ...r, reverted: !live, actions };
  });
  // Per-DAG sources first (they are what is particular to this DAG), then DAG-wide ones.
  return [...out.filter((r) => !r.dagWide), ...out.filter((r) => r.dagWide)];
}

/** "read, edit · runs: read" */
export function actionsText(actions: readonly string[]): string {
  const dag = actions.filter((a) => !a.startsWith('runs: '));
  const runs = actions.filter((a) => a.startsWith('runs: ')).map((a) => a.slice(6));
  return [dag.join(', '), runs.length ? `runs: ${runs.join(', ')}` : ''].filter(Boolean).join(' · ') || 'nothing';
}

/**
 * Why some run actions of a reason give nothing, '' when all count: "runs: read is granted via tag
 * `x_runs` but the role cannot read the DAG: Airflow checks the DAG first."
 */
export function withoutDagText(r: GrantReason, markdown = true): string {
  if (!r.withoutDag?.length) return '';
  const parts = (['read', 'edit'] as const).flatMap((needs) => {
    const acts = r.withoutDag!.filter((x) => x.needs === needs).map((x) => x.action.slice(6));
    if (!acts.length) return [];
    return [`runs: ${acts.join(', ')} ${acts.length > 1 ? 'are' : 'is'} granted ${markdown ? r.markdown : r.label} but the role cannot ${needs} the DAG`];
  });
  return `${parts.join('; ')}: Airflow checks the DAG first.`;
}

/** One Markdown sentence saying where the reason comes from and what it means in Airflow (tooltips). */
export function reasonDetailMarkdown(r: GrantReason, dagId: string | null, link: LinkFn): string {
  const v = r.via;
  // What the source grants, the run actions that give nothing included (said apart below).
  const granted = [...r.actions, ...(r.withoutDag ?? []).map((x) => x.action)].sort((a, b) => rank(a) - rank(b));
  const runsOnly = granted.every((a) => a.startsWith('runs: '));
  const what = runsOnly ? granted.map((a) => a.slice(6)).join(', ') : actionsText(granted);
  const target = !r.dagWide ? (dagId ? `\`${runsOnly ? 'DAG Run' : 'DAG'}:${dagId}\`` : 'this DAG')
    : runsOnly ? 'the runs of every DAG the role may read (the `DAG Runs` resource)' : 'every DAG (the `DAGs` resource)';
  const reverted = (r.reverted ? '\n\n⚠ Reverted: the DAG\'s access_control is authoritative, so Airflow revokes this grant when it parses the DAG.' : '')
    + (r.withoutDag?.length ? `\n\n⚠ ${withoutDagText(r)}` : '');
  switch (v.kind) {
    case 'tag':
      return `Tag \`${v.tag}\` on the DAG (${link(v.tagFile, v.tagRange)}) ${v.match === 'pattern' ? 'names' : 'is mapped to'} role \`${v.role}\` ${v.match === 'pattern' ? 'through permission_tag_pattern' : 'in'} ${link(v.configFile, v.configRange)}: the sync grants ${what} on ${target}.${reverted}`;
    case 'access_control':
      return `The DAG's access_control (${link(v.file, v.range)}) lists \`${v.role}\`: Airflow applies ${what} on ${target} when it parses the DAG.${reverted}`;
    case 'base_role':
      return `Role \`${v.role}\` is created from base role \`${v.baseRole}\` (${link(v.configFile, v.configRange)}) and keeps its role-wide permissions: ${what} on ${target}.`;
    case 'default_role':
      return `\`${v.role}\` is one of Airflow's default roles: it holds ${what} on ${target}.`;
    case 'db':
      return `The metadata database grants \`${v.role}\` ${what} on ${r.dagWide ? target : `\`${v.resource}\``} (not written in this workspace).${reverted}`;
    case 'file_auth':
      return `A role of the file auth manager${v.users.length ? ` (users: ${v.users.join(', ')})` : ''}: ${what} on every DAG.`;
    case 'simple_auth':
      return `A role of the simple auth manager${v.users.length ? ` (users: ${v.users.join(', ')})` : ''}: ${what} on every DAG.`;
  }
}

/**
 * The hover's and explain's block for one role: "**role** — read, edit", then one "- via …" line per
 * source of its grants, `where` rendering the source (a Markdown link, or `file:line` in a terminal).
 * Markdown without HTML or tables: it reads the same in VS Code, Neovim and a terminal.
 */
export function roleBlockMarkdown(role: RoleAccess, where: (at: SourceLocation) => string): string[] {
  const reasons = roleReasons(role);
  const effective = [...role.dagActions.map(short), ...role.dagRunActions.map((a) => `runs: ${short(a)}`)];
  const flags = `${role.builtin ? ' *(default role)*' : ''}${role.editWithoutRead ? ' ⚠ edit without read' : ''}`;
  const lines = [`**${role.role}**${flags} — ${effective.length ? actionsText(effective) : nothingText(reasons)}`];
  for (const r of reasons) {
    const at = r.source ? ` (${where(r.source)})` : '';
    const what = reasons.length > 1 && r.actions.length ? ` — ${actionsText(r.actions)}` : '';
    lines.push(`- ${r.markdown}${at}${what}${r.reverted ? ' — *reverted by access_control*' : ''}`);
    if (r.withoutDag?.length) lines.push(`  - ⚠ ${withoutDagText(r)}`);
  }
  return lines;
}

/** What a role holding no effective action on the DAG shows instead of its actions. */
export function nothingText(reasons: readonly GrantReason[]): string {
  return reasons.every((r) => r.reverted) ? 'nothing (every grant is reverted)' : 'nothing';
}
