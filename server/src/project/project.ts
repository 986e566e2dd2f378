/**
 * A Project is one workspace folder: its WorkspaceIndex (facts of every DAG file), its loaded
 * role-mapping config and, when a database is configured and connected, the metadata DB state.
 * Pure TypeScript: the language server and the CLI (`airflow-access check`) both drive it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { importFailure } from './importFailure';
import type { AccessConfig, ConfigProblem } from '../model/config';
import type { DagAccess } from '../model/access';
import type { DagFact, FileFacts } from '../model/facts';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { WorkspaceIndex } from '../indexer';
import { findConfigFile, loadConfigText } from '../config';
import { computeDagAccess } from '../engine/dagAccess';
import { teamOfFile } from '../engine/teams';
import { DagTable, type DagRef } from './dagTable';
import { ProjectDb } from './projectDb';

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
}

export type ChangeKind = 'config' | 'db' | 'index' | 'settings';

export class Project {
  /** Replaced (and rescanned) when the settings or the config change which files are DAG files. */
  index: WorkspaceIndex;
  readonly db: ProjectDb;
  /** Workspace-wide lookups (by dag_id, tag, role, asset), updated per changed file. */
  readonly table = new DagTable();
  configFile: string | null = null;
  configText: string | null = null;
  config: AccessConfig | null = null;
  configProblems: ConfigProblem[] = [];
  /**
   * True while the config text has errors and `config` is its last version without any (typically
   * mid-typing): DAGs keep their answers instead of losing every grant the broken part held.
   */
  configStale = false;
  /** The config's problems of error severity (the config then is its last valid version, or partial). */
  configErrors(): ConfigProblem[] {
    return this.configProblems.filter((p) => p.severity === 'error');
  }

  /** The last config of `configFile` loaded without errors. */
  private lastGoodConfig: AccessConfig | null = null;
  /** Bumped on every change; caches keyed on it. */
  generation = 0;
  private accessCache = new Map<string, { gen: number; version: number; access: DagAccess }>();
  private listeners = new Set<(kind: ChangeKind) => void>();
  private unsubscribeIndex: (() => void) | undefined;
  private discoveryKey = '';
  private scanned = false;
  /** Workspace folders inside this one (they have their own project); changes as folders come and go. */
  private nestedRoots: string[];

  private constructor(
    readonly root: string,
    public settings: Settings,
    readonly options: ProjectOptions,
  ) {
    this.nestedRoots = [...(options.nestedRoots ?? [])].sort();
    this.loadConfig();
    this.index = this.createIndex();
    this.db = new ProjectDb(() => this.config, () => this.settings.database.url, root);
  }

  /**
   * Which files are DAG files: the settings' globs, the config's `dags:` block (its include replaces
   * the default glob, its exclude adds up) and nested workspace folders (they have their own project).
   */
  private discovery(): { include: string[]; exclude: string[]; safeMode: boolean } {
    const fromConfig = this.config?.dags;
    const configInclude = fromConfig?.include.length && !(fromConfig.include.length === 1 && fromConfig.include[0] === '**/*.py') ? fromConfig.include : null;
    const nested = this.nestedRoots
      .map((r) => path.relative(this.root, r).split(path.sep).join('/'))
      .filter((rel) => rel && !rel.startsWith('..') && !path.isAbsolute(rel))
      .map((rel) => `${rel}/**`);
    return {
      include: configInclude ?? this.settings.dags.include,
      exclude: [...this.settings.dags.exclude, ...(fromConfig?.exclude ?? []), ...nested],
      safeMode: this.settings.safeMode,
    };
  }

  private createIndex(): WorkspaceIndex {
    const d = this.discovery();
    this.discoveryKey = JSON.stringify(d);
    const index = new WorkspaceIndex({ root: this.root, ...d, wasmDir: this.options.wasmDir, cacheDir: this.options.cacheDir });
    this.unsubscribeIndex?.();
    this.unsubscribeIndex = index.onDidChange((files) => {
      if (index !== this.index) return;
      this.syncTable(files);
      this.changed('index');
    });
    return index;
  }

  /** A workspace folder inside this one was opened or closed: its files move to or from its own project. */
  setNestedRoots(roots: string[]): void {
    const sorted = [...roots].sort();
    if (sorted.join('\n') === this.nestedRoots.join('\n')) return;
    this.nestedRoots = sorted;
    this.rebuildIndexIfNeeded();
  }

  /** After the settings, the config or the nested folders changed the discovery globs: a fresh index, rescanned. */
  private rebuildIndexIfNeeded(): void {
    if (JSON.stringify(this.discovery()) === this.discoveryKey) return;
    const old = this.index;
    const index = (this.index = this.createIndex());
    old.dispose();
    this.table.reset([]);
    const open = this.options.openDocuments?.() ?? [];
    void (async () => {
      for (const d of open) if (d.file.endsWith('.py')) await index.updateText(d.file, d.text, d.version);
      if (this.scanned && index === this.index) await this.scan();
    })().catch(() => undefined);
  }

  /** Open a workspace folder: load its config, scan its DAG files, optionally connect the DB. */
  static async open(root: string, settings: Settings = DEFAULT_SETTINGS, options: ProjectOptions = {}): Promise<Project> {
    const project = new Project(path.resolve(root), settings, options);
    if (options.scan !== false) await project.scan(options.isCancelled);
    if (options.connectDb) await project.db.connect(options.password ?? null);
    return project;
  }

  async scan(isCancelled?: () => boolean): Promise<void> {
    const index = this.index;
    this.scanned = true;
    await index.scan({ get isCancellationRequested() { return isCancelled?.() ?? false; } });
    if (index !== this.index) return;
    // A scan may also drop files it no longer finds, which its change event does not list.
    this.table.reset(index.files());
    this.changed('index');
  }

  /** Mirror the index's changed files into the table; a large batch (a scan) rebuilds it. */
  private syncTable(files: string[]): void {
    if (files.length > 64 || files.length * 2 > this.table.fileCount + 2) {
      this.table.reset(this.index.files());
      return;
    }
    for (const f of files) this.table.update(f, this.index.getFile(f));
  }

  onDidChange(listener: (kind: ChangeKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(kind: ChangeKind): void {
    this.generation++;
    for (const l of this.listeners) l(kind);
  }

  /** Absolute path the config is (or would be) read from. */
  configPath(): string {
    return this.configFile ?? path.resolve(this.root, this.settings.configPath);
  }

  isConfigFile(file: string): boolean {
    return path.resolve(file) === this.configPath();
  }

  /** (Re)load the config from disk, or from `text` when the YAML is open in an editor. */
  reloadConfig(text?: string): void {
    this.loadConfig(text);
    this.rebuildIndexIfNeeded();
    this.changed('config');
  }

  private loadConfig(text?: string): void {
    const file = findConfigFile(this.root, this.settings.configPath) ?? null;
    this.configFile = file;
    if (!file) {
      this.config = null;
      this.configText = null;
      this.configProblems = [];
    } else {
      let source = text;
      if (source === undefined) {
        try {
          source = fs.readFileSync(file, 'utf8');
        } catch {
          source = undefined;
        }
      }
      if (source === undefined) {
        this.config = null;
        this.configText = null;
        this.configProblems = [];
      } else {
        const result = loadConfigText(file, source);
        this.configText = source;
        this.configProblems = result.problems;
        const broken = result.problems.some((p) => p.severity === 'error');
        if (broken && this.lastGoodConfig?.file === file) {
          this.config = this.lastGoodConfig;
          this.configStale = true;
          return;
        }
        this.config = result.config;
        if (!broken) this.lastGoodConfig = result.config;
      }
    }
    this.configStale = false;
  }

  updateSettings(settings: Settings): void {
    this.settings = settings;
    this.reloadConfig();
    this.changed('settings');
  }

  /** Airflow version to assume: the setting, else the config's, else null (latest). */
  airflowVersion(): string | null {
    return this.settings.airflowVersion ?? this.config?.airflow.version ?? null;
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
    const override = this.settings.airflowVersion;
    const config = this.config && override ? { ...this.config, airflow: { ...this.config.airflow, version: override } } : this.config;
    const dbGrants = dag.dagId.kind === 'static' ? this.db.dagGrants(dag.dagId.value) : undefined;
    const computed = computeDagAccess({ dag, file, config, dbGrants });
    const failure = importFailure(facts);
    // A file Airflow cannot import registers no DAG: nothing it says grants anything.
    const access: DagAccess = failure ? { ...computed, roles: [], conflicts: [], summary: { canRead: 0, canEdit: 0, canDelete: 0, nonAdminReachable: false, perDagRoles: 0 }, notImported: failure.sentence } : computed;
    this.accessCache.set(key, { gen: this.generation, version: facts?.version ?? -1, access });
    return access;
  }

  /** Team owning a DAG file (config `teams:` paths globs, relative to the root), or null. */
  teamOf(file: string): string | null {
    return teamOfFile(this.config, this.root, file);
  }

  /** Called by the DB layer after a (re)connect or a refresh. */
  notifyDbChanged(): void {
    this.changed('db');
  }

  async dispose(): Promise<void> {
    this.unsubscribeIndex?.();
    this.listeners.clear();
    this.index.dispose();
    await this.db.close();
  }
}
