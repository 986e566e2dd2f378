/**
 * Create Access Config (walkthrough step 1): opens the configured role-mapping file, creating a
 * commented starter file first when there is none. The server validates whatever the user writes.
 */
import * as vscode from 'vscode';
import { Commands, SETTINGS_SECTION } from '../constants';
import { resolveFolder } from '../folders';
import { reportError, type Services } from './services';

const STARTER = `# Which DAG tags grant which Airflow role access (Airflow DAG Access).
# Hover a tag in a DAG file to see the roles it reaches; run "Airflow Access: Show Sync Plan" for a dry run.
version: 1
airflow:
  version: "2.10"
  auth_manager: fab
roles:
  example_team:
    # A DAG tagged "example_team_edit" gets these permissions for the role example_team.
    tags: [example_team_edit]
    dag_permissions: [can_read, can_edit]
`;

export function registerCreateConfigCommand(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.createConfig, async () => {
    const folder = await resolveFolder();
    if (!folder) return;
    const configured = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get<string>('configPath', 'airflow-access.yaml');
    const target = /^([a-zA-Z]:)?[\\/]/.test(configured) ? vscode.Uri.file(configured) : vscode.Uri.joinPath(folder.uri, configured);
    try {
      if (!(await exists(target))) {
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(STARTER));
        services.output.info(`Created ${target.fsPath}`);
      }
      await vscode.window.showTextDocument(target);
    } catch (error) {
      await reportError(services, 'Could not create the access config', error);
    }
  });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
