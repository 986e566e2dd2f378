/**
 * Cold-scan analysis of many files: facts from the on-disk cache when path, mtime, size and safe mode
 * match; the rest parsed in worker threads (in-thread when few files or workers cannot start).
 */
import * as os from 'os';
import type { Parser } from 'web-tree-sitter';
import type { FileFacts } from '../model/facts';
import { analyseDisk } from './analyseFile';
import type { DiscoveredFile } from './discovery';
import type { CacheEntry } from './factsCache';
import { compileShared } from '../parsing/sharedWasm';
import { WorkerPool, type PoolTiming } from './workerPool';

/** Below this many files to parse, starting workers costs more than it saves. */
export const WORKER_THRESHOLD = 64;

export interface ScanInput {
  files: DiscoveredFile[];
  safeMode: boolean;
  cache: Map<string, CacheEntry>;
  parser: () => Promise<Parser>;
  wasmDir?: string;
  /** Worker count; 0 disables workers. Default: os.availableParallelism(). */
  workers?: number;
  token?: { isCancellationRequested: boolean };
  /** Workers started while the files were being discovered (see startWorkers); closed here. */
  started?: Promise<WorkerPool | null>;
  /** Facts as they are analysed (cached ones first, in one call), for an index that streams them. */
  onFacts?: (facts: FileFacts[]) => void;
}

export interface ScanOutput {
  facts: FileFacts[];
  parsed: number;
  cached: number;
  usedWorkers: number;
  /** Summed stage times of the workers (null when files were parsed in-thread). */
  timing: PoolTiming | null;
}

/**
 * Start `size` parse workers (each loads the grammar right away). A cold scan starts them before it
 * discovers the files, so thread start-up and wasm instantiation overlap the directory walk.
 */
export async function startWorkers(size: number, wasmDir?: string): Promise<WorkerPool | null> {
  if (size < 1) return null;
  const shared = await compileShared(wasmDir).catch(() => undefined);
  return WorkerPool.create(size, wasmDir, shared);
}

export async function analyseAll(input: ScanInput): Promise<ScanOutput> {
  const out: FileFacts[] = new Array(input.files.length);
  const todo: number[] = [];
  input.files.forEach((f, i) => {
    const c = input.cache.get(f.file);
    if (c && c.mtimeMs === f.mtimeMs && c.size === f.size && c.safeMode === input.safeMode) out[i] = c.facts;
    else todo.push(i);
  });
  if (todo.length < input.files.length) input.onFacts?.(out.filter((f): f is FileFacts => !!f));
  let usedWorkers = 0;
  let timing: PoolTiming | null = null;
  const wanted = Math.min(input.workers ?? os.availableParallelism(), Math.ceil(todo.length / 32));
  let remaining = todo;
  const started = input.started ? await input.started : null;
  if (todo.length >= WORKER_THRESHOLD && wanted > 0) {
    const pool = started ?? (await startWorkers(wanted, input.wasmDir));
    if (pool) {
      try {
        const jobs = todo.map((i) => ({ file: input.files[i]!.file, safeMode: input.safeMode, stat: { size: input.files[i]!.size, mtimeMs: input.files[i]!.mtimeMs } }));
        const facts = await pool.run(jobs, 32, input.token, 2, input.onFacts && ((_start, batch) => input.onFacts!(batch)));
        todo.forEach((i, k) => {
          if (facts[k]) out[i] = facts[k]!;
        });
        remaining = todo.filter((i) => !out[i]);
        usedWorkers = pool.size;
        timing = pool.timing;
      } catch {
        remaining = todo.filter((i) => !out[i]);
      } finally {
        await pool.close();
      }
    }
  } else {
    await started?.close();
  }
  if (remaining.length) {
    const parser = await input.parser();
    let chunk: FileFacts[] = [];
    for (const i of remaining) {
      if (input.token?.isCancellationRequested) break;
      const f = input.files[i]!;
      chunk.push((out[i] = analyseDisk(parser, f.file, { safeMode: input.safeMode }, { size: f.size, mtimeMs: f.mtimeMs })));
      if (chunk.length === 50) {
        input.onFacts?.(chunk);
        chunk = [];
        await new Promise((r) => setImmediate(r));
      }
    }
    if (chunk.length) input.onFacts?.(chunk);
  }
  const facts = out.filter((f): f is FileFacts => !!f);
  return { facts, parsed: todo.length, cached: input.files.length - todo.length, usedWorkers, timing };
}
