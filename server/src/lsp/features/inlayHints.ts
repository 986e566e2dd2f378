/** Inlay hints after each tag naming the role(s) it grants. */
import { InlayHintKind, type InlayHint } from 'vscode-languageserver/node';
import { rolesForTag } from '../../engine/tags';
import { contains } from '../../project/locate';
import type { ServerContext } from '../context';
import { uriToPath } from '../convert';
import { guard } from '../handler';

export function registerInlayHints(ctx: ServerContext): void {
  ctx.connection.languages.inlayHint.on(
    guard(ctx.log, 'textDocument/inlayHint', async (params): Promise<InlayHint[]> => {
      const file = uriToPath(params.textDocument.uri);
      const project = file ? await ctx.workspace.projectFor(params.textDocument.uri) : null;
      if (!file || !project || !project.config) return [];
      const out: InlayHint[] = [];
      for (const dag of project.getFile(file)?.dags ?? []) {
        for (const tag of dag.tags?.items ?? []) {
          if (tag.via && tag.via.file !== file) continue;
          if (!contains(params.range, tag.range.end)) continue;
          const roles = rolesForTag(project.config, tag.value);
          if (!roles.length) continue;
          out.push({
            position: tag.range.end,
            label: `→ ${roles.map((r) => r.role.name).join(', ')}`,
            kind: InlayHintKind.Type,
            paddingLeft: true,
            tooltip: roles.map((r) => `${r.role.name}: ${r.role.dagPermissions.map((p) => p.value).join(', ')}`).join('\n'),
          });
        }
      }
      return out;
    }),
  );
  ctx.workspace.onDidChange(() => {
    if (ctx.caps.inlayHintRefresh) ctx.connection.languages.inlayHint.refresh().catch(() => undefined);
  });
}
