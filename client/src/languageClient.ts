/**
 * The language client and the typed custom requests the commands send through it. The server runs
 * as a child process over Node IPC (dist/server.js); `initializationOptions` tells it where its wasm
 * files are and where to keep the facts cache.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  Trace,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type RequestParam,
  type RequestType,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  ApplyRequest,
  DriftRequest,
  ExplainRequest,
  IndexChangedNotification,
  ListDagsRequest,
  ListSnapshotsRequest,
  MatrixExportRequest,
  MatrixRequest,
  PlanRequest,
  RollbackRequest,
  SetDatabasePasswordNotification,
  StatusNotification,
  TestConnectionRequest,
  TreeChildrenRequest,
  TreeRequest,
  type FolderParams,
} from '../../server/src/protocol';
import { Commands, SETTINGS_SECTION } from './constants';
import { initializationOptions } from './initOptions';
import { errorMessage } from './logger';
import { RestartPolicy } from './restartPolicy';

export const CLIENT_ID = 'airflowDagAccess';
export const CLIENT_NAME = 'Airflow DAG Access';
export const DEFAULT_CONFIG_GLOB = '**/airflow-access.y*ml';

export type ServerState = 'starting' | 'running' | 'stopped';

export class AccessServer implements vscode.Disposable {
  private client: LanguageClient;
  private readonly policy = new RestartPolicy();
  private queue: Promise<void> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly startedEmitter = new vscode.EventEmitter<void>();
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  private readonly statusEmitter = new vscode.EventEmitter<StatusNotification.Params>();
  private readonly indexEmitter = new vscode.EventEmitter<IndexChangedNotification.Params>();

  /** Fires after every successful (re)start: resend state the server does not persist. */
  readonly onDidStart = this.startedEmitter.event;
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onStatus = this.statusEmitter.event;
  readonly onIndexChanged = this.indexEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.client = this.createClient();
  }

  get state(): ServerState {
    return toServerState(this.client.state);
  }

  start(): Promise<void> {
    return this.enqueue(async () => {
      if (this.client.state === State.Running) return;
      await this.client.start();
      this.startedEmitter.fire();
    });
  }

  /** Stops and starts again; serialised with other starts, so commands and setting changes cannot race. */
  restart(): Promise<void> {
    this.policy.reset();
    return this.enqueue(async () => {
      if (this.client.state === State.Running) await this.client.stop();
      // A new client picks up changed settings (document selector, watched config file).
      this.client.dispose().catch(() => undefined);
      this.client = this.createClient();
      await this.client.start();
      this.startedEmitter.fire();
    });
  }

  plan(params: PlanRequest.Params, token?: vscode.CancellationToken): Promise<PlanRequest.Result> {
    return this.request(PlanRequest.type, params, token);
  }
  /** Cancelling `token` sends $/cancelRequest; the server rolls back unless it already committed. */
  apply(params: ApplyRequest.Params, token?: vscode.CancellationToken): Promise<ApplyRequest.Result> {
    return this.request(ApplyRequest.type, params, token);
  }
  listSnapshots(params: ListSnapshotsRequest.Params, token?: vscode.CancellationToken): Promise<ListSnapshotsRequest.Result> {
    return this.request(ListSnapshotsRequest.type, params, token);
  }
  /** Cancelling `token` before commit rolls the rollback back. */
  rollback(params: RollbackRequest.Params, token?: vscode.CancellationToken): Promise<RollbackRequest.Result> {
    return this.request(RollbackRequest.type, params, token);
  }
  drift(params: DriftRequest.Params, token?: vscode.CancellationToken): Promise<DriftRequest.Result> {
    return this.request(DriftRequest.type, params, token);
  }
  testConnection(params: TestConnectionRequest.Params, token?: vscode.CancellationToken): Promise<TestConnectionRequest.Result> {
    return this.request(TestConnectionRequest.type, params, token);
  }
  explain(params: ExplainRequest.Params, token?: vscode.CancellationToken): Promise<ExplainRequest.Result> {
    return this.request(ExplainRequest.type, params, token);
  }
  listDags(params: ListDagsRequest.Params, token?: vscode.CancellationToken): Promise<ListDagsRequest.Result> {
    return this.request(ListDagsRequest.type, params, token);
  }
  matrix(params: MatrixRequest.Params, token?: vscode.CancellationToken): Promise<MatrixRequest.Result> {
    return this.request(MatrixRequest.type, params, token);
  }
  matrixExport(params: MatrixExportRequest.Params, token?: vscode.CancellationToken): Promise<MatrixExportRequest.Result> {
    return this.request(MatrixExportRequest.type, params, token);
  }
  tree(params: TreeRequest.Params, token?: vscode.CancellationToken): Promise<TreeRequest.Result> {
    return this.request(TreeRequest.type, params, token);
  }
  treeChildren(params: TreeChildrenRequest.Params, token?: vscode.CancellationToken): Promise<TreeChildrenRequest.Result> {
    return this.request(TreeChildrenRequest.type, params, token);
  }

  /**
   * Sends a database password. Verbose protocol tracing would print notification parameters, so
   * tracing drops to message names while this one notification is written.
   */
  async setDatabasePassword(params: SetDatabasePasswordNotification.Params): Promise<void> {
    if (this.client.state !== State.Running) return;
    const configured = Trace.fromString(vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('trace.server', 'off'));
    const lowered = configured === Trace.Verbose || configured === Trace.Compact;
    if (lowered) await this.client.setTrace(Trace.Messages);
    try {
      await this.client.sendNotification(SetDatabasePasswordNotification.type, params);
    } finally {
      if (lowered) await this.client.setTrace(configured);
    }
  }

  async dispose(): Promise<void> {
    clearTimeout(this.restartTimer);
    for (const d of this.disposables) d.dispose();
    try {
      await this.client.dispose(2000);
    } catch {
      // Not running: nothing to stop.
    }
  }

  private async request<P extends FolderParams, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R> {
    if (this.client.state !== State.Running && this.client.state !== State.Starting) await this.start();
    // Never pass an undefined token: vscode-jsonrpc would send it as an extra positional parameter.
    // Both branches of RequestParam<P> accept a P; TypeScript cannot see that for a generic P.
    const sent = params as RequestParam<P>;
    return token ? this.client.sendRequest(type, sent, token) : this.client.sendRequest(type, sent);
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const next = this.queue.then(job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private createClient(): LanguageClient {
    const module = this.context.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const configGlobs = configFileGlobs();
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        ...configGlobs.map((pattern) => ({ scheme: 'file', language: 'yaml', pattern })),
      ],
      // No `fileEvents`: the server registers its own watchers (workspace/didChangeWatchedFiles), which
      // the client disposes when it stops. Watchers made here too outlived restarts and sent every
      // change on disk twice.
      synchronize: { configurationSection: SETTINGS_SECTION },
      initializationOptions: initializationOptions(this.context),
      outputChannel: this.output,
      traceOutputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      markdown: { isTrusted: { enabledCommands: [Commands.explainDag, Commands.openLocation] } },
      initializationFailedHandler: (error) => {
        this.output.error(`The server failed to initialize: ${errorMessage(error)}`);
        void this.offerOutput(`Airflow DAG Access could not start its language server: ${errorMessage(error)}`);
        return false;
      },
      errorHandler: {
        error: (_error, _message, count): ErrorHandlerResult =>
          (count ?? 0) <= 3 ? { action: ErrorAction.Continue } : { action: ErrorAction.Shutdown },
        closed: (): CloseHandlerResult => this.onUnexpectedClose(),
      },
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    client.onNotification(StatusNotification.type, (p) => this.statusEmitter.fire(p));
    client.onNotification(IndexChangedNotification.type, (p) => this.indexEmitter.fire(p));
    this.disposables.push(client.onDidChangeState((e) => this.stateEmitter.fire(toServerState(e.newState))));
    return client;
  }

  /** The server process died: restart it ourselves after a growing delay, and tell the user. */
  private onUnexpectedClose(): CloseHandlerResult {
    const decision = this.policy.onCrash(Date.now());
    if (!decision.restart) {
      const text = `The Airflow DAG Access server stopped ${decision.attempt} times in a few minutes and will not be restarted.`;
      this.output.error(text);
      void vscode.window.showErrorMessage(text, 'Restart Server', 'Show Output').then((pick) => {
        if (pick === 'Restart Server') void this.restart();
        if (pick === 'Show Output') this.output.show(true);
      });
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const seconds = Math.round(decision.delayMs / 1000);
    const text = `The Airflow DAG Access server stopped unexpectedly; restarting in ${seconds}s (attempt ${decision.attempt}).`;
    this.output.warn(text);
    void this.offerOutput(text, 'warning');
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.start().catch((e) => this.output.error(`Restarting the server failed: ${errorMessage(e)}`));
    }, decision.delayMs);
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  private async offerOutput(text: string, level: 'error' | 'warning' = 'error'): Promise<void> {
    const show = level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    if ((await show(text, 'Show Output')) === 'Show Output') this.output.show(true);
  }
}

/** Globs of the role-mapping config: the default name plus the configured file's name. */
export function configFileGlobs(): string[] {
  const globs = [DEFAULT_CONFIG_GLOB];
  for (const folder of vscode.workspace.workspaceFolders ?? [{ uri: undefined }]) {
    const configured = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get<string>('configPath');
    if (!configured) continue;
    const glob = `**/${path.basename(configured)}`;
    if (!/^airflow-access\.ya?ml$/.test(path.basename(configured)) && !globs.includes(glob)) globs.push(glob);
  }
  return globs;
}

function toServerState(state: State): ServerState {
  if (state === State.Running) return 'running';
  if (state === State.Starting) return 'starting';
  return 'stopped';
}
