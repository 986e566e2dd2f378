/** Registers every LSP feature module (one file per feature). */
import type { ServerContext } from '../context';
import { registerCodeActions } from './codeActions';
import { registerCodeLens } from './codeLens';
import { registerCompletion } from './completion';
import { registerDefinition } from './definition';
import { registerDiagnostics } from './diagnostics';
import { registerDocumentSymbols } from './documentSymbols';
import { registerHover } from './hover';
import { registerIndexProgress } from './indexProgress';
import { registerInlayHints } from './inlayHints';
import { registerMatrixRequests } from './matrixRequests';
import { registerReferences } from './references';
import { registerSemanticTokens } from './semanticTokens';
import { registerStatus } from './status';
import { registerSyncRequests } from './syncRequests';
import { registerRollbackRequests } from './rollbackRequests';
import { registerTestHooks } from './testHooks';
import { registerTreeRequests } from './treeRequests';
import { registerViewRequests } from './viewRequests';
import { registerWorkspaceSymbols } from './workspaceSymbols';

export function registerFeatures(ctx: ServerContext): void {
  registerDiagnostics(ctx);
  registerHover(ctx);
  registerCompletion(ctx);
  registerDefinition(ctx);
  registerReferences(ctx);
  registerDocumentSymbols(ctx);
  registerWorkspaceSymbols(ctx);
  registerCodeLens(ctx);
  registerInlayHints(ctx);
  registerSemanticTokens(ctx);
  registerCodeActions(ctx);
  registerSyncRequests(ctx);
  registerRollbackRequests(ctx);
  registerViewRequests(ctx);
  registerMatrixRequests(ctx);
  registerTreeRequests(ctx);
  registerStatus(ctx);
  registerIndexProgress(ctx);
  registerTestHooks(ctx);
}
