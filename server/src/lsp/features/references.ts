/** References: from a config role or tag (or a tag in a DAG) to every DAG tag / access_control entry using it. */
import type { Location } from 'vscode-languageserver/node';
import { configEntries } from '../../engine/tags';
import { tagsGranting } from '../../project/describe';
import { configSymbolAt, symbolAt } from '../../project/locate';
import type { Project } from '../../project/project';
import type { Position, Range } from '../../model/facts';
import type { ServerContext } from '../context';
import { pathToUri, uriToPath } from '../convert';
import { guard, throwIfCancelled } from '../handler';
import type { CancellationToken } from 'vscode-languageserver/node';

type Use = { file: string; range: Range };

/** Every tag literal with one of `tags` in the DAGs using them (a tag from a shared constant once, at its literal). */
function tagUses(project: Project, tags: Set<string>, token?: CancellationToken): Use[] {
  const out: Use[] = [];
  for (const tag of tags) {
    for (const { file, dag } of project.table.dagsWithTag(tag)) {
      throwIfCancelled(token);
      for (const t of dag.tags?.items ?? []) if (t.value === tag) out.push({ file: t.via && t.via.file !== file ? t.via.file : file, range: t.range });
    }
  }
  return sortUses(dedupe(out));
}

function roleUses(project: Project, role: string, token?: CancellationToken): Use[] {
  const out: Use[] = [];
  for (const { file, dag } of project.table.dagsWithRole(role)) {
    throwIfCancelled(token);
    for (const r of dag.accessControl?.roles ?? []) if (r.role.value === role) out.push({ file: dag.accessControl?.via?.file ?? file, range: r.role.range });
  }
  return sortUses(dedupe(out));
}

function dedupe(xs: Use[]): Use[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = `${x.file}:${x.range.start.line}:${x.range.start.character}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

function sortUses(xs: Use[]): Use[] {
  return xs.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
}

export function references(project: Project, file: string, pos: Position, includeDeclaration: boolean, token?: CancellationToken): { file: string; range: Range }[] {
  const config = project.config;
  if (project.isConfigFile(file)) {
    const sym = config && configSymbolAt(config, pos);
    if (!sym) return [];
    if (sym.kind === 'role') {
      const uses = [...tagUses(project, tagsGranting(project, sym.role), token), ...roleUses(project, sym.role.name, token)];
      return includeDeclaration ? [{ file: config!.file, range: sym.role.nameRange }, ...uses] : uses;
    }
    if (sym.kind === 'configTag') {
      const uses = tagUses(project, new Set([sym.tag]), token);
      return includeDeclaration ? [{ file: config!.file, range: sym.range }, ...uses] : uses;
    }
    return [];
  }
  const facts = project.getFile(file);
  const sym = facts && symbolAt(facts, pos);
  if (sym?.kind === 'tag') {
    const decl = config ? configEntries(config, sym.tag.value) : [];
    return [...(includeDeclaration ? decl : []), ...tagUses(project, new Set([sym.tag.value]), token)];
  }
  if (sym?.kind === 'acRole') return roleUses(project, sym.role.role.value, token);
  return [];
}

export function registerReferences(ctx: ServerContext): void {
  ctx.connection.onReferences(
    guard(ctx.log, 'textDocument/references', async (params, token): Promise<Location[]> => {
      const file = uriToPath(params.textDocument.uri);
      // References list every file: they wait for the folder's scan rather than answer with some of them.
      const project = file ? await ctx.workspace.projectFor(params.textDocument.uri, { complete: true }) : null;
      if (!file || !project) return [];
      return references(project, file, params.position, params.context.includeDeclaration, token).map((r) => ({ uri: pathToUri(r.file, ctx.documents), range: r.range }));
    }),
  );
}
