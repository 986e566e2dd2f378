/**
 * A code lens above each DAG: "3 roles can edit · 5 can read". It runs the client's explain command
 * with `{ uri, dagId }`, the argument shape client/src/commands/explain.ts accepts.
 */
import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import { EXPLAIN_COMMAND } from '../capabilities';
import type { ServerContext } from '../context';
import { uriToPath } from '../convert';
import { guard } from '../handler';

export function registerCodeLens(ctx: ServerContext): void {
  ctx.connection.onCodeLens(
    guard(ctx.log, 'textDocument/codeLens', async (params): Promise<CodeLens[]> => {
      const file = uriToPath(params.textDocument.uri);
      const project = file ? await ctx.workspace.projectFor(params.textDocument.uri) : null;
      if (!file || !project || project.settings.codeLens.enable === false) return [];
      const facts = project.getFile(file);
      const out: CodeLens[] = [];
      for (const dag of facts?.dags ?? []) {
        if (dag.dagId.kind !== 'static') continue;
        const access = project.dagAccess(file, dag);
        if (!access) continue;
        const s = access.summary;
        // A @dag function that is never called makes no DAG (ADA019): its access applies to nothing yet.
        const unregistered = dag.style === 'decorator' && !dag.instantiated && dag.functionName;
        const title = access.notImported
          ? `not registered: Airflow cannot import this file`
          : unregistered
          ? `not registered: ${dag.functionName!.name}() is never called`
          : access.authManager === 'keycloak' || access.authManager === 'aws'
            ? `access decided by ${access.authManager === 'keycloak' ? 'Keycloak' : 'Amazon Verified Permissions'}`
            : `${s.canEdit} role${s.canEdit === 1 ? '' : 's'} can edit · ${s.canRead} can read`;
        out.push({
          range: dag.nameRange,
          command: { title, command: EXPLAIN_COMMAND, arguments: [{ uri: params.textDocument.uri, dagId: dag.dagId.value }] },
        });
      }
      return out;
    }),
  );
  ctx.workspace.onDidChange(() => {
    if (ctx.caps.codeLensRefresh) ctx.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });
}
