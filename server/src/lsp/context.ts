/** Everything a feature module needs: the connection, open documents, the projects, logging, client caps. */
import type { Connection, InitializeParams, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { InitializationOptions } from '../protocol';
import type { ClientCaps } from './capabilities';
import type { Logger } from './logger';
import { Workspace } from './workspace';

export { readClientCapabilities } from './capabilities';

/** The client's initializationOptions, keeping only fields of the right type (a client may send anything). */
export function readInitializationOptions(raw: unknown): InitializationOptions {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return { wasmDir: text(o['wasmDir']), cacheDir: text(o['cacheDir']), settings: o['settings'] };
}

export class ServerContext {
  readonly workspace: Workspace;
  /** What the client sent in initializationOptions (read once, here). */
  readonly init: InitializationOptions;

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
    readonly log: Logger,
    readonly caps: ClientCaps,
    readonly params: InitializeParams,
  ) {
    this.init = readInitializationOptions(params.initializationOptions);
    this.workspace = new Workspace(this);
  }

  start(): Promise<void> {
    return this.workspace.start();
  }

  async dispose(): Promise<void> {
    await this.workspace.dispose();
  }
}
