/**
 * Extension entry: wires VS Code UI (commands, status, tree, documents) to the language server.
 * All Airflow logic lives in the server; see languageClient.ts for how it is started.
 */
import * as vscode from 'vscode';
import { registerCreateConfigCommand } from './commands/createConfig';
import { registerDatabaseCommands } from './commands/database';
import { registerExplainCommand } from './commands/explain';
import { registerMatrixCommands } from './commands/matrix';
import { registerServerCommands } from './commands/server';
import type { Services } from './commands/services';
import { registerSyncCommands } from './commands/sync';
import { registerRollbackCommand } from './commands/rollback';
import { SETTINGS_SECTION } from './constants';
import { AccessServer } from './languageClient';
import { createOutputChannel, errorMessage } from './logger';
import { PlanDocuments } from './planPreview';
import { DatabasePasswords } from './secrets';
import { AccessStatus } from './status';
import { AccessTreeProvider } from './treeView';
import { VirtualDocuments } from './virtualDocuments';

let server: AccessServer | undefined;

/** What activate() returns: timings, read by the end-to-end suites and the README's figures. */
export interface ExtensionApi {
  /** Time spent in activate() itself. */
  activationMs: number;
  /** Resolves with the ms from activation to the language server being ready. */
  serverReady: Promise<number>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const activationStart = Date.now();
  const output = createOutputChannel();
  server = new AccessServer(context, output);
  const docs = new VirtualDocuments();
  const passwords = new DatabasePasswords(context.secrets, server, output);
  const plans = new PlanDocuments(docs, server, output);
  const services: Services = { server, docs, plans, passwords, output };
  context.subscriptions.push(
    output,
    docs,
    passwords,
    new AccessStatus(server),
    new AccessTreeProvider(server),
    ...registerSyncCommands(services),
    registerRollbackCommand(services),
    registerExplainCommand(services),
    ...registerMatrixCommands(services, context.extensionUri),
    ...registerDatabaseCommands(services),
    ...registerServerCommands(services),
    registerCreateConfigCommand(services),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The config file name is part of the document selector and the file watchers.
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.configPath`)) void server?.restart();
    }),
  );
  // Activation does not wait for the server; requests wait for it instead.
  const serverReady = server.start().then(
    () => {
      const ms = Date.now() - activationStart;
      output.info(`Server ready ${ms} ms after activation`);
      return ms;
    },
    // initializationFailedHandler already told the user; the commands stay usable (Restart Server).
    (error) => {
      output.error(`Server start failed: ${errorMessage(error)}`);
      return -1;
    },
  );
  const activationMs = Date.now() - activationStart;
  output.info(`Activated in ${activationMs} ms`);
  return { activationMs, serverReady };
}

export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
}
