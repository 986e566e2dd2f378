/**
 * The index lifecycle of a Project: its current WorkspaceIndex, the scans of it (progress, cancellation,
 * failures) and its replacement, debounced, when the discovery options change (globs, safe mode,
 * `.airflowignore` syntax). The Project owns the config and the database; this owns the index and keeps
 * the Project's DagTable in step with it. Pure TypeScript, no LSP.
 */
import { WorkspaceIndex } from '../indexer';
import type { IndexCounters } from '../indexer/workspaceIndex';
import type { DagTable } from './dagTable';
import { IndexingTracker, type IndexingState, type ScanCounts } from './indexingState';
import type { DiscoveryGlobs } from './projectConfig';

export interface ProjectIndexHost {
  root: string;
  options: {
    wasmDir?: string;
    cacheDir?: string;
    openDocuments?: () => { file: string; text: string; version: number }[];
    warn?: (message: string) => void;
    rescanDelayMs?: number;
  };
  table: DagTable;
  /** Which files are DAG files and how they are found, as of now. */
  discovery: () => DiscoveryGlobs;
  /** The index changed (facts, or the whole index replaced). */
  changed: () => void;
}

export class ProjectIndex {
  private currentIndex: WorkspaceIndex;
  private unsubscribeIndex: (() => void) | undefined;
  private discoveryKey = '';
  private scanned = false;
  private rescanTimer: NodeJS.Timeout | undefined;
  readonly indexing = new IndexingTracker(() => this.rescanTimer !== undefined);

  constructor(private readonly host: ProjectIndexHost) {
    this.currentIndex = this.createIndex();
  }

  get index(): WorkspaceIndex {
    return this.currentIndex;
  }

  private createIndex(): WorkspaceIndex {
    const d = this.host.discovery();
    this.discoveryKey = JSON.stringify(d);
    const index = new WorkspaceIndex({ root: this.host.root, ...d, wasmDir: this.host.options.wasmDir, cacheDir: this.host.options.cacheDir });
    this.unsubscribeIndex?.();
    this.unsubscribeIndex = index.onDidChange((files) => {
      if (index !== this.currentIndex) return;
      this.syncTable(files);
      this.host.changed();
    });
    return index;
  }

  private discoveryChanged(): boolean {
    return JSON.stringify(this.host.discovery()) !== this.discoveryKey;
  }

  /**
   * After the settings, the config, the Airflow version or the nested folders changed the discovery
   * options: a fresh index, rescanned once the changes stop for `rescanDelayMs` (a config typed key by
   * key rescans once). Going back to the current options before then cancels the pending rescan.
   */
  rebuildIfNeeded(): void {
    clearTimeout(this.rescanTimer);
    this.rescanTimer = undefined;
    if (!this.discoveryChanged()) return this.indexing.checkIdle();
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      void this.rebuild();
    }, this.host.options.rescanDelayMs ?? 300);
  }

  /** Rebuild now (no pause) when the discovery options changed; resolves once the new scan ended. */
  async rebuildNowIfNeeded(): Promise<void> {
    clearTimeout(this.rescanTimer);
    this.rescanTimer = undefined;
    await this.rebuild();
  }

  /** Swap in a fresh index: the old one's scan is cancelled before its parser is freed. */
  private async rebuild(): Promise<void> {
    if (!this.discoveryChanged()) return this.indexing.checkIdle();
    const old = this.currentIndex;
    const index = (this.currentIndex = this.createIndex());
    // Busy from now until the new scan ends (a request waiting for the whole index must not see the empty one).
    this.indexing.set(this.scanned ? { phase: 'discovering', done: 0, total: 0 } : null);
    void old.dispose();
    this.host.table.reset([]);
    this.host.changed();
    try {
      for (const d of this.host.options.openDocuments?.() ?? []) if (d.file.endsWith('.py')) await index.updateText(d.file, d.text, d.version);
    } catch (e) {
      if (index === this.currentIndex) (this.indexing.set(null), this.reportScanError(e));
      return;
    }
    if (this.scanned && index === this.currentIndex) await this.scanInBackground();
  }

  /** See Project.scan. */
  async scan(isCancelled?: () => boolean, opts: { stream?: boolean } = {}): Promise<void> {
    const index = this.currentIndex;
    this.scanned = true;
    this.indexing.started();
    this.indexing.set({ phase: 'discovering', done: 0, total: 0 });
    let cancelled = false;
    try {
      // In the background, answers already asked for (the open documents') go first.
      if (opts.stream) await new Promise((r) => setImmediate(r));
      const res = await index.scan(
        { get isCancellationRequested() { return isCancelled?.() ?? false; } },
        { stream: opts.stream, onProgress: (p) => index === this.currentIndex && this.indexing.set(p) },
      );
      cancelled = res.cancelled;
    } catch (e) {
      if (index !== this.currentIndex) this.indexing.cancelled();
      else {
        this.indexing.set(null);
        this.reportScanError(e);
      }
      throw e;
    }
    if (index !== this.currentIndex || cancelled) {
      this.indexing.cancelled();
      // Cancelled by its caller, with no newer scan of this index to end the progress: end it here.
      if (index === this.currentIndex && !index.scanning) this.indexing.set(null);
      return;
    }
    this.indexing.completed();
    this.indexing.set(null);
    // A scan may also drop files it no longer finds, which its change event does not list.
    this.host.table.reset(index.files());
    this.host.changed();
  }

  scanInBackground(): Promise<void> {
    return this.scan(undefined, { stream: true }).catch(() => undefined);
  }

  private reportScanError(e: unknown): void {
    const message = `indexing ${this.host.root} failed: ${e instanceof Error ? e.message : String(e)}`;
    this.indexing.failed(message);
    this.host.options.warn?.(message);
    this.host.changed();
  }

  counters(): IndexCounters & ScanCounts {
    return { ...this.currentIndex.counters, ...this.indexing.counts };
  }

  /** See Project.indexingState. */
  state(): IndexingState | null {
    return this.indexing.current;
  }

  /**
   * Mirror the index's changed files into the table; a batch bigger than half the table (the end of a
   * scan) rebuilds it. A streaming scan's batches are added file by file: rebuilding the whole table
   * for each would cost O(files) every quarter second.
   */
  private syncTable(files: string[]): void {
    const table = this.host.table;
    if (files.length * 2 > table.fileCount + 2) {
      table.reset(this.currentIndex.files());
      return;
    }
    for (const f of files) table.update(f, this.currentIndex.getFile(f));
  }

  async dispose(): Promise<void> {
    clearTimeout(this.rescanTimer);
    this.rescanTimer = undefined;
    this.unsubscribeIndex?.();
    this.indexing.dispose();
    await this.currentIndex.dispose();
  }
}
