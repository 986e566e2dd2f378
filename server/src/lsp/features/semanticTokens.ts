/** Semantic tokens telling mapped access tags from unmapped permission-like tags. */
import type { SemanticTokens } from 'vscode-languageserver/node';
import { closestMappedTag, isPermissionLikeTag, rolesForTag } from '../../engine/tags';
import type { Project } from '../../project/project';
import type { ServerContext } from '../context';
import { uriToPath } from '../convert';
import { guard } from '../handler';

export { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from '../semanticTokenLegend';

export function registerSemanticTokens(ctx: ServerContext): void {
  ctx.connection.languages.semanticTokens.on(
    guard(ctx.log, 'textDocument/semanticTokens/full', async (params): Promise<SemanticTokens> => {
      const file = uriToPath(params.textDocument.uri);
      const project = file ? await ctx.workspace.projectFor(params.textDocument.uri) : null;
      const data: number[] = [];
      if (!file || !project?.config || project.isConfigFile(file)) return { data };
      const tokens: { line: number; char: number; length: number; type: number; mods: number }[] = [];
      for (const dag of project.getFile(file)?.dags ?? []) {
        for (const tag of dag.tags?.items ?? []) {
          if ((tag.via && tag.via.file !== file) || tag.range.start.line !== tag.range.end.line) continue;
          const mapped = rolesForTag(project.config, tag.value).length > 0;
          const unmapped = !mapped && (isPermissionLikeTag(project.config, tag.value) || closestMappedTag(project.config, tag.value) !== null);
          if (!mapped && !unmapped) continue;
          // mapped: enumMember; unmapped permission-like: string + deprecated (rendered struck through).
          tokens.push({ line: tag.range.start.line, char: tag.range.start.character, length: tag.range.end.character - tag.range.start.character, type: mapped ? 0 : 1, mods: mapped ? 0 : 2 });
        }
      }
      tokens.sort((a, b) => a.line - b.line || a.char - b.char);
      let line = 0;
      let char = 0;
      for (const t of tokens) {
        data.push(t.line - line, t.line === line ? t.char - char : t.char, t.length, t.type, t.mods);
        line = t.line;
        char = t.char;
      }
      return { data };
    }),
  );
  // Which tags count as mapped comes from the config: when a folder's config changes (a new config
  // object), ask the client to request the tokens of its open editors again.
  const configSeen = new WeakMap<Project, unknown>();
  ctx.workspace.onDidChange((project) => {
    if (configSeen.has(project) && configSeen.get(project) === project.config) return;
    configSeen.set(project, project.config);
    if (ctx.caps.semanticTokensRefresh) ctx.connection.languages.semanticTokens.refresh().catch(() => undefined);
  });
}
