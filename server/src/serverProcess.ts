/**
 * The language server as a process: pick the transport from the command line (`--node-ipc`, which
 * the VS Code client uses, `--socket=` / `--pipe=`, or stdio by default), keep one failing handler
 * from taking the process down, and start the server. Run by `dist/server.js` (a two-line entry
 * into the CLI bundle) and by `airflow-access lsp --stdio`.
 */
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { startServer } from './server';

function connect(argv: readonly string[]): Connection {
  const wantsIpc = argv.includes('--node-ipc');
  const wantsSocket = argv.some((a) => a.startsWith('--socket=') || a.startsWith('--pipe='));
  if (wantsIpc || wantsSocket) return createConnection(ProposedFeatures.all);
  // Default (and explicit --stdio): speak LSP over this process's stdin/stdout.
  return createConnection(ProposedFeatures.all, process.stdin, process.stdout);
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

export function runServerProcess(argv: readonly string[]): void {
  const connection = connect(argv);
  // A stray rejection or exception in one handler must not take the server (and every open editor) down.
  process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${describe(reason)}`));
  process.on('uncaughtException', (error) => connection.console.error(`Uncaught exception: ${describe(error)}`));
  // The client went away while we were writing: exit quietly instead of crashing on EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  startServer(connection);
}
