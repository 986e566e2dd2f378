/** Which workspace folder a command acts on. */
import * as vscode from 'vscode';

/**
 * The folder of `uri` (or of the active editor), else the only folder, else the user's pick.
 * Undefined when there is no folder or the user dismissed the pick.
 */
export async function resolveFolder(uri?: vscode.Uri): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showErrorMessage('Airflow DAG Access works on a workspace folder: open the folder that holds your DAGs first.');
    return undefined;
  }
  const hint = uri ?? vscode.window.activeTextEditor?.document.uri;
  const owner = hint && vscode.workspace.getWorkspaceFolder(hint);
  if (owner) return owner;
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Airflow workspace folder' });
}
