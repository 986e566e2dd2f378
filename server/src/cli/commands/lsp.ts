/** `lsp --stdio`: the language server, for any LSP editor (Neovim, Helix, Emacs, Zed...). */
import type { Command, CommandContext } from '../command';

export const lsp: Command = {
  name: 'lsp',
  summary: 'run the language server over stdio (for Neovim, Helix and other LSP editors)',
  description: 'The same server the VS Code extension starts. stdout carries only LSP messages; logs go to the client.',
  positionals: [],
  options: [{ name: 'stdio', type: 'boolean', description: 'speak LSP on stdin/stdout (the default and only transport)' }],
  examples: ['airflow-access lsp --stdio'],
  run: runLsp,
};

async function runLsp(ctx: CommandContext): Promise<number> {
  void ctx;
  const { runServerProcess } = await import('../../serverProcess.js');
  runServerProcess(['--stdio']);
  // The connection keeps the process alive until the client sends exit; main must not set an exit code.
  return -1;
}
