/**
 * A minimal LSP client for protocol tests: starts the BUNDLED server (dist/server.js) as a subprocess
 * over stdio and speaks JSON-RPC to it, answering the few server->client requests a real client does.
 * Waiting is always on a notification or a predicate, never on a fixed sleep.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { after, before } from 'node:test';
import {
  CancellationTokenSource,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { distDir, examplesDir } from './paths';

export interface StartOptions {
  /** Workspace folders (absolute paths). */
  folders: string[];
  /** Value of the `airflowDagAccess` settings section. */
  settings?: Record<string, unknown>;
  /** 'pull' advertises textDocument/diagnostic support; 'push' does not (like Neovim 0.7). */
  diagnostics?: 'pull' | 'push';
  /** initializationOptions (e.g. `{ settings }` for clients without workspace/configuration). */
  initializationOptions?: Record<string, unknown>;
  /** Advertise workspace/configuration (default true). */
  configuration?: boolean;
  env?: Record<string, string>;
  /**
   * Wait until every folder's first scan has ended before returning (default true): the server answers
   * open documents while it still indexes the rest, so tests about other files start from a full index.
   */
  waitIndexed?: boolean;
}

/** One folder's counters from the test hook `airflowDagAccess/test/indexStats`. */
export interface IndexStats {
  root: string;
  files: number;
  dags: number;
  indexing: { phase: string; done: number; total: number } | null;
  textAnalyses: number;
  diskAnalyses: number;
  scansStarted: number;
  scansCompleted: number;
  scansCancelled: number;
  scansFailed: number;
}

type Waiter = { check: () => boolean; resolve: () => void };

export class LspClient {
  readonly published = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  refreshCount = 0;
  /** How many times the server asked for each `workspace/<feature>/refresh`. */
  readonly refreshes = new Map<string, number>();
  stderr = '';
  private waiters: Waiter[] = [];
  private notifications: { method: string; params: unknown }[] = [];
  initializeResult!: InitializeResult;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    /** What workspace/configuration answers; change it, then send didChangeConfiguration. */
    public settings: Record<string, unknown>,
  ) {}

  static async start(opts: StartOptions): Promise<LspClient> {
    const serverJs = path.join(distDir, 'server.js');
    const child = spawn(process.execPath, [serverJs, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ADA_TEST_HOOKS: '1', ...(opts.env ?? {}) },
    });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection, opts.settings ?? {});
    child.stderr!.on('data', (d: Buffer) => (client.stderr += d.toString()));
    client.wire();
    connection.listen();
    const capabilities = clientCapabilities(opts.diagnostics ?? 'pull');
    if (opts.configuration === false) capabilities.workspace!.configuration = false;
    client.initializeResult = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(opts.folders[0]).href,
      workspaceFolders: opts.folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })),
      capabilities,
      initializationOptions: opts.initializationOptions ?? {},
    })) as InitializeResult;
    await connection.sendNotification('initialized', {});
    if (opts.waitIndexed !== false) await client.waitIndexed();
    return client;
  }

  indexStats(): Promise<IndexStats[]> {
    return this.request<IndexStats[]>('airflowDagAccess/test/indexStats', null);
  }

  /** Resolves when every folder has finished a scan and none is running (asks the server until then). */
  async waitIndexed(timeoutMs = 60_000): Promise<IndexStats[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const stats = await this.indexStats();
      if (stats.every((s) => !s.indexing && s.scansCompleted + s.scansFailed > 0)) return stats;
      if (Date.now() > until) throw new Error(`the server is still indexing: ${JSON.stringify(stats)}\n${this.logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private wire(): void {
    const c = this.connection;
    c.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((i) => (i.section === 'airflowDagAccess' ? this.settings : null)),
    );
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('client/unregisterCapability', () => null);
    c.onRequest('window/workDoneProgress/create', () => null);
    for (const m of ['workspace/diagnostic/refresh', 'workspace/inlayHint/refresh', 'workspace/codeLens/refresh', 'workspace/semanticTokens/refresh']) {
      c.onRequest(m, () => {
        if (m === 'workspace/diagnostic/refresh') this.refreshCount++;
        this.refreshes.set(m, (this.refreshes.get(m) ?? 0) + 1);
        this.notify();
        return null;
      });
    }
    c.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.set(p.uri, p);
      this.notify();
    });
    c.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    // Work-done progress arrives as $/progress for a token the server created: recorded like a notification.
    (c as unknown as { onUnhandledProgress: (h: (p: unknown) => void) => void }).onUnhandledProgress((p) => {
      this.notifications.push({ method: '$/progress', params: p });
      this.notify();
    });
    c.onUnhandledNotification((msg) => {
      this.notifications.push({ method: msg.method, params: msg.params });
      this.notify();
    });
  }

  private notify(): void {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Resolves when `check` holds (checked now and after every message from the server). */
  waitFor(check: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; server log:\n${this.logs.join('\n')}\n${this.stderr}`));
      }, timeoutMs);
      const waiter: Waiter = { check, resolve: () => (clearTimeout(timer), resolve()) };
      this.waiters.push(waiter);
    });
  }

  async waitForNotification<T>(method: string, match: (p: T) => boolean = () => true): Promise<T> {
    let found: T | undefined;
    const check = () => {
      const n = this.notifications.find((x) => x.method === method && match(x.params as T));
      if (n) found = n.params as T;
      return !!n;
    };
    await this.waitFor(check, `notification ${method}`);
    return found!;
  }

  async waitForPublished(uri: string, match: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    await this.waitFor(() => {
      const p = this.published.get(uri);
      return !!p && match(p.diagnostics);
    }, `published diagnostics for ${uri}`);
    return this.published.get(uri)!.diagnostics;
  }

  request<R>(method: string, params: unknown, token?: CancellationTokenSource): Promise<R> {
    // Pass the token only when given: an `undefined` extra argument would be sent as positional params.
    return (token ? this.connection.sendRequest(method, params, token.token) : this.connection.sendRequest(method, params)) as Promise<R>;
  }

  /** Notifications of `method` received so far. */
  received<T>(method: string): T[] {
    return this.notifications.filter((n) => n.method === method).map((n) => n.params as T);
  }

  async open(file: string, languageId = file.endsWith('.py') ? 'python' : 'yaml'): Promise<string> {
    const uri = pathToFileURL(file).href;
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text: fs.readFileSync(file, 'utf8') },
    });
    return uri;
  }

  async change(uri: string, version: number, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  async pullDiagnostics(uri: string): Promise<Diagnostic[]> {
    const r = await this.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    return r.items;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

function clientCapabilities(diagnostics: 'pull' | 'push'): ClientCapabilities {
  return {
    window: { workDoneProgress: true },
    workspace: {
      configuration: true,
      workspaceFolders: true,
      didChangeWatchedFiles: { dynamicRegistration: true },
      diagnostics: diagnostics === 'pull' ? { refreshSupport: true } : undefined,
      inlayHint: { refreshSupport: true },
      codeLens: { refreshSupport: true },
      semanticTokens: { refreshSupport: true },
    },
    textDocument: {
      synchronization: { didSave: true },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      completion: { completionItem: { snippetSupport: false } },
      publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      diagnostic: diagnostics === 'pull' ? { relatedDocumentSupport: false } : undefined,
      codeAction: {
        codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite'] } },
        dataSupport: true,
      },
    },
  };
}

/** A fresh copy of examples/ (or of one of its sub-workspaces) in a temp dir. */
export function copyExamples(sub = ''): string {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-protocol-'));
  fs.cpSync(path.join(examplesDir, sub), dest, { recursive: true });
  return dest;
}

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

/** Position of the `occurrence`-th `needle` in `text`, plus `offset` characters into it. */
export function positionOf(text: string, needle: string, offset = 0, occurrence = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found (occurrence ${occurrence})`);
  }
  const before = text.slice(0, at + offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

export interface TextEditLike {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

/** The text after applying `edits` (non-overlapping, any order), as an editor would. */
export function applyEdits(text: string, edits: TextEditLike[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/**
 * A server over a throw-away copy of examples/ for the enclosing describe(): started before its tests,
 * stopped and removed after. Read `ws.client` / `ws.root` inside tests (the hook sets them).
 */
export function exampleWorkspace(sub = '') {
  const ws = {
    root: '',
    client: undefined as unknown as LspClient,
    file: (rel: string) => path.join(ws.root, rel),
    text: (rel: string) => fs.readFileSync(ws.file(rel), 'utf8'),
  };
  before(async () => {
    ws.root = copyExamples(sub);
    ws.client = await LspClient.start({ folders: [ws.root] });
  });
  after(async () => {
    await ws.client?.stop();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });
  return ws;
}
