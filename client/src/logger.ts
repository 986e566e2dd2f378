/**
 * The one output channel of the extension. It is a LogOutputChannel, so the user picks the level
 * (Trace shows the protocol trace when `airflowDagAccess.trace.server` is on) and the language
 * client writes the server's window/logMessage into it.
 */
import * as vscode from 'vscode';

export const OUTPUT_NAME = 'Airflow DAG Access';

export function createOutputChannel(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(OUTPUT_NAME, { log: true });
}

/** Message of an unknown thrown value, for logs and notifications. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
