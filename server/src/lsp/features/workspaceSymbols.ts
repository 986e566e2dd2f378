/** Workspace symbols: every dag_id of every folder, fuzzy-matched on the query. */
import { SymbolKind, type SymbolInformation } from 'vscode-languageserver/node';
import type { ServerContext } from '../context';
import { pathToUri } from '../convert';
import { guard, throwIfCancelled } from '../handler';

function matches(query: string, name: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (const ch of n) if (ch === q[i]) i++;
  return i === q.length;
}

export function registerWorkspaceSymbols(ctx: ServerContext): void {
  ctx.connection.onWorkspaceSymbol(
    guard(ctx.log, 'workspace/symbol', async (params, token): Promise<SymbolInformation[]> => {
      const out: SymbolInformation[] = [];
      for (const project of await ctx.workspace.projects()) {
        for (const { file, dag } of project.allDags()) {
          throwIfCancelled(token);
          if (dag.dagId.kind !== 'static' || !matches(params.query, dag.dagId.value)) continue;
          out.push({ name: dag.dagId.value, kind: SymbolKind.Module, containerName: 'DAG', location: { uri: pathToUri(file, ctx.documents), range: dag.dagId.range } });
        }
      }
      return out;
    }),
  );
}
