/**
 * Database passwords live only in VS Code's SecretStorage, one per workspace folder. They reach
 * the server through SetDatabasePasswordNotification at every start and whenever they change;
 * they are never logged, written to settings or shown.
 */
import * as vscode from 'vscode';
import type { AccessServer } from './languageClient';

const KEY_PREFIX = 'airflowDagAccess.databasePassword:';

export class DatabasePasswords implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly server: AccessServer,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      server.onDidStart(() => void this.sendAll()),
      secrets.onDidChange((e) => {
        if (e.key.startsWith(KEY_PREFIX)) void this.send(e.key.slice(KEY_PREFIX.length));
      }),
    );
  }

  async store(folder: vscode.WorkspaceFolder, password: string): Promise<void> {
    await this.secrets.store(KEY_PREFIX + folder.uri.toString(), password);
  }

  async delete(folder: vscode.WorkspaceFolder): Promise<void> {
    await this.secrets.delete(KEY_PREFIX + folder.uri.toString());
  }

  async has(folder: vscode.WorkspaceFolder): Promise<boolean> {
    return (await this.secrets.get(KEY_PREFIX + folder.uri.toString())) !== undefined;
  }

  /** Sends the stored password of every workspace folder that has one. */
  async sendAll(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (await this.has(folder)) await this.send(folder.uri.toString());
    }
  }

  private async send(folderUri: string): Promise<void> {
    try {
      const password = (await this.secrets.get(KEY_PREFIX + folderUri)) ?? null;
      await this.server.setDatabasePassword({ folderUri, password });
      this.output.info(`Database password ${password === null ? 'cleared' : 'sent'} for ${folderUri}`);
    } catch {
      // The server is not running; the password goes out with the next start.
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
