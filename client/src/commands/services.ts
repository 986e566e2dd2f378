/** What command handlers get, and the one way they report failures. */
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import { Commands } from '../constants';
import type { AccessServer } from '../languageClient';
import { errorMessage } from '../logger';
import type { DatabasePasswords } from '../secrets';
import type { PlanDocuments } from '../planPreview';
import type { VirtualDocuments } from '../virtualDocuments';

export interface Services {
  server: AccessServer;
  docs: VirtualDocuments;
  /** The plan, drift and rollback preview documents. */
  plans: PlanDocuments;
  passwords: DatabasePasswords;
  output: vscode.LogOutputChannel;
}

/** True when the request ended because the user cancelled it. */
export function isCancellation(error: unknown): boolean {
  return error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled;
}

/** Where the server says the user can fix a failure (server/src/lsp/handler.ts UserErrorData). */
export function fixLocation(error: unknown): { kind: 'config' | 'settings' | 'database'; file?: string } | null {
  if (!(error instanceof ResponseError) || error.code !== LSPErrorCodes.RequestFailed) return null;
  const data = error.data as { kind?: string; file?: string } | undefined;
  return data && (data.kind === 'config' || data.kind === 'settings' || data.kind === 'database') ? { kind: data.kind, file: data.file } : null;
}

/**
 * The buttons of a failure notification: what fixes it first. The config file for a config with
 * errors (creating one when there is none), the settings for a missing database URL or a database
 * that cannot be reached; for an unexpected failure only the log.
 */
export function errorActions(fix: ReturnType<typeof fixLocation>): string[] {
  if (fix?.kind === 'config') return [fix.file ? 'Open Config' : 'Create Access Config', 'Show Output'];
  if (fix?.kind === 'settings' || fix?.kind === 'database') return ['Open Settings', 'Show Output'];
  return ['Show Output'];
}

/**
 * Logs a failed command and tells the user, offering what fixes it (errorActions). A mistake the
 * user can fix is logged as a warning, without a stack; only unexpected failures as errors.
 */
export async function reportError(services: Services, what: string, error: unknown): Promise<void> {
  const message = `${what}: ${errorMessage(error)}`;
  const fix = fixLocation(error);
  if (fix) services.output.warn(message);
  else services.output.error(message);
  const pick = await vscode.window.showErrorMessage(message, ...errorActions(fix));
  if (pick === 'Show Output') services.output.show(true);
  if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:airflow-dag-access.airflow-dag-access');
  if (pick === 'Open Config' && fix?.file) await vscode.window.showTextDocument(vscode.Uri.file(fix.file));
  if (pick === 'Create Access Config') await vscode.commands.executeCommand(Commands.createConfig);
}

/** Runs `task` under a cancellable notification; the token reaches the server as $/cancelRequest. */
export function withProgress<T>(title: string, task: (token: vscode.CancellationToken) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
    task(token),
  );
}
