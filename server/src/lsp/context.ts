/** Everything a feature module needs: the connection, open documents, the projects, logging, client caps. */
import type { Connection, InitializeParams, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClientCaps } from './capabilities';
import type { Logger } from './logger';
import { Workspace } from './workspace';

export { readClientCapabilities } from './capabilities';

export class ServerContext {
  readonly workspace: Workspace;

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
    readonly log: Logger,
    readonly caps: ClientCaps,
    readonly params: InitializeParams,
  ) {
    this.workspace = new Workspace(this);
  }

  start(): Promise<void> {
    return this.workspace.start();
  }

  async dispose(): Promise<void> {
    await this.workspace.dispose();
  }
}
