/** Messages between the index and its parse workers. */

export interface WorkerJob {
  file: string;
  safeMode: boolean;
  /** Size and mtime from discovery, so the worker does not stat the file again. */
  stat?: { size: number; mtimeMs: number };
}

export interface WorkerRequest {
  id: number;
  jobs: WorkerJob[];
}

/**
 * `facts`: the batch's FileFacts[] as JSON. A JSON string is copied between threads as one flat block,
 * and JSON.parse rebuilds the objects about twice as fast as structured clone would on the main thread,
 * which shares the cores with the workers during a scan. (Facts are plain JSON data: the on-disk cache
 * stores them the same way.)
 */
export type WorkerResponse = { id: number; facts: string; timing: WorkerTiming } | { id: number; error: string };

/** Milliseconds the worker spent on the batch, by stage (summed into the scan's stage figures). */
export interface WorkerTiming {
  readParseMs: number;
  extractMs: number;
  /** JSON.stringify of the batch's facts. */
  encodeMs: number;
}
