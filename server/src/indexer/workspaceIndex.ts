/**
 * WorkspaceIndex: the single source of truth for the facts of one workspace folder.
 * Raw per-file facts come from extraction (scan, editor text, disk changes); the facts it hands out
 * have cross-file values resolved, and are re-resolved when a module they import changes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import type { FileFacts } from '../model/facts';
import { createPythonParser } from '../parsing/treeSitter';
import type { IgnoreProblem, IgnoreSyntax } from './airflowIgnore';
import { analyseDisk, analyseText, skippedFacts } from './analyseFile';
import { CrossFileResolver } from './crossFile';
import { loadImportTargets } from './importTargets';
import { discoverFiles, exclusionReason, IGNORE_FILE } from './discovery';
import { cacheContentsOf, FactsCache, type CacheContents, type CacheEntry } from './factsCache';
import { ModuleLocations } from './moduleLocator';
import { notify } from './notify';
import { OpenTrees } from './openTrees';
import { analyseAll, startWorkers, WORKER_THRESHOLD } from './scanFiles';
import { StreamedFacts, type IndexCounters, type ScanHooks, type ScanResult, type ScanStages } from './scanTypes';

export type { IndexCounters, ScanHooks, ScanProgress, ScanResult, ScanStages } from './scanTypes';
import type { WorkerPool } from './workerPool';

export interface WorkspaceIndexOptions {
  root: string;
  safeMode?: boolean;
  include?: string[];
  exclude?: string[];
  ignoreSyntax?: IgnoreSyntax;
  wasmDir?: string;
  cacheDir?: string | null;
  /** Parse workers for cold scans; 0 parses in-thread. Default: os.availableParallelism(). */
  workers?: number;
}

export interface CancellationLike {
  readonly isCancellationRequested: boolean;
}

export class WorkspaceIndex {
  readonly root: string;
  /** Problems found in .airflowignore files during the last scan. */
  ignoreProblems: IgnoreProblem[] = [];
  lastScan: { files: number; dags: number; ms: number; parsed: number; cached: number; workers: number; stages: ScanStages } | null = null;
  private readonly raw = new Map<string, FileFacts>();
  /** Modules read only because DAG files import them (ignored or safe-mode-skipped files). */
  private readonly aux = new Map<string, FileFacts>();
  private readonly stats = new Map<string, { mtimeMs: number; size: number }>();
  private readonly open = new OpenTrees();
  private readonly openFiles = new Set<string>();
  private readonly listeners = new Set<(changedFiles: string[]) => void>();
  private readonly resolver: CrossFileResolver;
  private readonly modules: ModuleLocations;
  /** Per-file exclusion reasons (reading .airflowignore files costs I/O on every keystroke otherwise). */
  private readonly exclusions = new Map<string, string | null>();
  /** Module facts from the on-disk cache, used by loadImportTargets when still fresh. */
  private cachedModules = new Map<string, CacheEntry>();
  /** Set when facts changed since the cache was read (the cache is rewritten after the scan). */
  private cacheDirty = false;
  private modulesParsed = 0;
  private parser?: Promise<Parser>;
  private running: { cancelled: boolean; cancel: () => void; done: Promise<void> } | null = null;
  private disposed = false;
  readonly counters: IndexCounters = { textAnalyses: 0, diskAnalyses: 0, scans: 0, cancelledScans: 0 };

  constructor(private readonly opts: WorkspaceIndexOptions) {
    this.root = path.resolve(opts.root);
    this.modules = new ModuleLocations(this.root, (p) => this.raw.has(p) || this.aux.has(p));
    this.resolver = new CrossFileResolver(
      (f) => this.sourceFacts(f),
      (m, from) => this.locate(m, from),
    );
  }

  private get safeMode(): boolean {
    return this.opts.safeMode ?? true;
  }

  private getParser(): Promise<Parser> {
    if (this.disposed) return Promise.reject(new Error('the index was disposed'));
    this.parser ??= createPythonParser(this.opts.wasmDir);
    return this.parser;
  }

  private locate(module: string, fromFile: string): string | null {
    return this.modules.locate(module, fromFile);
  }

  /** Forget file-existence answers (a file was created or deleted). */
  private forgetFiles(): void {
    this.modules.forget();
  }

  private exclusion(file: string): string | null {
    let r = this.exclusions.get(file);
    if (r === undefined) {
      r = exclusionReason(file, this.discoveryOptions());
      this.exclusions.set(file, r);
    }
    return r;
  }

  private sourceFacts(file: string): FileFacts | undefined {
    const r = this.raw.get(file);
    return r && !r.skipped ? r : (this.aux.get(file) ?? r);
  }

  /**
   * Find and analyse every DAG file. A newer scan (or `dispose`) cancels this one: it then returns
   * `cancelled: true` without its end-of-scan change event. With `stream`, facts reach the index and
   * its listeners in batches while the scan runs (cross-file answers are final only at the end).
   */
  async scan(token?: CancellationLike, hooks: ScanHooks = {}): Promise<ScanResult> {
    const previous = this.running;
    previous?.cancel();
    const mine = { cancelled: false, cancel: () => (mine.cancelled = true), done: Promise.resolve() };
    this.running = mine;
    const stop: CancellationLike = { get isCancellationRequested() { return mine.cancelled || (token?.isCancellationRequested ?? false); } };
    const run = (async (): Promise<ScanResult> => {
      await previous?.done;
      try {
        return await this.scanNow(stop, hooks);
      } catch (e) {
        // Stopped half-way (dispose frees the parser, the pool is closed): a cancellation, not a failure.
        if (stop.isCancellationRequested) return { files: 0, dags: 0, ms: 0, cancelled: true };
        throw e;
      }
    })();
    mine.done = run.then(() => undefined, () => undefined);
    try {
      const res = await run;
      if (res.cancelled) this.counters.cancelledScans++;
      return res;
    } finally {
      if (this.running === mine) this.running = null;
    }
  }

  private async scanNow(token: CancellationLike, hooks: ScanHooks): Promise<ScanResult> {
    const t0 = Date.now();
    const cancelled = (): ScanResult => ({ files: 0, dags: 0, ms: Date.now() - t0, cancelled: true });
    if (token.isCancellationRequested) return cancelled();
    const cache = this.opts.cacheDir ? new FactsCache(this.opts.cacheDir, this.root) : null;
    const cached: CacheContents = cache?.load() ?? { files: new Map(), modules: new Map() };
    // Nothing cached and nothing indexed yet: every file found will be parsed. Once the walk has found
    // enough of them for workers to pay off, they start and load the grammar while the walk goes on.
    const cold = cached.files.size === 0 && this.raw.size <= this.openFiles.size && this.opts.workers !== 0;
    let started: Promise<WorkerPool | null> | undefined;
    const prestart = (found: number): void => {
      hooks.onProgress?.({ phase: 'discovering', done: 0, total: found });
      if (cold && !started && found >= WORKER_THRESHOLD) started = startWorkers(this.opts.workers ?? os.availableParallelism(), this.opts.wasmDir).catch(() => null);
    };
    let found: Awaited<ReturnType<typeof discoverFiles>>;
    try {
      found = await discoverFiles(this.discoveryOptions(), token, prestart);
    } catch (e) {
      await (await started)?.close();
      throw e;
    }
    if (token.isCancellationRequested) {
      await (await started)?.close();
      return cancelled();
    }
    const tDiscovered = Date.now();
    this.ignoreProblems = found.problems;
    this.exclusions.clear();
    this.cachedModules = cached.modules;
    const onDisk = found.files.filter((f) => !this.openFiles.has(f.file));
    const total = found.files.length;
    let done = total - onDisk.length;
    const stream = new StreamedFacts(hooks.stream ? (hooks.streamMs ?? 250) : Infinity, (files) => {
      this.forgetFiles();
      const changed = this.resolver.invalidate(files);
      this.emit([...changed].filter((f) => this.raw.has(f)));
    });
    const onFacts = (facts: FileFacts[]): void => {
      for (const f of facts) {
        if (this.openFiles.has(f.file)) continue;
        this.raw.set(f.file, f);
        stream.add(f.file);
      }
      done += facts.length;
      hooks.onProgress?.({ phase: 'analysing', done, total });
    };
    hooks.onProgress?.({ phase: 'analysing', done, total });
    const res = await analyseAll({ files: onDisk, safeMode: this.safeMode, cache: cached.files, parser: () => this.getParser(), wasmDir: this.opts.wasmDir, workers: this.opts.workers, token, onFacts, ...(started ? { started } : {}) });
    this.counters.diskAnalyses += res.parsed;
    if (token.isCancellationRequested) return cancelled();
    const tAnalysed = Date.now();
    hooks.onProgress?.({ phase: 'resolving', done: total, total });
    const keep = new Set(found.files.map((f) => f.file));
    const gone: string[] = [];
    for (const f of [...this.raw.keys()]) if (!keep.has(f) && !this.openFiles.has(f)) (this.raw.delete(f), gone.push(f));
    for (const f of onDisk) this.stats.set(f.file, { mtimeMs: f.mtimeMs, size: f.size });
    // A document opened while the scan ran keeps its editor text.
    for (const f of res.facts) if (!this.openFiles.has(f.file)) this.raw.set(f.file, f);
    this.forgetFiles();
    this.cacheDirty ||= res.parsed > 0 || cached.files.size !== onDisk.length;
    this.modulesParsed = 0;
    const auxBefore = new Map(this.aux);
    await this.loadImportTargets([...this.raw.keys()]);
    if (token.isCancellationRequested) return cancelled();
    if (this.modulesParsed > 0 || this.aux.size !== cached.modules.size) this.cacheDirty = true;
    this.cachedModules = new Map();
    if (cache && this.cacheDirty) {
      cache.save(this.cacheContents());
      this.cacheDirty = false;
    }
    if (hooks.stream) {
      // Streamed files were resolved as they came; redo only what the end of the scan can change: files
      // not handed over yet, files gone, modules read for imports, and files with an unresolved import
      // (with everything that read them). Resolving every file twice doubled the scan's garbage.
      const auxChanged = [...this.aux].filter(([f, facts]) => auxBefore.get(f) !== facts).map(([f]) => f);
      this.resolver.invalidate([...stream.drain(), ...gone, ...auxChanged], true);
    } else this.resolver.clear();
    const dags = [...this.raw.values()].reduce((n, f) => n + f.dags.length, 0);
    const ms = Date.now() - t0;
    const t = res.timing;
    const stages: ScanStages = { discoverMs: tDiscovered - t0, analyseMs: tAnalysed - tDiscovered, finishMs: Date.now() - tAnalysed, readParseMs: t?.readParseMs ?? 0, extractMs: t?.extractMs ?? 0, encodeMs: t?.encodeMs ?? 0, decodeMs: t?.decodeMs ?? 0 };
    this.lastScan = { files: found.files.length, dags, ms, parsed: res.parsed, cached: res.cached, workers: res.usedWorkers, stages };
    this.counters.scans++;
    this.emit([...this.raw.keys()]);
    return { files: found.files.length, dags, ms, cancelled: false };
  }

  private cacheContents(): CacheContents {
    return cacheContentsOf({ files: this.raw, modules: this.aux, stats: this.stats, skip: this.openFiles, safeMode: this.safeMode });
  }

  /** Editor text changed: re-analyse only this file (incrementally when its previous tree is kept). */
  async updateText(file: string, text: string, version: number): Promise<FileFacts> {
    const abs = path.resolve(file);
    const parser = await this.getParser();
    const isNew = !this.raw.has(abs);
    if (isNew) this.forgetFiles();
    this.openFiles.add(abs);
    const excluded = this.exclusion(abs);
    const old = this.open.editedFor(abs, text);
    this.counters.textAnalyses++;
    const { facts, tree } = analyseText(parser, abs, text, version, { safeMode: !excluded && this.safeMode }, old);
    if (tree) this.open.set(abs, version, text, tree);
    if (excluded) {
      if (this.aux.has(abs) || !facts.skipped) this.aux.set(abs, facts);
      this.raw.set(abs, skippedFacts(abs, version, excluded));
    } else {
      this.raw.set(abs, facts);
      if (this.aux.has(abs)) this.aux.set(abs, facts.skipped ? this.analyseModuleText(parser, abs, text, version) : facts);
    }
    await this.afterChange([abs], isNew);
    return this.getFile(abs)!;
  }

  private analyseModuleText(parser: Parser, file: string, text: string, version: number): FileFacts {
    const { facts, tree } = analyseText(parser, file, text, version, { safeMode: false });
    tree?.delete();
    return facts;
  }

  /** The editor closed the document: its facts come from disk again. */
  async closeText(file: string): Promise<void> {
    const abs = path.resolve(file);
    this.openFiles.delete(abs);
    this.open.delete(abs);
    await this.updateFromDisk(abs, { force: true });
  }

  /** A watched file was created or changed on disk (`force`: read it even when its stat did not change). */
  async updateFromDisk(file: string, opts: { force?: boolean } = {}): Promise<void> {
    const abs = path.resolve(file);
    this.forgetFiles();
    if (path.basename(abs) === IGNORE_FILE) {
      await this.scan();
      return;
    }
    if (this.openFiles.has(abs)) return;
    if (!fs.existsSync(abs)) return this.remove(abs);
    const parser = await this.getParser();
    const st = fs.statSync(abs);
    // The same change reported twice (two watchers, or a save and a touch): the facts are current.
    const known = this.stats.get(abs);
    if (!opts.force && known && known.mtimeMs === st.mtimeMs && known.size === st.size && (this.raw.has(abs) || this.aux.has(abs))) return;
    this.stats.set(abs, { mtimeMs: st.mtimeMs, size: st.size });
    const excluded = this.exclusion(abs);
    this.counters.diskAnalyses++;
    if (excluded) this.raw.delete(abs);
    else this.raw.set(abs, analyseDisk(parser, abs, { safeMode: this.safeMode }));
    if (this.aux.has(abs) || excluded) {
      const full = analyseDisk(parser, abs, { safeMode: false });
      if (this.aux.has(abs) || (full.dags.length === 0 && Object.keys(full.exports).length > 0)) this.aux.set(abs, full);
    }
    await this.afterChange([abs], true);
  }

  /** A watched file was deleted. */
  remove(file: string): void {
    const abs = path.resolve(file);
    this.raw.delete(abs);
    this.aux.delete(abs);
    this.stats.delete(abs);
    this.open.delete(abs);
    this.openFiles.delete(abs);
    this.exclusions.delete(abs);
    this.forgetFiles();
    const changed = this.resolver.invalidate([abs]);
    this.emit([...changed]);
  }

  private async afterChange(files: string[], created = false): Promise<void> {
    if (created) this.forgetFiles();
    await this.loadImportTargets(files);
    const changed = this.resolver.invalidate(files, created);
    this.emit([...changed].filter((f) => this.raw.has(f) || files.includes(f)));
  }

  /** Read workspace modules that indexed files import but that discovery left out. */
  private async loadImportTargets(files: string[]): Promise<void> {
    const state = { raw: this.raw, aux: this.aux, stats: this.stats, cachedModules: this.cachedModules, locate: (m: string, from: string) => this.locate(m, from), parser: () => this.getParser() };
    this.modulesParsed += await loadImportTargets(state, files);
  }

  private discoveryOptions() {
    return { root: this.root, include: this.opts.include, exclude: this.opts.exclude, ignoreSyntax: this.opts.ignoreSyntax };
  }

  private emit(files: string[]): void {
    notify(this.listeners, files);
  }

  onDidChange(listener: (changedFiles: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether the file's facts are in the index yet (a file the running scan has not reached is not). */
  isIndexed(file: string): boolean {
    return this.raw.has(path.resolve(file));
  }

  getFile(file: string): FileFacts | undefined {
    const abs = path.resolve(file);
    const raw = this.raw.get(abs);
    // A skipped file stays skipped here even when its module was read for imports.
    return raw?.skipped ? raw : raw ? this.resolver.get(abs) : undefined;
  }

  files(): FileFacts[] {
    return [...this.raw.keys()].sort().map((f) => this.getFile(f)!);
  }

  /**
   * Files that import `symbol` from the module `file` is, or import that module whole (they may call
   * `module.symbol`). For "is this @dag function called anywhere": O(indexed imports).
   */
  importersOf(file: string, symbol: string): string[] {
    const out: string[] = [];
    for (const f of this.files()) {
      if (f.file === file) continue;
      if (f.imports.some((imp) => (imp.symbol === symbol || imp.symbol === '' || imp.symbol === '*') && this.locate(imp.module, f.file) === file)) out.push(f.file);
    }
    return out;
  }

  /** True while a scan runs (its answers may be partial). */
  get scanning(): boolean {
    return this.running !== null;
  }

  /** Stops a running scan, waits for it to let go of the parser, then frees the parser and trees. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.listeners.clear();
    const running = this.running;
    running?.cancel();
    await running?.done;
    this.open.clear();
    const parser = this.parser;
    this.parser = undefined;
    await parser?.then((p) => p.delete()).catch(() => undefined);
  }
}
