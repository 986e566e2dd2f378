/**
 * Language server process entry. Transport: `--stdio` (default) or `--node-ipc` (what the VS Code
 * client uses). Everything else happens in `startServer`, which the CLI's `airflow-access lsp` reuses.
 */
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { startServer } from './server';

function connect(): Connection {
  const argv = process.argv.slice(2);
  const wantsIpc = argv.includes('--node-ipc');
  const wantsSocket = argv.some((a) => a.startsWith('--socket=') || a.startsWith('--pipe='));
  if (wantsIpc || wantsSocket) return createConnection(ProposedFeatures.all);
  // Default (and explicit --stdio): speak LSP over this process's stdin/stdout.
  return createConnection(ProposedFeatures.all, process.stdin, process.stdout);
}

const connection = connect();

// A stray rejection or exception in one handler must not take the server (and every open editor) down.
process.on('unhandledRejection', (reason) => {
  connection.console.error(`Unhandled rejection: ${describe(reason)}`);
});
process.on('uncaughtException', (error) => {
  connection.console.error(`Uncaught exception: ${describe(error)}`);
});
// The client went away while we were writing: exit quietly instead of crashing on EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

startServer(connection);
