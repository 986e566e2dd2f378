/**
 * Diagnostics: pull (`textDocument/diagnostic` + `workspace/diagnostic/refresh`) when the client
 * supports it, else push (`publishDiagnostics`, e.g. Neovim 0.7). Either way one function computes a
 * document's diagnostics from the rules; project changes trigger a refresh or a republish.
 */
import { DocumentDiagnosticReportKind, type Diagnostic, type DocumentDiagnosticParams, type DocumentDiagnosticReport } from 'vscode-languageserver/node';
import type { Project } from '../../project/project';
import { runConfigRules, runRules } from '../../rules';
import type { ServerContext } from '../context';
import { findingToDiagnostic, uriToPath } from '../convert';
import { guard, throwIfCancelled } from '../handler';

export function computeDiagnostics(ctx: ServerContext, project: Project, file: string): Diagnostic[] {
  const onError = (rule: { code: string }, e: unknown) => ctx.log.error(`rule ${rule.code} failed on ${file}`, e);
  const findings = project.isConfigFile(file)
    ? runConfigRules(project, { onError }).filter((f) => f.file === file)
    : file.endsWith('.py')
      ? runRules(project, file, { onError })
      : [];
  return findings.map(findingToDiagnostic);
}

export function registerDiagnostics(ctx: ServerContext): void {
  const { connection, documents, caps, workspace, log } = ctx;

  if (caps.pullDiagnostics) {
    const handler = guard(log, 'textDocument/diagnostic', async (params: DocumentDiagnosticParams, token): Promise<DocumentDiagnosticReport> => {
        const file = uriToPath(params.textDocument.uri);
        const project = file ? await workspace.projectFor(params.textDocument.uri) : null;
        throwIfCancelled(token);
        const items = project && file ? computeDiagnostics(ctx, project, file) : [];
        return { kind: DocumentDiagnosticReportKind.Full, items };
      });
    // The guard answers errors as ResponseError<void>; the typed signature expects cancellation data.
    connection.languages.diagnostics.on(handler as Parameters<typeof connection.languages.diagnostics.on>[0]);
    workspace.onDidChange(() => {
      if (caps.diagnosticRefresh) connection.languages.diagnostics.refresh().catch((e: unknown) => log.debug(`diagnostic refresh failed: ${String(e)}`));
    });
    return;
  }

  // Push model: republish every open document of the changed project.
  const publish = async (project: Project) => {
    for (const doc of documents.all()) {
      const file = uriToPath(doc.uri);
      if (!file || (await workspace.projectFor(doc.uri)) !== project) continue;
      const diagnostics = computeDiagnostics(ctx, project, file);
      await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    }
  };
  workspace.onDidChange((project) => {
    publish(project).catch((e: unknown) => log.error('publishing diagnostics failed', e));
  });
  documents.onDidClose((e) => {
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
}
