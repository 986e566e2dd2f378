/**
 * One Project per workspace folder, kept in step with the editor: open documents, watched files,
 * settings and the database password. Emits `onDidChange(project)` (debounced) for diagnostics,
 * lenses, hints and the client's views.
 */
import * as path from 'path';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  type Connection,
  type DidChangeWatchedFilesParams,
  type InitializeParams,
  type TextDocuments,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Project, type IndexingState } from '../project/project';
import { parseSettings, SETTINGS_SECTION, type Settings } from '../settings';
import { SetDatabasePasswordNotification, type InitializationOptions } from '../protocol';
import type { ClientCaps } from './capabilities';
import type { Logger } from './logger';
import { pathToUri, uriToPath } from './convert';
import { guardNotification } from './handler';

/** What the workspace uses of the server context (context.ts owns the Workspace; this keeps the import one-way). */
export interface WorkspaceHost {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly log: Logger;
  readonly caps: ClientCaps;
  readonly params: InitializeParams;
  readonly init: InitializationOptions;
}

interface Folder {
  uri: string;
  root: string;
  ready: Promise<Project | null>;
  project: Project | null;
  password: string | null;
}

/** An edited document is analysed once typing pauses this long, or at once when a request needs it. */
const TYPING_PAUSE_MS = 100;

export class Workspace {
  private folders = new Map<string, Folder>();
  private pending = new Map<string, Promise<unknown>>();
  private listeners = new Set<(project: Project) => void>();
  private indexingListeners = new Set<(project: Project, state: IndexingState | null) => void>();
  private timers = new Map<Project, NodeJS.Timeout>();
  /** Documents with an analysis queued and not started yet: it reads the latest text when it starts. */
  private queued = new Map<string, 'update' | 'close'>();
  /** Edited documents waiting for typing to pause (or for a request about them) before their analysis. */
  private typing = new Map<string, { timer: NodeJS.Timeout; flush: () => void }>();
  /** Changes on disk, handled one notification after another. */
  private watchQueue: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: WorkspaceHost) {}

  onDidChange(listener: (project: Project) => void): void {
    this.listeners.add(listener);
  }

  /** A project's scan progressed (null: it ended, the index is complete). */
  onIndexing(listener: (project: Project, state: IndexingState | null) => void): void {
    this.indexingListeners.add(listener);
  }

  async start(): Promise<void> {
    const { connection, documents, params, caps, log } = this.ctx;
    const initial: WorkspaceFolder[] = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    // The grammar loads while the settings are asked for: the first open document is parsed sooner.
    Project.warmUp((params.initializationOptions as { wasmDir?: string } | undefined)?.wasmDir);
    for (const f of initial) this.addFolder(f.uri);

    documents.onDidOpen((e) => this.track(e.document, 'open'));
    documents.onDidChangeContent((e) => this.track(e.document, 'change'));
    documents.onDidClose((e) => this.track(e.document, 'close'));
    connection.onDidChangeWatchedFiles(guardNotification(log, 'didChangeWatchedFiles', (p) => (this.watchQueue = this.watchQueue.then(() => this.watched(p)).catch((e: unknown) => log.error('didChangeWatchedFiles failed', e)))));
    connection.onDidChangeConfiguration(guardNotification(log, 'didChangeConfiguration', () => this.reloadSettings()));
    connection.onNotification(SetDatabasePasswordNotification.type, guardNotification(log, 'setDatabasePassword', (p: SetDatabasePasswordNotification.Params) => this.setPassword(p)));
    if (caps.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const r of e.removed) this.removeFolder(r.uri);
        for (const a of e.added) this.addFolder(a.uri);
        // A folder opened inside an open one takes its files over; a closed one gives them back.
        for (const f of this.folders.values()) f.project?.setNestedRoots(this.nestedIn(f.root));
      });
    }
    if (caps.watchedFilesDynamic) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.py' }, { globPattern: '**/*.{yaml,yml}' }, { globPattern: '**/.airflowignore' }],
      }).catch((e: unknown) => log.warn(`could not register file watchers: ${String(e)}`));
    }
    if (caps.raw.workspace?.didChangeConfiguration?.dynamicRegistration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    }
    await Promise.all([...this.folders.values()].map((f) => f.ready));
  }

  private async settingsFor(folderUri: string): Promise<Settings> {
    let raw: unknown = this.ctx.init.settings;
    if (this.ctx.caps.configuration) {
      try {
        raw = await this.ctx.connection.workspace.getConfiguration({ scopeUri: folderUri, section: SETTINGS_SECTION });
      } catch (e) {
        this.ctx.log.warn(`could not read settings: ${String(e)}`);
      }
    }
    const { settings, problems } = parseSettings(raw ?? {});
    for (const p of problems) this.ctx.log.warn(p);
    this.ctx.log.setLevel(settings.logLevel);
    return settings;
  }

  private addFolder(uri: string): void {
    const root = uriToPath(uri);
    if (!root || this.folders.has(root)) return;
    const folder: Folder = { uri, root, project: null, password: null, ready: Promise.resolve(null) };
    folder.ready = this.openProject(folder);
    this.folders.set(root, folder);
  }

  /**
   * Open a folder's project and index its open documents first: once they are in, the folder is ready
   * and answers for them; the rest of the folder streams in by a background scan (see backgroundScan).
   */
  private async openProject(folder: Folder): Promise<Project | null> {
    const started = Date.now();
    try {
      const settings = await this.settingsFor(folder.uri);
      // A workspace folder inside this one has its own config and index: leave its files to it.
      const nestedRoots = this.nestedIn(folder.root);
      const openDocuments = () =>
        this.ctx.documents.all().flatMap((d) => {
          const file = uriToPath(d.uri);
          return file && this.folderOf(file) === folder ? [{ file, text: d.getText(), version: d.version }] : [];
        });
      const warn = (message: string) => this.ctx.log.warn(message);
      const project = await Project.open(folder.root, settings, { wasmDir: this.ctx.init.wasmDir, cacheDir: this.ctx.init.cacheDir, scan: false, nestedRoots, openDocuments, warn });
      folder.project = project;
      project.onDidChange(() => this.schedule(project));
      project.onIndexing((state) => {
        for (const l of this.indexingListeners) l(project, state);
      });
      // Open editors win over disk, and are indexed before anything else.
      const open = this.ctx.documents.all().filter((doc) => this.folderOf(uriToPath(doc.uri)) === folder);
      for (const doc of open) this.track(doc, 'open');
      await Promise.all(open.map((doc) => this.settled(uriToPath(doc.uri))));
      // The database is connected in the background, once the open documents have been answered:
      // a slow or unreachable server never holds back the first hover. DB-backed diagnostics follow
      // when it is connected (notifyDbChanged); answers meanwhile use no database state.
      if (project.db.configured) setImmediate(() => void this.connectInBackground(folder, project));
      this.ctx.log.info(`${folder.root}: config ${project.configFile ?? 'missing'}, ${open.length} open document(s) indexed (${Date.now() - started} ms); scanning the folder`);
      // A notification, not a request: nothing to answer, and clients without message requests are fine.
      if (project.configNotice) void this.ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `Airflow DAG Access: ${project.configNotice}` });
      void this.backgroundScan(folder, project, started);
      this.schedule(project);
      return project;
    } catch (e) {
      this.ctx.log.error(`could not open workspace folder ${folder.root}`, e);
      return null;
    }
  }

  /** The folder's scan, after its open documents: files stream in, progress is reported, errors are logged. */
  private async backgroundScan(folder: Folder, project: Project, started: number): Promise<void> {
    // Marks the folder as indexing at once (answers say they may be partial), then yields before scanning.
    await project.scanInBackground();
    if (this.folders.get(folder.root) !== folder) return;
    // Failed (logged by the project) or superseded by a rescan that logs nothing here.
    if (project.scanError() || project.indexingState()) return;
    this.ctx.log.info(`${folder.root}: ${project.table.dagCount} DAG(s) in ${project.table.fileCount} file(s) indexed (${Date.now() - started} ms since the folder opened)`);
  }

  private async connectInBackground(folder: Folder, project: Project): Promise<void> {
    if (this.folders.get(folder.root) !== folder) return;
    const started = Date.now();
    const status = await project.db.connect(folder.password);
    if (this.folders.get(folder.root) !== folder) return;
    this.ctx.log.info(`${folder.root}: database ${status} (${Date.now() - started} ms)`);
    project.notifyDbChanged();
  }

  /** Roots of the open workspace folders inside `root`. */
  private nestedIn(root: string): string[] {
    return [...this.folders.keys()].filter((r) => r !== root && r.startsWith(root + path.sep));
  }

  private removeFolder(uri: string): void {
    const root = uriToPath(uri);
    const folder = root ? this.folders.get(root) : undefined;
    if (!folder) return;
    this.folders.delete(folder.root);
    void folder.ready.then((p) => p?.dispose());
  }

  private folderOf(file: string | null): Folder | undefined {
    if (!file) return undefined;
    let best: Folder | undefined;
    for (const f of this.folders.values()) {
      const rel = path.relative(f.root, file);
      if (!rel.startsWith('..') && !path.isAbsolute(rel) && (!best || f.root.length > best.root.length)) best = f;
    }
    return best;
  }

  /**
   * The project owning a URI (waiting for it to finish opening), or the first one when `uri` is omitted.
   * Open documents are answered while the folder is still being indexed; a Python file not indexed yet,
   * and `complete` callers (plan, apply, references: answers about the whole folder), wait for the scan.
   */
  async projectFor(uriOrPath?: string, opts: { complete?: boolean } = {}): Promise<Project | null> {
    const file = uriOrPath === undefined ? undefined : uriOrPath.startsWith('file:') ? uriToPath(uriOrPath) : uriOrPath;
    const folder = uriOrPath === undefined ? [...this.folders.values()][0] : this.folderOf(file ?? null);
    if (!folder) return null;
    const project = await folder.ready;
    // Any answer sees every edit made before it (a config edit changes the answers of every DAG file).
    for (const f of this.flushTyping()) await this.settled(f);
    if (file !== undefined) await this.settled(file);
    if (project && (opts.complete || (file?.endsWith('.py') && !project.index.isIndexed(file)))) await project.whenIndexed();
    return project;
  }

  folderUriOf(project: Project): string {
    for (const f of this.folders.values()) if (f.project === project) return f.uri;
    return pathToUri(project.root);
  }

  async projects(): Promise<Project[]> {
    const all = await Promise.all([...this.folders.values()].map((f) => f.ready));
    return all.filter((p): p is Project => p !== null);
  }

  /** Start the analyses of edited documents now, rather than when typing pauses; returns their files. */
  private flushTyping(): string[] {
    const files = [...this.typing.keys()];
    for (const t of [...this.typing.values()]) t.flush();
    return files;
  }

  /** Wait until every queued document update and change on disk has reached the index. */
  async settledAll(): Promise<void> {
    this.flushTyping();
    await this.watchQueue;
    await Promise.all([...this.pending.values()].map((p) => p.catch(() => undefined)));
  }

  /** Wait until pending updates of `file` have reached the index. */
  async settled(file: string | null): Promise<void> {
    if (!file) return;
    this.typing.get(file)?.flush();
    await this.pending.get(file)?.catch(() => undefined);
  }

  /**
   * Queue the analysis of an opened, changed or closed document. An edit waits until typing pauses for
   * TYPING_PAUSE_MS, or until a request about the document (diagnostics, hover...) needs it, whichever
   * comes first (see `settled`). Per document, analyses run one after another and at most one waits: a
   * burst of keystrokes becomes one analysis of the latest text (read when it starts), never one per version.
   */
  private track(doc: TextDocument, what: 'open' | 'change' | 'close'): void {
    const file = uriToPath(doc.uri);
    const folder = this.folderOf(file);
    if (!file || !folder?.project) return;
    const waiting = this.typing.get(file);
    if (what === 'change') {
      if (waiting) waiting.timer.refresh();
      else {
        const flush = () => {
          clearTimeout(entry.timer);
          if (this.typing.get(file) === entry) this.typing.delete(file);
          this.enqueue(doc, file, folder.project!, 'update');
        };
        const entry = { timer: setTimeout(flush, TYPING_PAUSE_MS), flush };
        this.typing.set(file, entry);
      }
      return;
    }
    if (waiting) {
      clearTimeout(waiting.timer);
      this.typing.delete(file);
    }
    this.enqueue(doc, file, folder.project, what === 'close' ? 'close' : 'update');
  }

  private enqueue(doc: TextDocument, file: string, project: Project, kind: 'update' | 'close'): void {
    if (this.queued.get(file) === kind) return;
    this.queued.set(file, kind);
    const run = async () => {
      if (this.queued.get(file) === kind) this.queued.delete(file);
      const latest = kind === 'close' ? undefined : this.ctx.documents.get(doc.uri);
      if (kind === 'update' && !latest) return; // closed since: the close does the work
      if (project.isConfigFile(file)) {
        await project.reloadConfig(latest?.getText());
      }
      // A `.py` config (the MWAA sync DAG) is also a DAG file of the workspace.
      if (file.endsWith('.py')) {
        if (!latest) await project.closeText(file);
        else if (project.indexedVersion(file) !== latest.version) await project.updateText(file, latest.getText(), latest.version);
      }
      this.schedule(project);
    };
    const previous = this.pending.get(file) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(run);
    this.pending.set(file, next);
    next.catch((e: unknown) => this.ctx.log.error(`updating ${file} failed`, e)).finally(() => {
      if (this.pending.get(file) === next) this.pending.delete(file);
    });
  }

  private async watched(params: DidChangeWatchedFilesParams): Promise<void> {
    for (const change of params.changes) {
      const file = uriToPath(change.uri);
      const folder = this.folderOf(file);
      const project = folder ? await folder.ready : null;
      if (!file || !project) continue;
      if (this.ctx.documents.get(change.uri)) continue; // the editor's text wins
      if (project.isConfigFile(file) || path.basename(file).startsWith('airflow-access.')) {
        await project.reloadConfig();
      }
      if (file.endsWith('.py')) {
        if (change.type === FileChangeType.Deleted) project.removeFile(file);
        else await project.updateFromDisk(file);
      } else if (path.basename(file) === '.airflowignore') {
        // A new scan cancels a running one; its progress and errors are reported like the first.
        void project.scanInBackground();
      }
    }
  }

  private async reloadSettings(): Promise<void> {
    for (const folder of this.folders.values()) {
      const project = await folder.ready;
      if (!project) continue;
      const before = project.settings.database.url;
      await project.updateSettings(await this.settingsFor(folder.uri));
      if (project.settings.database.url !== before) {
        await project.db.connect(folder.password);
        project.notifyDbChanged();
      }
    }
  }

  private async setPassword(p: SetDatabasePasswordNotification.Params): Promise<void> {
    const targets = p.folderUri ? [this.folders.get(uriToPath(p.folderUri) ?? '')].filter((f): f is Folder => !!f) : [...this.folders.values()];
    for (const folder of targets) {
      folder.password = p.password;
      const project = await folder.ready;
      if (project?.db.configured) {
        await project.db.connect(p.password);
        project.notifyDbChanged();
      }
    }
  }

  /** Coalesce bursts of changes (a scan, a config save) into one notification per project. */
  private schedule(project: Project): void {
    clearTimeout(this.timers.get(project));
    this.timers.set(project, setTimeout(() => {
      this.timers.delete(project);
      for (const l of this.listeners) {
        try {
          l(project);
        } catch (e) {
          this.ctx.log.error('change listener failed', e);
        }
      }
    }, 50));
  }

  async dispose(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const t of this.typing.values()) clearTimeout(t.timer);
    for (const p of await this.projects()) await p.dispose();
  }
}
