/**
 * Completion: mapped tags inside tags=[...] (with the role each grants), roles and actions inside
 * access_control, team names inside producer_teams/consumer_teams, and roles/tags/permissions in the config.
 */
import { CompletionItemKind, type CompletionItem, type CompletionList } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_ROLES } from '../../engine/defaultRoles';
import { tagResolverOf } from '../../engine/tags';
import type { Position, Range } from '../../model/facts';
import { contains } from '../../project/locate';
import type { Project } from '../../project/project';
import { DAG_RESOURCE_ACTIONS } from '../../rules/helpers';
import type { ServerContext } from '../context';
import { uriToPath } from '../convert';
import { guard } from '../handler';

type Slot =
  | 'tags'
  | 'roles'
  | 'dagActions'
  | 'runActions'
  | 'resources'
  | 'actionsOrResources'
  | 'teams'
  | 'configTags'
  | 'configPermissions'
  | 'configRunPermissions'
  | 'configKeys'
  | null;

/** The text of the line up to the cursor, and what the cursor is inside of (by facts ranges, else by text). */
function slotAt(project: Project, file: string, doc: TextDocument, pos: Position): Slot {
  const before = doc.getText({ start: { line: Math.max(0, pos.line - 30), character: 0 }, end: pos });
  if (project.isConfigFile(file)) {
    const line = before.split(/\r?\n/).pop() ?? '';
    if (/^\s*tags\s*:/.test(line) || /^\s*-\s*\S*$/.test(line) && /tags\s*:\s*$/m.test(before.split(/\n/).slice(-3).join('\n'))) return 'configTags';
    if (/^\s*dag_run_permissions\s*:/.test(line)) return 'configRunPermissions';
    if (/^\s*dag_permissions\s*:/.test(line)) return 'configPermissions';
    if (/^\s*base_role\s*:/.test(line)) return 'roles';
    return null;
  }
  const facts = project.getFile(file);
  for (const dag of facts?.dags ?? []) {
    if (dag.tags && contains(dag.tags.range, pos)) return 'tags';
    if (dag.accessControl && contains(dag.accessControl.range, pos)) return accessControlSlot(before);
  }
  for (const asset of facts?.assets ?? []) {
    const ac = asset.accessControl;
    if ((ac && contains(ac.range, pos)) || (asset.allowProducerTeams && contains(asset.allowProducerTeams.range, pos))) return 'teams';
  }
  // Text fallback while the code does not parse yet.
  const tail = before.slice(-400);
  // `tags=[...` in a call, or a tags constant being written (`TEAM_TAGS = [...`).
  if (/\b\w*tags\s*=\s*[[(][^\])]*$/i.test(tail)) return 'tags';
  if (/\b(producer_teams|consumer_teams|allow_producer_teams)\s*=\s*\[[^\]]*$/.test(tail)) return 'teams';
  if (/\baccess_control\s*=\s*\{[^]*$/.test(tail) && !/\)\s*$/.test(tail)) return accessControlSlot(tail);
  return null;
}

/**
 * Where in `{"Role": {"can_read"}}` (flat) or `{"Role": {"DAGs": {...}, "DAG Runs": {...}}}` (nested)
 * the cursor is, from the text after `access_control`: a role key, a resource key, or the actions of
 * a resource (DAGs and DAG Runs have different ones). Strings are skipped; each open brace is a frame
 * that remembers the last key written in it and whether it already holds a `key: value` pair.
 */
function accessControlSlot(text: string): Slot {
  const frames: { pairs: boolean; key: string | null; afterColon: boolean }[] = [];
  let lastString: string | null = null;
  const body = text.slice(text.lastIndexOf('access_control'));
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '"' || ch === "'") {
      const end = body.indexOf(ch, i + 1);
      if (end < 0) break; // the string being typed: the cursor is in it
      lastString = body.slice(i + 1, end);
      i = end;
      continue;
    }
    const top = frames[frames.length - 1];
    if (ch === '{') frames.push({ pairs: false, key: null, afterColon: false });
    else if (ch === '}') frames.pop();
    else if (ch === ':' && top) {
      top.pairs = true;
      top.afterColon = true;
      top.key = lastString;
    } else if (ch === ',' && top) top.afterColon = false;
  }
  const top = frames[frames.length - 1];
  if (!top || top.afterColon) return null;
  if (frames.length === 1) return 'roles';
  // In a role's braces: pairs make it the nested form (resource keys), an item the flat form (actions).
  if (frames.length === 2) return top.pairs ? 'resources' : hasItem(body) ? 'dagActions' : 'actionsOrResources';
  if (frames.length === 3) {
    const resource = frames[1]!.key;
    return resource === 'DAGs' ? 'dagActions' : resource === 'DAG Runs' ? 'runActions' : null;
  }
  return null;
}

/** Whether the innermost open brace already holds an item (a flat action set once it has one). */
function hasItem(body: string): boolean {
  const open = body.lastIndexOf('{');
  return /["'][^"']*["']\s*,/.test(body.slice(open));
}

function quoteContext(doc: TextDocument, pos: Position): { inString: boolean; range: Range | null } {
  const line = doc.getText({ start: { line: pos.line, character: 0 }, end: pos });
  const m = /(["'])([^"']*)$/.exec(line);
  if (!m || (line.slice(0, m.index).split(m[1]).length - 1) % 2 === 1) return { inString: false, range: null };
  return { inString: true, range: { start: { line: pos.line, character: pos.character - m[2].length }, end: pos } };
}

/** Fresh items on every call: a request sets its own edit on them. */
function resources(): CompletionItem[] {
  return ['DAGs', 'DAG Runs'].map((label) => ({ label, detail: 'resource (nested form, Airflow 2.10+)', kind: CompletionItemKind.Module }));
}

/** The items of a slot, built for this request only (never shared: the caller writes each one's edit). */
function items(project: Project, slot: Slot): CompletionItem[] {
  const config = project.config;
  switch (slot) {
    case 'tags':
    case 'configTags': {
      const resolver = tagResolverOf(config);
      return resolver.exactTags().map((tag) => ({
        label: tag,
        kind: CompletionItemKind.EnumMember,
        detail: `grants ${resolver.grants(tag).map(({ role }) => `${role.name} (${role.dagPermissions.map((p) => p.value).join(', ')})`).join('; ')}`,
      }));
    }
    case 'roles': {
      const names = new Map<string, string>();
      for (const r of config?.roles ?? []) names.set(r.name, `config role: ${r.dagPermissions.map((p) => p.value).join(', ')}`);
      for (const r of DEFAULT_ROLES) if (!names.has(r)) names.set(r, 'Airflow default role');
      for (const r of project.db.roleNames() ?? []) if (!names.has(r)) names.set(r, 'role in the metadata database');
      return [...names].map(([label, detail]) => ({ label, detail, kind: CompletionItemKind.Class }));
    }
    case 'dagActions':
      return DAG_RESOURCE_ACTIONS.DAGs.map((a) => ({ label: a, detail: 'DAGs action', kind: CompletionItemKind.Value }));
    case 'runActions':
      return DAG_RESOURCE_ACTIONS['DAG Runs'].map((a) => ({ label: a, detail: 'DAG Runs action', kind: CompletionItemKind.Value }));
    case 'resources':
      return resources();
    case 'actionsOrResources':
      // `{"Role": {"|`: the flat form takes DAG actions, the nested form (Airflow 2.10+) resources.
      return [...DAG_RESOURCE_ACTIONS.DAGs.map((a) => ({ label: a, detail: 'DAGs action', kind: CompletionItemKind.Value })), ...resources()];
    case 'configPermissions':
      return DAG_RESOURCE_ACTIONS.DAGs.map((a) => ({ label: a, detail: 'DAG:<dag_id> action', kind: CompletionItemKind.Value }));
    case 'configRunPermissions':
      return DAG_RESOURCE_ACTIONS['DAG Runs'].map((a) => ({ label: a, detail: 'DAG Run:<dag_id> action', kind: CompletionItemKind.Value }));
    case 'teams':
      return (config?.teams ?? []).map((t) => ({ label: t.name, detail: `team: ${t.paths.join(', ')}`, kind: CompletionItemKind.Constant }));
    default:
      return [];
  }
}

export function registerCompletion(ctx: ServerContext): void {
  ctx.connection.onCompletion(
    guard(ctx.log, 'textDocument/completion', async (params): Promise<CompletionList | null> => {
      const file = uriToPath(params.textDocument.uri);
      const doc = ctx.documents.get(params.textDocument.uri);
      const project = file ? await ctx.workspace.projectFor(params.textDocument.uri) : null;
      if (!file || !doc || !project) return null;
      const slot = slotAt(project, file, doc, params.position);
      if (!slot) return null;
      const q = quoteContext(doc, params.position);
      const python = !project.isConfigFile(file);
      const range = q.range;
      const list = items(project, slot).map((item): CompletionItem => {
        if (!python) return item;
        return range ? { ...item, textEdit: { range, newText: item.label } } : { ...item, insertText: JSON.stringify(item.label) };
      });
      return { isIncomplete: false, items: list };
    }),
  );
}
