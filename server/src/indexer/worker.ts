/**
 * Worker-thread entry: analyses batches of files from disk and posts their facts back.
 * Bundled as dist/indexWorker.js; compiled as out/.../indexer/worker.js for tests.
 */
import { parentPort, workerData } from 'worker_threads';
import type { Parser } from 'web-tree-sitter';
import { createSharedParser, type SharedWasm } from '../parsing/sharedWasm';
import { createPythonParser } from '../parsing/treeSitter';
import { analyseDisk } from './analyseFile';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';

let parser: Promise<Parser> | undefined;

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
  try {
    const data = workerData as { wasmDir?: string; shared?: SharedWasm } | undefined;
    parser ??= data?.shared ? createSharedParser(data.shared).catch(() => createPythonParser(data.wasmDir)) : createPythonParser(data?.wasmDir);
    const p = await parser;
    return { id: req.id, facts: JSON.stringify(req.jobs.map((j) => analyseDisk(p, j.file, { safeMode: j.safeMode }))) };
  } catch (e) {
    return { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
}

parentPort?.on('message', (req: WorkerRequest) => {
  void handle(req).then((res) => parentPort?.postMessage(res));
});
