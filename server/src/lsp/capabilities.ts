/** What the server advertises, chosen from what the client says it supports. */
import {
  CodeActionKind,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type InitializeParams,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from './semanticTokenLegend';

export interface ClientCaps {
  raw: ClientCapabilities;
  /** textDocument/diagnostic (pull); otherwise we push publishDiagnostics. */
  pullDiagnostics: boolean;
  /** workspace/diagnostic/refresh. */
  diagnosticRefresh: boolean;
  configuration: boolean;
  workspaceFolders: boolean;
  codeActionLiterals: boolean;
  watchedFilesDynamic: boolean;
  inlayHintRefresh: boolean;
  codeLensRefresh: boolean;
  semanticTokensRefresh: boolean;
  markdown: boolean;
}

export function readClientCapabilities(params: InitializeParams): ClientCaps {
  const c = params.capabilities ?? {};
  return {
    raw: c,
    pullDiagnostics: !!c.textDocument?.diagnostic,
    diagnosticRefresh: !!c.workspace?.diagnostics?.refreshSupport,
    configuration: !!c.workspace?.configuration,
    workspaceFolders: !!c.workspace?.workspaceFolders,
    codeActionLiterals: !!c.textDocument?.codeAction?.codeActionLiteralSupport,
    watchedFilesDynamic: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    inlayHintRefresh: !!c.workspace?.inlayHint?.refreshSupport,
    codeLensRefresh: !!c.workspace?.codeLens?.refreshSupport,
    semanticTokensRefresh: !!c.workspace?.semanticTokens?.refreshSupport,
    markdown: (c.textDocument?.hover?.contentFormat ?? ['markdown']).includes('markdown'),
  };
}

export const EXPLAIN_COMMAND = 'airflowDagAccess.explainDag';

export function serverCapabilities(caps: ClientCaps): ServerCapabilities {
  const capabilities: ServerCapabilities = {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['"', "'", ' ', ',', '['], resolveProvider: false },
    definitionProvider: true,
    referencesProvider: true,
    documentSymbolProvider: true,
    workspaceSymbolProvider: true,
    codeLensProvider: { resolveProvider: false },
    inlayHintProvider: true,
    semanticTokensProvider: {
      legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] },
      full: true,
      range: false,
    },
    codeActionProvider: caps.codeActionLiterals
      ? { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor, CodeActionKind.RefactorRewrite] }
      : true,
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };
  if (caps.pullDiagnostics) {
    capabilities.diagnosticProvider = { identifier: 'airflow-dag-access', interFileDependencies: true, workspaceDiagnostics: true };
  }
  return capabilities;
}
