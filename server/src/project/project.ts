/**
 * A Project is one workspace folder: its WorkspaceIndex (facts of every DAG file), its loaded
 * role-mapping config and, when a database is configured and connected, the metadata DB state.
 * Pure TypeScript: the language server and the CLI (`airflow-access check`) both drive it.
 */
import * as path from 'path';
import { accessUnlessNotImported } from './importFailure';
import type { AccessConfig, ConfigProblem } from '../model/config';
import type { DagAccess } from '../model/access';
import type { DagFact, FileFacts } from '../model/facts';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import type { WorkspaceIndex } from '../indexer';
import type { IndexCounters } from '../indexer/workspaceIndex';
import type { IndexingState, ScanCounts } from './indexingState';
import { ProjectIndex } from './projectIndex';
import type { Parser } from 'web-tree-sitter';
import { findConfigFile, isPythonConfig } from '../config';
import { discoverSeedDag, type SeedDagDiscovery } from './discoverSeedDag';
import { discoveryGlobs, discoveryNotice, prepareConfig, readConfig, seedIgnoreSyntax, usesDefaultConfigPath, type ConfigState, type DiscoveryGlobs, type PreparedConfig } from './projectConfig';
import { createPythonParser, loadPython } from '../parsing/treeSitter';
import { computeDagAccess } from '../engine/dagAccess';
import { teamOfFile } from '../engine/teams';
import { DagTable, type DagRef } from './dagTable';
import { ProjectDb } from './projectDb';
import { loadAuthUsers, type AuthUsers } from './authUsers';
import { IGNORE_SYNTAX_ENV, ignoreSyntaxFor, type IgnoreSyntaxChoice } from '../model/ignoreSyntax';

export type { DagRef } from './dagTable';

export interface ProjectOptions {
  wasmDir?: string;
  cacheDir?: string;
  /** Database password (from the client's SecretStorage or the CLI's environment). */
  password?: string | null;
  /** Connect to the database now (when a URL is configured). Default false. */
  connectDb?: boolean;
  /** Scan the workspace now. Default true. */
  scan?: boolean;
  /** Returns true when the caller gave up (cancellation). */
  isCancelled?: () => boolean;
  /** Folders inside this one that are workspace folders of their own (indexed by their own project). */
  nestedRoots?: string[];
  /** Python files open in an editor (their text wins over disk when the index is rebuilt). */
  openDocuments?: () => { file: string; text: string; version: number }[];
  /** Environment the auth manager settings are read from (AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where a failed background scan is reported (the language server's log); default: nowhere but `scanError()`. */
  warn?: (message: string) => void;
  /** Wait after a config or settings change that changes discovery before rescanning (ms). Default 300. */
  rescanDelayMs?: number;
}

export type { IndexingState } from './indexingState';

export type ChangeKind = 'config' | 'db' | 'index' | 'settings';

export class Project {
  /** The index, replaced (and rescanned) when the settings, the config or the Airflow version change which files are DAG files. */
  private readonly idx: ProjectIndex;
  readonly db: ProjectDb;
  /** Workspace-wide lookups (by dag_id, tag, role, asset), updated per changed file. */
  readonly table = new DagTable();
  private cfg: ConfigState = { file: null, text: null, config: null, problems: [], stale: false, notice: null };
  /** Parses a `.py` config (the MWAA sync DAG); created when such a config is first needed. */
  private pythonParser: Parser | null;
  private discovered: SeedDagDiscovery | null;
  private users: AuthUsers = { fileUsers: null, simpleUsers: null };
  private currentSettings: Settings;
  /** The last config of `configFile` loaded without errors. */
  private lastGoodConfig: AccessConfig | null = null;
  private gen = 0;
  private accessCache = new Map<string, { gen: number; version: number; access: DagAccess }>();
  private listeners = new Set<(kind: ChangeKind) => void>();
  /** Workspace folders inside this one (they have their own project); changes as folders come and go. */
  private nestedRoots: string[];

  /** The current index (read-only: edits go through the Project's methods; it is replaced when discovery changes). */
  get index(): WorkspaceIndex {
    return this.idx.index;
  }
  get settings(): Settings {
    return this.currentSettings;
  }
  get configFile(): string | null {
    return this.cfg.file;
  }
  get configText(): string | null {
    return this.cfg.text;
  }
  get config(): AccessConfig | null {
    return this.cfg.config;
  }
  get configProblems(): readonly ConfigProblem[] {
    return this.cfg.problems;
  }
  /**
   * True while the config text has errors and `config` is its last version without any (typically
   * mid-typing): DAGs keep their answers instead of losing every grant the broken part held.
   */
  get configStale(): boolean {
    return this.cfg.stale;
  }
  /**
   * One line for the user when the config was not named but found: a workspace DAG file defining
   * `role_mappings = [...]` (the MWAA sync DAG) used because there is no airflow-access.yaml.
   */
  get configNotice(): string | null {
    return this.cfg.notice;
  }
  /** Users of the file / simple auth manager found in the workspace (read with the config). */
  get authUsers(): AuthUsers {
    return this.users;
  }
  /** Bumped on every change; caches keyed on it. */
  get generation(): number {
    return this.gen;
  }

  /** The config's problems of error severity (the config then is its last valid version, or partial). */
  configErrors(): ConfigProblem[] {
    return this.cfg.problems.filter((p) => p.severity === 'error');
  }

  private constructor(
    readonly root: string,
    settings: Settings,
    readonly options: Readonly<ProjectOptions>,
    prepared: PreparedConfig = { parser: null, discovered: null },
  ) {
    this.currentSettings = settings;
    this.pythonParser = prepared.parser;
    this.discovered = prepared.discovered;
    this.nestedRoots = [...(options.nestedRoots ?? [])].sort();
    this.loadConfig();
    this.loadAuthUsers();
    this.db = new ProjectDb(() => this.config, () => this.settings.database.url, root);
    this.idx = new ProjectIndex({ root, options, table: this.table, discovery: () => this.discovery(), changed: () => this.changed('index') });
  }

  private discovery(): DiscoveryGlobs {
    return discoveryGlobs(this.root, this.settings, this.config, this.nestedRoots, this.ignoreSyntax());
  }

  /** A workspace folder inside this one was opened or closed: its files move to or from its own project. */
  setNestedRoots(roots: string[]): void {
    const sorted = [...roots].sort();
    if (sorted.join('\n') === this.nestedRoots.join('\n')) return;
    this.nestedRoots = sorted;
    this.idx.rebuildIfNeeded();
  }

  /** Start loading the Python grammar now (the language server, before it reads its settings): the first open document needs it. */
  static warmUp(wasmDir?: string): void {
    loadPython(wasmDir).catch(() => undefined);
  }

  /** Open a workspace folder: load its config, scan its DAG files, optionally connect the DB. */
  static async open(root: string, settings: Settings = DEFAULT_SETTINGS, options: ProjectOptions = {}): Promise<Project> {
    const abs = path.resolve(root);
    const project = new Project(abs, settings, options, await prepareConfig(abs, settings, options.wasmDir, options.env));
    if (options.scan !== false) await project.scan(options.isCancelled);
    if (options.connectDb) {
      await project.db.connect(options.password ?? null);
      // The database's Airflow version may change how .airflowignore is read: rescan now, not after a pause.
      if (options.scan !== false) await project.idx.rebuildNowIfNeeded();
    }
    return project;
  }

  /**
   * Scan the folder's DAG files. `stream`: facts reach the table (and the listeners) in batches while
   * the scan runs, and `indexingState()` says how far it got. A newer scan cancels this one (it then
   * returns without a change event); a failure is recorded (`scanError()`) and rethrown.
   */
  scan(isCancelled?: () => boolean, opts: { stream?: boolean } = {}): Promise<void> {
    return this.idx.scan(isCancelled, opts);
  }

  /** Scan in the background (the language server): errors are reported, not thrown. */
  scanInBackground(): Promise<void> {
    return this.idx.scanInBackground();
  }

  /** Why the last scan failed (null once a scan succeeds). */
  scanError(): string | null {
    return this.idx.indexing.lastError;
  }

  /** The running scan's progress, or null when the index is complete. */
  indexingState(): IndexingState | null {
    return this.idx.state();
  }

  /** For answers that need the whole workspace: a line saying they may be partial, or null when the scan is over. */
  partialNote(): string | null {
    return this.idx.indexing.partialNote();
  }

  /**
   * Resolves once the index is complete: no scan running and no rescan waiting (plan, apply and the
   * other answers about the whole folder wait for it).
   */
  whenIndexed(): Promise<void> {
    return this.idx.indexing.whenIdle();
  }

  onIndexing(listener: (state: IndexingState | null) => void): () => void {
    return this.idx.indexing.onChange(listener);
  }

  /** Editor text of a Python file changed (or it was opened). */
  async updateText(file: string, text: string, version: number): Promise<void> {
    await this.index.updateText(file, text, version);
  }

  /** The editor closed a Python file: its facts come from disk again. */
  async closeText(file: string): Promise<void> {
    await this.index.closeText(file);
  }

  /** A watched Python file or .airflowignore changed on disk (or was created). */
  async updateFromDisk(file: string): Promise<void> {
    await this.index.updateFromDisk(file);
  }

  /** A watched Python file was deleted. */
  removeFile(file: string): void {
    this.index.remove(file);
  }

  /** Indexed version of `file` (null when not indexed): an editor version, or the mtime read from disk. */
  indexedVersion(file: string): number | null {
    return this.index.getFile(file)?.version ?? null;
  }

  /** Files that import `symbol` from `file`'s module (see WorkspaceIndex.importersOf). */
  importersOf(file: string, symbol: string): string[] {
    return this.index.importersOf(file, symbol);
  }

  /** How many analyses the current index ran, and how the folder's scans ended (tests and logs). */
  indexCounters(): IndexCounters & ScanCounts {
    return this.idx.counters();
  }

  onDidChange(listener: (kind: ChangeKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(kind: ChangeKind): void {
    this.gen++;
    for (const l of this.listeners) l(kind);
  }

  /** Absolute path the config is (or would be) read from. */
  configPath(): string {
    return this.cfg.file ?? path.resolve(this.root, this.currentSettings.configPath);
  }

  isConfigFile(file: string): boolean {
    return path.resolve(file) === this.configPath();
  }

  /**
   * (Re)load the config from disk, or from `text` when it is open in an editor. Synchronous unless the
   * config is a `.py` file and the Python parser is not loaded yet (the promise then settles once it is).
   */
  reloadConfig(text?: string): Promise<void> {
    const apply = () => {
      this.loadConfig(text);
      this.loadAuthUsers();
      this.idx.rebuildIfNeeded();
      this.changed('config');
    };
    const file = this.resolveConfigFile();
    if (file && isPythonConfig(file) && !this.pythonParser) {
      return this.loadParser().then(apply);
    }
    apply();
    return Promise.resolve();
  }

  private async loadParser(): Promise<void> {
    this.pythonParser ??= await createPythonParser(this.options.wasmDir).catch(() => null);
  }

  /** The named config, else airflow-access.yaml at the root, else the discovered MWAA sync DAG. */
  private resolveConfigFile(): string | null {
    const named = findConfigFile(this.root, this.settings.configPath);
    if (named || !usesDefaultConfigPath(this.settings)) return named;
    return this.discovered?.file ?? null;
  }

  private loadConfig(text?: string): void {
    const file = this.resolveConfigFile();
    const notice = file && file === this.discovered?.file ? discoveryNotice(this.root, this.discovered) : null;
    [this.cfg, this.lastGoodConfig] = readConfig(file, text, notice, this.pythonParser, this.lastGoodConfig);
  }

  private loadAuthUsers(): void {
    this.users = loadAuthUsers(this.root, this.config, this.options.env ?? process.env);
  }

  /** New settings: the config is looked for again (and, without airflow-access.yaml, the sync DAG rediscovered). */
  async updateSettings(settings: Settings): Promise<void> {
    this.currentSettings = settings;
    if (!findConfigFile(this.root, settings.configPath) && usesDefaultConfigPath(settings)) {
      this.discovered = await discoverSeedDag({ root: this.root, include: settings.dags.include, exclude: settings.dags.exclude, ignoreSyntax: seedIgnoreSyntax(settings, this.options.env) });
    }
    await this.reloadConfig();
    this.changed('settings');
  }

  /**
   * How `.airflowignore` lines are read: the config's airflow.dag_ignore_file_syntax, else the
   * environment's, else the default of `airflowVersion()` (model/ignoreSyntax.ts). A change of it
   * (a version typed in the config, a database connected) rebuilds the index.
   */
  ignoreSyntax(): IgnoreSyntaxChoice {
    return ignoreSyntaxFor(this.config?.airflow.ignoreFileSyntax, (this.options.env ?? process.env)[IGNORE_SYNTAX_ENV], this.airflowVersion());
  }

  /** Airflow version to assume: the setting, else the config's, else the database's (alembic_version), else null (latest). */
  airflowVersion(): string | null {
    return this.settings.airflowVersion ?? this.config?.airflow.version ?? this.db.airflowRelease()?.version ?? null;
  }

  /** Every indexed file, sorted by path. Shared: do not modify. */
  files(): FileFacts[] {
    return this.table.allFiles();
  }

  getFile(file: string): FileFacts | undefined {
    return this.index.getFile(file);
  }

  /** Every DAG of the folder (O(workspace): prefer the `table` lookups on hot paths). */
  allDags(): DagRef[] {
    const out: DagRef[] = [];
    for (const f of this.files()) for (const dag of f.dags) out.push({ file: f.file, dag });
    return out;
  }

  /** The DAG's effective access (cached per file version and project generation). */
  dagAccess(file: string, dag: DagFact): DagAccess | null {
    const facts = this.getFile(file);
    const key = `${file}#${dag.range.start.line}:${dag.range.start.character}`;
    const hit = this.accessCache.get(key);
    if (hit && hit.gen === this.generation && hit.version === facts?.version) return hit.access;
    const dbGrants = dag.dagId.kind === 'static' ? this.db.dagGrants(dag.dagId.value) : undefined;
    const computed = computeDagAccess({
      dag,
      file,
      config: this.config,
      dbGrants,
      existingRoles: this.db.roleNames(),
      airflowVersion: this.airflowVersion(),
      users: this.authUsers.fileUsers,
      simpleUsers: this.authUsers.simpleUsers,
    });
    // A file Airflow cannot import registers no DAG: nothing it says grants anything.
    const access = accessUnlessNotImported(computed, facts);
    this.accessCache.set(key, { gen: this.generation, version: facts?.version ?? -1, access });
    return access;
  }

  /** Team owning a DAG file (config `teams:` paths globs, relative to the root), or null. */
  teamOf(file: string): string | null {
    return teamOfFile(this.config, this.root, file);
  }

  /** Called by the DB layer after a (re)connect or a refresh (its Airflow version may change the `.airflowignore` syntax). */
  notifyDbChanged(): void {
    this.idx.rebuildIfNeeded();
    this.changed('db');
  }

  async dispose(): Promise<void> {
    this.listeners.clear();
    await this.idx.dispose();
    await this.db.dispose();
  }
}
