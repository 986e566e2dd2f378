/**
 * Language status items (the {} in the status bar for Python, YAML and .airflowignore files):
 * one for the config and the DAG index, one for the database connection and drift. Both follow
 * the server's StatusNotification; the server's own state (starting, stopped) shows on the first.
 */
import * as vscode from 'vscode';
import type { StatusNotification } from '../../server/src/protocol';
import { Commands, CONFIG_STATE_CONTEXT } from './constants';
import { configStatus, databaseStatus, type StatusSeverity, type StatusView } from './format';
import type { AccessServer, ServerState } from './languageClient';

const SELECTOR: vscode.DocumentSelector = [{ language: 'python' }, { language: 'yaml' }, { language: 'airflowignore' }];

export class AccessStatus implements vscode.Disposable {
  private readonly config = vscode.languages.createLanguageStatusItem('airflowDagAccess.config', SELECTOR);
  private readonly database = vscode.languages.createLanguageStatusItem('airflowDagAccess.database', SELECTOR);
  private readonly subscriptions: vscode.Disposable[] = [];
  private last: StatusNotification.Params | undefined;

  constructor(server: AccessServer) {
    this.config.name = 'Airflow DAG Access: config';
    this.database.name = 'Airflow DAG Access: database';
    this.showServerState(server.state);
    this.subscriptions.push(
      server.onDidChangeState((s) => this.showServerState(s)),
      server.onStatus((p) => this.showStatus(p)),
    );
  }

  private showServerState(state: ServerState): void {
    if (state === 'running' && this.last) return this.showStatus(this.last);
    this.config.busy = state === 'starting';
    this.config.text = state === 'starting' ? 'Airflow Access: starting' : state === 'stopped' ? '$(debug-stop) Airflow Access: server stopped' : 'Airflow Access';
    this.config.severity = state === 'stopped' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.config.detail = undefined;
    this.config.command =
      state === 'stopped' ? { command: Commands.restartServer, title: 'Restart' } : { command: Commands.showOutput, title: 'Show Output' };
    this.database.text = '$(database) DB';
    this.database.detail = undefined;
    this.database.command = undefined;
  }

  private showStatus(params: StatusNotification.Params): void {
    this.last = params;
    const first = params.folders[0]?.configState ?? 'missing';
    void vscode.commands.executeCommand('setContext', CONFIG_STATE_CONTEXT, first);
    const config = configStatus(params.folders);
    apply(this.config, config);
    this.config.busy = params.folders.some((f) => f.indexing);
    this.config.command =
      config.severity === 'warning' && params.folders.every((f) => f.configState === 'missing')
        ? { command: Commands.createConfig, title: 'Create Config' }
        : { command: Commands.showOutput, title: 'Show Output' };
    const db = databaseStatus(params.folders);
    apply(this.database, db);
    const connected = params.folders.some((f) => f.db.state === 'connected');
    const failed = params.folders.some((f) => f.db.state === 'error');
    this.database.command = connected
      ? { command: Commands.showDrift, title: 'Show Drift' }
      : failed
        ? { command: Commands.testConnection, title: 'Test Connection' }
        : { command: 'workbench.action.openSettings', title: 'Configure', arguments: ['airflowDagAccess.database.url'] };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.config.dispose();
    this.database.dispose();
  }
}

function apply(item: vscode.LanguageStatusItem, view: StatusView): void {
  item.text = view.text;
  item.detail = view.detail;
  item.severity = toSeverity(view.severity);
}

function toSeverity(s: StatusSeverity): vscode.LanguageStatusSeverity {
  if (s === 'error') return vscode.LanguageStatusSeverity.Error;
  if (s === 'warning') return vscode.LanguageStatusSeverity.Warning;
  return vscode.LanguageStatusSeverity.Information;
}
