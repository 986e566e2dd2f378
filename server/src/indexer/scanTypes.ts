/**
 * What a WorkspaceIndex scan reports: progress, result, stage times and counters; and the buffer that
 * hands a streaming scan's files to the index's listeners in batches.
 */

/** Where a scan is: walking the folders, analysing files (`done` of `total`), or resolving imports. */
export interface ScanProgress {
  phase: 'discovering' | 'analysing' | 'resolving';
  done: number;
  total: number;
}

export interface ScanHooks {
  onProgress?: (p: ScanProgress) => void;
  /** Hand facts to the listeners in batches while the scan runs (every `streamMs`, default 250). */
  stream?: boolean;
  streamMs?: number;
}

export interface ScanResult {
  files: number;
  dags: number;
  ms: number;
  /** A newer scan or dispose stopped this one: the index keeps what it had streamed so far. */
  cancelled: boolean;
}

/**
 * Where a scan's time went (the bench's per-stage rows). Wall times on the main thread: `discoverMs`
 * (walk + stat, cache read), `analyseMs` (until the last file's facts are in), `finishMs` (imported
 * modules, cache write). CPU summed over the workers: `readParseMs`, `extractMs`, `encodeMs`; and the
 * main thread's `decodeMs` of their facts.
 */
export interface ScanStages {
  discoverMs: number;
  analyseMs: number;
  finishMs: number;
  readParseMs: number;
  extractMs: number;
  encodeMs: number;
  decodeMs: number;
}

/** Analyses counted for tests and logs: a change on disk analysed twice shows here. */
export interface IndexCounters {
  textAnalyses: number;
  diskAnalyses: number;
  scans: number;
  cancelledScans: number;
}

/** Files streamed by a running scan, handed on at most every `everyMs`. */
export class StreamedFacts {
  private files: string[] = [];
  private last = Date.now();

  constructor(
    private readonly everyMs: number,
    private readonly flush: (files: string[]) => void,
  ) {}

  /** Files added and not handed on yet. */
  drain(): string[] {
    const files = this.files;
    this.files = [];
    return files;
  }

  add(file: string): void {
    if (this.everyMs === Infinity) return;
    this.files.push(file);
    if (Date.now() - this.last < this.everyMs) return;
    this.last = Date.now();
    const files = this.files;
    this.files = [];
    this.flush(files);
  }
}
