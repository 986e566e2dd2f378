/** What command handlers get, and the one way they report failures. */
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import type { AccessServer } from '../languageClient';
import { errorMessage } from '../logger';
import type { DatabasePasswords } from '../secrets';
import type { VirtualDocuments } from '../virtualDocuments';

export interface Services {
  server: AccessServer;
  docs: VirtualDocuments;
  passwords: DatabasePasswords;
  output: vscode.LogOutputChannel;
}

/** True when the request ended because the user cancelled it. */
export function isCancellation(error: unknown): boolean {
  return error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled;
}

/** Logs a failed command and tells the user, offering the settings and the log. */
export async function reportError(services: Services, what: string, error: unknown): Promise<void> {
  const message = `${what}: ${errorMessage(error)}`;
  services.output.error(message);
  const pick = await vscode.window.showErrorMessage(message, 'Show Output', 'Open Settings');
  if (pick === 'Show Output') services.output.show(true);
  if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:airflow-dag-access.airflow-dag-access');
}

/** Runs `task` under a cancellable notification; the token reaches the server as $/cancelRequest. */
export function withProgress<T>(title: string, task: (token: vscode.CancellationToken) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
    task(token),
  );
}
