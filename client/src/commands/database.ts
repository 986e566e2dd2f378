/** Test Database Connection, Show Permission Drift, Set / Clear Database Password. */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { resolveFolder } from '../folders';
import { isCancellation, reportError, withProgress, type Services } from './services';

export function registerDatabaseCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.testConnection, () => testConnection(services)),
    vscode.commands.registerCommand(Commands.showDrift, () => showDrift(services)),
    vscode.commands.registerCommand(Commands.setDatabasePassword, () => setPassword(services)),
    vscode.commands.registerCommand(Commands.clearDatabasePassword, () => clearPassword(services)),
  ];
}

async function testConnection(services: Services): Promise<void> {
  const folder = await resolveFolder();
  if (!folder) return;
  try {
    const result = await withProgress('Airflow Access: connecting to the metadata database…', (token) =>
      services.server.testConnection({ folderUri: folder.uri.toString() }, token),
    );
    services.output.info(`Test connection (${folder.name}): ${result.ok ? 'ok' : 'failed'}: ${result.message}`);
    if (result.ok) {
      // The server's message says "Connected to <database>: N live DAG(s), M role(s)."; add only the version.
      const major = result.details?.airflowMajor;
      void vscode.window.showInformationMessage(major ? `${result.message} Airflow ${major}.x.` : result.message);
      return;
    }
    const pick = await vscode.window.showErrorMessage(`Connection failed: ${result.message}`, 'Set Database Password', 'Open Settings');
    if (pick === 'Set Database Password') await vscode.commands.executeCommand(Commands.setDatabasePassword);
    if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'airflowDagAccess.database');
  } catch (error) {
    if (!isCancellation(error)) await reportError(services, 'Could not test the database connection', error);
  }
}

async function showDrift(services: Services): Promise<void> {
  const folder = await resolveFolder();
  if (!folder) return;
  try {
    const drift = await withProgress('Airflow Access: comparing the database with the config…', (token) =>
      services.server.drift({ folderUri: folder.uri.toString() }, token),
    );
    await services.plans.showDrift(folder, drift);
    if (drift.count === 0) void vscode.window.showInformationMessage('No drift: the database matches the config.');
  } catch (error) {
    if (!isCancellation(error)) await reportError(services, 'Could not compute the drift', error);
  }
}

async function setPassword(services: Services): Promise<void> {
  const folder = await resolveFolder();
  if (!folder) return;
  const password = await vscode.window.showInputBox({
    title: `Airflow metadata database password (${folder.name})`,
    prompt: 'Kept in VS Code secret storage and sent only to the Airflow DAG Access server.',
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined || password === '') return;
  // SecretStorage.onDidChange sends it to the server (see secrets.ts).
  await services.passwords.store(folder, password);
  void vscode.window.showInformationMessage(`Database password stored for "${folder.name}".`);
}

async function clearPassword(services: Services): Promise<void> {
  const folder = await resolveFolder();
  if (!folder) return;
  await services.passwords.delete(folder);
  void vscode.window.showInformationMessage(`Database password removed for "${folder.name}".`);
}
