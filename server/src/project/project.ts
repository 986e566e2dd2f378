/**
 * A Project is one workspace folder: its WorkspaceIndex (facts of every DAG file), its loaded
 * role-mapping config and, when a database is configured and connected, the metadata DB state.
 * Pure TypeScript: the language server and the CLI (`airflow-access check`) both drive it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { accessUnlessNotImported } from './importFailure';
import type { AccessConfig, ConfigProblem } from '../model/config';
import type { DagAccess } from '../model/access';
import type { DagFact, FileFacts } from '../model/facts';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { WorkspaceIndex } from '../indexer';
import type { Parser } from 'web-tree-sitter';
import { CONFIG_FILE_NAMES, findConfigFile, isPythonConfig, loadConfigText } from '../config';
import { discoverSeedDag, type SeedDagDiscovery } from './discoverSeedDag';
import { createPythonParser } from '../parsing/treeSitter';
import { computeDagAccess } from '../engine/dagAccess';
import { teamOfFile } from '../engine/teams';
import { DagTable, type DagRef } from './dagTable';
import { ProjectDb } from './projectDb';
import { loadAuthUsers, type AuthUsers } from './authUsers';

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
  /**
   * One line for the user when the config was not named but found: a workspace DAG file defining
   * `role_mappings = [...]` (the MWAA sync DAG) used because there is no airflow-access.yaml.
   */
  configNotice: string | null = null;
  /** Parses a `.py` config (the MWAA sync DAG); created when such a config is first needed. */
  private pythonParser: Parser | null;
  private discovered: SeedDagDiscovery | null;
  /** The config's problems of error severity (the config then is its last valid version, or partial). */
  configErrors(): ConfigProblem[] {
    return this.configProblems.filter((p) => p.severity === 'error');
  }

  /** Users of the file / simple auth manager found in the workspace (read with the config). */
  authUsers: AuthUsers = { fileUsers: null, simpleUsers: null };

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
    prepared: PreparedConfig = { parser: null, discovered: null },
  ) {
    this.pythonParser = prepared.parser;
    this.discovered = prepared.discovered;
    this.nestedRoots = [...(options.nestedRoots ?? [])].sort();
    this.loadConfig();
    this.loadAuthUsers();
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
    const abs = path.resolve(root);
    const project = new Project(abs, settings, options, await prepareConfig(abs, settings, options.wasmDir));
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

  /**
   * (Re)load the config from disk, or from `text` when it is open in an editor. Synchronous unless the
   * config is a `.py` file and the Python parser is not loaded yet (the promise then settles once it is).
   */
  reloadConfig(text?: string): Promise<void> {
    const apply = () => {
      this.loadConfig(text);
      this.loadAuthUsers();
      this.rebuildIndexIfNeeded();
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
    this.configFile = file;
    this.configNotice = file && file === this.discovered?.file ? discoveryNotice(this.root, this.discovered) : null;
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
        const result = loadConfigText(file, source, { pythonParser: this.pythonParser ?? undefined });
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

  private loadAuthUsers(): void {
    this.authUsers = loadAuthUsers(this.root, this.config, this.options.env ?? process.env);
  }

  /** New settings: the config is looked for again (and, without airflow-access.yaml, the sync DAG rediscovered). */
  async updateSettings(settings: Settings): Promise<void> {
    this.settings = settings;
    if (!findConfigFile(this.root, settings.configPath) && usesDefaultConfigPath(settings)) {
      this.discovered = await discoverSeedDag({ root: this.root, include: settings.dags.include, exclude: settings.dags.exclude });
    }
    await this.reloadConfig();
    this.changed('settings');
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

interface PreparedConfig {
  parser: Parser | null;
  discovered: SeedDagDiscovery | null;
}

function usesDefaultConfigPath(settings: Settings): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(settings.configPath.trim());
}

/**
 * Before a Project loads its config: without airflow-access.yaml (and no other config named), look for
 * a DAG file defining `role_mappings = [...]`; load the Python parser when the config is a `.py` file.
 */
async function prepareConfig(root: string, settings: Settings, wasmDir?: string): Promise<PreparedConfig> {
  let file = findConfigFile(root, settings.configPath);
  let discovered: SeedDagDiscovery | null = null;
  if (!file && usesDefaultConfigPath(settings)) {
    discovered = await discoverSeedDag({ root, include: settings.dags.include, exclude: settings.dags.exclude });
    file = discovered.file;
  }
  const parser = file && isPythonConfig(file) ? await createPythonParser(wasmDir).catch(() => null) : null;
  return { parser, discovered };
}

function discoveryNotice(root: string, d: SeedDagDiscovery): string {
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const others = d.candidates.length > 1 ? ` (${d.candidates.length - 1} other file(s) also define role_mappings: ${d.candidates.slice(1, 4).map(rel).join(', ')})` : '';
  return `No airflow-access.yaml: using the role_mappings list of ${rel(d.file!)}${others}.`;
}
