/**
 * A Project's scan as the rest of the server sees it: the running scan's progress (null once the
 * index is complete), listeners to it, waiters for "complete", how the scans ended, and the line that
 * answers needing the whole folder carry while it runs. Pure TypeScript, no LSP.
 */
import type { ScanProgress } from '../indexer/workspaceIndex';

/** A scan in progress: files analysed so far and files found (0 while the folders are still walked). */
export type IndexingState = ScanProgress;

export interface ScanCounts {
  scansStarted: number;
  scansCompleted: number;
  scansCancelled: number;
  scansFailed: number;
}

export class IndexingTracker {
  private state: IndexingState | null = null;
  private readonly listeners = new Set<(state: IndexingState | null) => void>();
  private idleWaiters: (() => void)[] = [];
  private error: string | null = null;
  readonly counts: ScanCounts = { scansStarted: 0, scansCompleted: 0, scansCancelled: 0, scansFailed: 0 };

  /** `pending`: true while a rescan is scheduled but not started (the index is not complete then either). */
  constructor(private readonly pending: () => boolean) {}

  get current(): IndexingState | null {
    return this.state;
  }

  get lastError(): string | null {
    return this.error;
  }

  set(state: IndexingState | null): void {
    if (state === null && this.state === null) return;
    this.state = state;
    for (const l of [...this.listeners]) {
      try {
        l(state);
      } catch {
        // a failing listener must not stop the scan
      }
    }
    if (!state) this.checkIdle();
  }

  onChange(listener: (state: IndexingState | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  started(): void {
    this.counts.scansStarted++;
  }

  completed(): void {
    this.counts.scansCompleted++;
    this.error = null;
  }

  cancelled(): void {
    this.counts.scansCancelled++;
  }

  failed(message: string): void {
    this.counts.scansFailed++;
    this.error = message;
  }

  /** Resolves once no scan runs and none is pending. */
  whenIdle(): Promise<void> {
    return this.busy() ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  /** Call when a pending rescan was dropped or started: waiters may be released. */
  checkIdle(): void {
    if (this.busy()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** The line answers needing the whole folder carry while it is being indexed, or null. */
  partialNote(): string | null {
    const s = this.state;
    if (!s) return null;
    const n = (x: number) => x.toLocaleString('en-US');
    const where = s.phase === 'discovering' ? `finding files (${n(s.total)} so far)` : s.phase === 'resolving' ? `resolving imports of ${n(s.total)} files` : `${n(s.done)} / ${n(s.total)} files`;
    return `indexing: ${where} — answer may be partial`;
  }

  /** The project is gone: no more events, and nobody waits for a scan that will not end. */
  dispose(): void {
    this.listeners.clear();
    this.state = null;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private busy(): boolean {
    return this.pending() || this.state !== null;
  }
}
