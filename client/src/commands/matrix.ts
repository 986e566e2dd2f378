/**
 * Show Access Matrix (a webview: DAGs × roles, see matrixPanel.ts) and its exports. CSV and Markdown
 * come from the server's exporter, the same text `airflow-access matrix --format csv|md` prints.
 */
import * as vscode from 'vscode';
import { Commands, type ExplainDagArgs } from '../constants';
import { resolveFolder } from '../folders';
import { MatrixPanel } from '../matrixPanel';
import { isCancellation, reportError, withProgress, type Services } from './services';

export function registerMatrixCommands(services: Services, extensionUri: vscode.Uri): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.showMatrix, () => showMatrix(services, extensionUri)),
    vscode.commands.registerCommand(Commands.exportMatrixCsv, async () => {
      const folder = await resolveFolder();
      if (folder) await exportMatrix(services, folder, 'csv', 'save');
    }),
  ];
}

async function showMatrix(services: Services, extensionUri: vscode.Uri): Promise<void> {
  const folder = await resolveFolder();
  if (!folder) return;
  const folderUri = folder.uri.toString();
  MatrixPanel.show(folderUri, `Access Matrix: ${folder.name}`, extensionUri, {
    load: async (token) => {
      try {
        return await services.server.matrix({ folderUri }, token);
      } catch (error) {
        if (!isCancellation(error)) await reportError(services, 'Could not compute the access matrix', error);
        throw error;
      }
    },
    open: async (dag, role) => {
      const args: ExplainDagArgs = { uri: dag.uri, dagId: dag.dagId, ...(role ? { role } : {}) };
      await vscode.commands.executeCommand(Commands.explainDag, args);
    },
    // As the tree does: any folder's change (the notification's URI may be spelt differently from the folder's).
    changed: services.server.onIndexChanged,
    export: async (format) => {
      const how = await vscode.window.showQuickPick(
        [
          { label: 'Save to a file…', how: 'save' as const },
          { label: 'Open as an untitled document', how: 'untitled' as const },
        ],
        { placeHolder: `Export the access matrix as ${format === 'csv' ? 'CSV' : 'Markdown'}` },
      );
      if (how) await exportMatrix(services, folder, format, how.how);
    },
  });
}

async function exportMatrix(services: Services, folder: vscode.WorkspaceFolder, format: 'csv' | 'md', how: 'save' | 'untitled'): Promise<void> {
  try {
    const result = await withProgress('Airflow Access: exporting the access matrix…', (token) =>
      services.server.matrixExport({ folderUri: folder.uri.toString(), format }, token),
    );
    if (how === 'untitled') {
      const doc = await vscode.workspace.openTextDocument({ language: format === 'csv' ? 'plaintext' : 'markdown', content: result.text });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
      return;
    }
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder.uri, `airflow-access-matrix.${format}`),
      filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
      saveLabel: 'Export',
      title: 'Export the access matrix (DAGs × roles)',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
    services.output.info(`Access matrix exported to ${target.fsPath}`);
    const open = 'Open';
    if ((await vscode.window.showInformationMessage(`Exported ${result.dags} DAGs × ${result.roles} roles.`, open)) === open) {
      await vscode.window.showTextDocument(target);
    }
  } catch (error) {
    if (!isCancellation(error)) await reportError(services, 'Could not export the access matrix', error);
  }
}
