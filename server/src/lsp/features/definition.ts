/** Go to definition: a tag or an access_control role in a DAG file -> its entry in the config YAML; an asset reference -> its Asset(...). */
import type { Location } from 'vscode-languageserver/node';
import { assetOf } from '../../rules/crossTeamEvents';
import { ruleContextOf } from '../../rules/ruleContext';
import { configEntries } from '../../engine/tags';
import { symbolAt } from '../../project/locate';
import type { Project } from '../../project/project';
import type { Position } from '../../model/facts';
import type { ServerContext } from '../context';
import { pathToUri, uriToPath } from '../convert';
import { guard } from '../handler';

export function definitions(project: Project, file: string, pos: Position): { file: string; range: Location['range'] }[] {
  const facts = project.getFile(file);
  const sym = facts && symbolAt(facts, pos);
  const config = project.config;
  if (!facts || !sym) return [];
  if (sym.kind === 'tag') {
    if (!config) return [];
    return configEntries(config, sym.tag.value);
  }
  if (sym.kind === 'acRole') {
    const role = config?.roles.find((r) => r.name === sym.role.role.value);
    return role ? [{ file: config!.file, range: role.nameRange }] : [];
  }
  if (sym.kind === 'team') {
    const team = config?.teams.find((t) => t.name === sym.team.value);
    return team ? [{ file: config!.file, range: team.nameRange }] : [];
  }
  if (sym.kind === 'assetRef') {
    const asset = assetOf(ruleContextOf(project), facts, sym.ref);
    if (!asset) return [];
    const at = facts.assets.includes(asset) ? file : project.table.fileOfAsset(asset);
    if (at) return [{ file: at, range: asset.variable?.range ?? asset.range }];
  }
  return [];
}

export function registerDefinition(ctx: ServerContext): void {
  ctx.connection.onDefinition(
    guard(ctx.log, 'textDocument/definition', async (params): Promise<Location[]> => {
      const file = uriToPath(params.textDocument.uri);
      const project = file ? await ctx.workspace.projectFor(params.textDocument.uri) : null;
      if (!file || !project) return [];
      return definitions(project, file, params.position).map((d) => ({ uri: pathToUri(d.file, ctx.documents), range: d.range }));
    }),
  );
}
