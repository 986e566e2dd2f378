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
import { WorkerPool } from './workerPool';

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
}

export interface ScanOutput {
  facts: FileFacts[];
  parsed: number;
  cached: number;
  usedWorkers: number;
}

export async function analyseAll(input: ScanInput): Promise<ScanOutput> {
  const out: FileFacts[] = new Array(input.files.length);
  const todo: number[] = [];
  input.files.forEach((f, i) => {
    const c = input.cache.get(f.file);
    if (c && c.mtimeMs === f.mtimeMs && c.size === f.size && c.safeMode === input.safeMode) out[i] = c.facts;
    else todo.push(i);
  });
  let usedWorkers = 0;
  const wanted = Math.min(input.workers ?? os.availableParallelism(), Math.ceil(todo.length / 32));
  let remaining = todo;
  if (todo.length >= WORKER_THRESHOLD && wanted > 0) {
    const shared = await compileShared(input.wasmDir).catch(() => undefined);
    const pool = WorkerPool.create(wanted, input.wasmDir, shared);
    if (pool) {
      try {
        const facts = await pool.run(todo.map((i) => ({ file: input.files[i]!.file, safeMode: input.safeMode })), 32, input.token);
        todo.forEach((i, k) => {
          if (facts[k]) out[i] = facts[k]!;
        });
        remaining = todo.filter((i) => !out[i]);
        usedWorkers = wanted;
      } catch {
        remaining = todo.filter((i) => !out[i]);
      } finally {
        await pool.close();
      }
    }
  }
  if (remaining.length) {
    const parser = await input.parser();
    let n = 0;
    for (const i of remaining) {
      if (input.token?.isCancellationRequested) break;
      out[i] = analyseDisk(parser, input.files[i]!.file, { safeMode: input.safeMode });
      if (++n % 50 === 0) await new Promise((r) => setImmediate(r));
    }
  }
  const facts = out.filter((f): f is FileFacts => !!f);
  return { facts, parsed: todo.length, cached: input.files.length - todo.length, usedWorkers };
}
