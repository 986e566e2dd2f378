/** Document symbols: the DAGs (with their tags) and assets of a DAG file; the roles of the config. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { Range } from '../../model/facts';
import type { ServerContext } from '../context';
import { uriToPath } from '../convert';
import { guard } from '../handler';

function span(a: Range, b: Range): Range {
  const first = a.start.line < b.start.line || (a.start.line === b.start.line && a.start.character <= b.start.character) ? a.start : b.start;
  const last = a.end.line > b.end.line || (a.end.line === b.end.line && a.end.character >= b.end.character) ? a.end : b.end;
  return { start: first, end: last };
}

export function registerDocumentSymbols(ctx: ServerContext): void {
  ctx.connection.onDocumentSymbol(
    guard(ctx.log, 'textDocument/documentSymbol', async (params): Promise<DocumentSymbol[]> => {
      const file = uriToPath(params.textDocument.uri);
      const project = file ? await ctx.workspace.projectFor(params.textDocument.uri) : null;
      if (!file || !project) return [];
      if (project.isConfigFile(file)) {
        return (project.config?.roles ?? []).map((r) => ({
          name: r.name,
          detail: r.tags.map((t) => t.value).join(', '),
          kind: SymbolKind.Class,
          range: span(r.range, r.nameRange),
          selectionRange: r.nameRange,
        }));
      }
      const facts = project.getFile(file);
      if (!facts) return [];
      const dags: DocumentSymbol[] = facts.dags.map((dag) => ({
        name: dag.dagId.kind === 'static' ? dag.dagId.value : '(dynamic dag_id)',
        detail: 'DAG',
        kind: SymbolKind.Module,
        range: span(dag.range, dag.nameRange),
        selectionRange: dag.nameRange,
        children: (dag.tags?.items ?? [])
          .filter((t) => !t.via || t.via.file === file)
          .map((t) => ({ name: t.value, detail: 'tag', kind: SymbolKind.String, range: t.range, selectionRange: t.range })),
      }));
      const assets: DocumentSymbol[] = facts.assets
        .filter((a) => a.key)
        .map((a) => ({ name: a.variable?.value ?? a.key!, detail: `${a.kind} ${a.key}`, kind: SymbolKind.Object, range: span(a.range, a.variable?.range ?? a.range), selectionRange: a.variable?.range ?? a.range }));
      return [...dags, ...assets];
    }),
  );
}
