/** Show Access Matrix (roles × DAGs, rendered markdown) and its CSV export through a save dialog. */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { resolveFolder } from '../folders';
import { isCancellation, reportError, withProgress, type Services } from './services';

export function registerMatrixCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.showMatrix, () => showMatrix(services)),
    vscode.commands.registerCommand(Commands.exportMatrixCsv, () => exportMatrixCsv(services)),
  ];
}

async function fetchMatrix(services: Services, folder: vscode.WorkspaceFolder) {
  return withProgress('Airflow Access: computing the access matrix…', (token) =>
    services.server.matrix({ folderUri: folder.uri.toString() }, token),
  );
}

async function showMatrix(services: Services): Promise<void> {
  const folder = await resolveFolder();
  if (!folder) return;
  try {
    const matrix = await fetchMatrix(services, folder);
    await services.docs.showMarkdown(`matrix/${folder.name}.md`, matrix.markdown);
  } catch (error) {
    if (!isCancellation(error)) await reportError(services, 'Could not compute the access matrix', error);
  }
}

async function exportMatrixCsv(services: Services): Promise<void> {
  const folder = await resolveFolder();
  if (!folder) return;
  try {
    const matrix = await fetchMatrix(services, folder);
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder.uri, 'airflow-access-matrix.csv'),
      filters: { CSV: ['csv'] },
      saveLabel: 'Export',
      title: 'Export the access matrix (roles × DAGs)',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(matrix.csv));
    services.output.info(`Access matrix exported to ${target.fsPath}`);
    const open = 'Open';
    if ((await vscode.window.showInformationMessage(`Exported ${matrix.roles.length} roles × ${matrix.dags.length} DAGs.`, open)) === open) {
      await vscode.window.showTextDocument(target);
    }
  } catch (error) {
    if (!isCancellation(error)) await reportError(services, 'Could not export the access matrix', error);
  }
}
