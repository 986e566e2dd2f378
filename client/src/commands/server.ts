/** Restart Server, Show Output, and Open Location (used by tree items). */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { OpenLocationArgs } from '../markdownLinks';
import { reportError, type Services } from './services';

export function registerServerCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      services.output.info('Restarting the server (requested).');
      try {
        await services.server.restart();
        void vscode.window.setStatusBarMessage('Airflow DAG Access: server restarted', 3000);
      } catch (error) {
        await reportError(services, 'Could not restart the server', error);
      }
    }),
    vscode.commands.registerCommand(Commands.showOutput, () => services.output.show(true)),
    vscode.commands.registerCommand(Commands.openLocation, async (loc?: OpenLocationArgs) => {
      if (!loc) return;
      const position = new vscode.Position(loc.line, loc.character);
      // `column`: from a panel's link, open in that editor column rather than over the panel.
      await vscode.window.showTextDocument(vscode.Uri.parse(loc.uri), { selection: new vscode.Range(position, position), ...(loc.column ? { viewColumn: loc.column } : {}) });
    }),
  ];
}
