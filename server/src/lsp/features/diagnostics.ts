/**
 * Diagnostics: pull (`textDocument/diagnostic` + `workspace/diagnostic/refresh`) when the client
 * supports it, else push (`publishDiagnostics`, e.g. Neovim 0.7). Either way one function computes a
 * document's diagnostics from the rules; project changes trigger a refresh or a republish.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import {
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type WorkspaceDiagnosticParams,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { Project } from '../../project/project';
import { runConfigRules, runRules } from '../../rules';
import type { ServerContext } from '../context';
import { findingToDiagnostic, pathToUri, uriToPath } from '../convert';
import { guard, throwIfCancelled } from '../handler';

/**
 * Findings that depend on every other file of the folder: a duplicate dag_id (ADA011), a producer or
 * consumer in another team (ADA017), an importer that may instantiate the @dag (ADA019), a config tag
 * no DAG uses (ADA020). While the folder is still being indexed they are held back, not shown wrong;
 * the end of the scan refreshes the diagnostics with them.
 */
const NEEDS_WHOLE_WORKSPACE = new Set(['ADA011', 'ADA017', 'ADA019', 'ADA020']);

/** Least time between two diagnostic refreshes while a folder is being indexed. */
const SCAN_REFRESH_MS = 2000;

export function computeDiagnostics(ctx: ServerContext, project: Project, file: string): Diagnostic[] {
  const onError = (rule: { code: string }, e: unknown) => ctx.log.error(`rule ${rule.code} failed on ${file}`, e);
  const findings = project.isConfigFile(file) || isIgnoreFile(file)
    ? runConfigRules(project, { onError }).filter((f) => f.file === file)
    : file.endsWith('.py')
      ? runRules(project, file, { onError })
      : [];
  const partial = project.indexingState() !== null;
  return findings.filter((f) => !partial || !NEEDS_WHOLE_WORKSPACE.has(f.code)).map(findingToDiagnostic);
}

/** An `.airflowignore` (its findings come with the config's: ADA092). */
function isIgnoreFile(file: string): boolean {
  return path.basename(file) === '.airflowignore';
}

/**
 * Workspace diagnostics (like Pyright's diagnosticMode "workspace"): every DAG file and the config of
 * each folder whose `diagnostics.mode` is "workspace", open or not; open documents are left to the
 * document pull, which has their unsaved text. A file whose diagnostics did not change since the
 * client's previous result id is reported unchanged. The loop yields to other requests as it goes.
 */
async function workspaceReports(ctx: ServerContext, params: WorkspaceDiagnosticParams, checkCancel: () => void): Promise<WorkspaceDocumentDiagnosticReport[]> {
  const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
  const open = new Set(ctx.documents.all().map((d) => d.uri));
  const out: WorkspaceDocumentDiagnosticReport[] = [];
  for (const project of await ctx.workspace.projects()) {
    if (project.settings.diagnostics.mode !== 'workspace') continue;
    const files = project.files().map((f) => f.file);
    if (project.configFile) files.push(project.configFile);
    // Ignore files with a problem now, and those reported before (so a fixed one is cleared).
    const ignoreFiles = new Set(project.index.ignoreProblems.map((p) => p.file));
    for (const uri of previous.keys()) {
      const file = uriToPath(uri);
      if (file && isIgnoreFile(file) && (await ctx.workspace.projectFor(uri)) === project) ignoreFiles.add(file);
    }
    files.push(...ignoreFiles);
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      // Thousands of files: let edits, hovers and completions through every 50, and stop when cancelled.
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
      checkCancel();
      const uri = pathToUri(file, ctx.documents);
      if (open.has(uri)) continue;
      const items = computeDiagnostics(ctx, project, file);
      const resultId = createHash('sha1').update(JSON.stringify(items)).digest('hex').slice(0, 16);
      if (previous.get(uri) === resultId) out.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId });
      else out.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId, items });
    }
  }
  return out;
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
    const workspaceHandler = guard(log, 'workspace/diagnostic', async (params: WorkspaceDiagnosticParams, token): Promise<WorkspaceDiagnosticReport> => {
      return { items: await workspaceReports(ctx, params, () => throwIfCancelled(token)) };
    });
    connection.languages.diagnostics.onWorkspace(workspaceHandler as Parameters<typeof connection.languages.diagnostics.onWorkspace>[0]);
    // While a folder is being indexed its files stream in every quarter second; a refresh restarts the
    // client's workspace pull, so during a scan it is sent at most every SCAN_REFRESH_MS (and at its end).
    let last = 0;
    let trailing: NodeJS.Timeout | undefined;
    const refresh = () => {
      last = Date.now();
      connection.languages.diagnostics.refresh().catch((e: unknown) => log.debug(`diagnostic refresh failed: ${String(e)}`));
    };
    workspace.onDidChange((project) => {
      if (!caps.diagnosticRefresh) return;
      clearTimeout(trailing);
      const wait = project.indexingState() ? SCAN_REFRESH_MS - (Date.now() - last) : 0;
      if (wait <= 0) refresh();
      else trailing = setTimeout(refresh, wait);
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
