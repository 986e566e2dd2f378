/**
 * Composition root of the language server: negotiates capabilities, builds the per-folder projects
 * and registers one module per LSP feature. `startServer` is called by `serverProcess.ts`, which both
 * `dist/server.js` and `airflow-access lsp --stdio` run.
 */
import { TextDocuments, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Logger } from './lsp/logger';
import { ServerContext, readClientCapabilities } from './lsp/context';
import { serverCapabilities } from './lsp/capabilities';
import { registerFeatures } from './lsp/features/index';
import { packageVersion } from './model/packageVersion';

export const SERVER_NAME = 'airflow-dag-access';
export const SERVER_VERSION = packageVersion();

export function startServer(connection: Connection): void {
  const log = new Logger(connection);
  const documents = new TextDocuments(TextDocument);
  let ctx: ServerContext | undefined;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = readClientCapabilities(params);
    ctx = new ServerContext(connection, documents, log, caps, params);
    registerFeatures(ctx);
    return {
      capabilities: serverCapabilities(caps),
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    ctx?.start().catch((e: unknown) => log.error('starting the workspace failed', e));
  });

  connection.onShutdown(async () => {
    await ctx?.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
