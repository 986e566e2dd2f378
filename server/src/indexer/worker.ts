/**
 * Worker-thread entry: analyses batches of files from disk and posts their facts back.
 * Bundled as dist/indexWorker.js; compiled as out/.../indexer/worker.js for tests.
 */
import { parentPort, workerData } from 'worker_threads';
import type { Parser } from 'web-tree-sitter';
import { createSharedParser, type SharedWasm } from '../parsing/sharedWasm';
import { createPythonParser } from '../parsing/treeSitter';
import { analyseDiskGroup } from './analyseFile';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';

let parser: Promise<Parser> | undefined;

function loadParser(): Promise<Parser> {
  const data = workerData as { wasmDir?: string; shared?: SharedWasm } | undefined;
  parser ??= data?.shared ? createSharedParser(data.shared).catch(() => createPythonParser(data.wasmDir)) : createPythonParser(data?.wasmDir);
  return parser;
}

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
  try {
    const p = await loadParser();
    const timing = { readParseMs: 0, extractMs: 0, encodeMs: 0 };
    const facts = analyseDiskGroup(p, req.jobs.map((j) => ({ file: j.file, opts: { safeMode: j.safeMode }, ...(j.stat ? { stat: j.stat } : {}) })), timing);
    const t0 = performance.now();
    const json = JSON.stringify(facts);
    timing.encodeMs = performance.now() - t0;
    return { id: req.id, facts: json, timing };
  } catch (e) {
    return { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
}

// Load the grammar as soon as the thread starts: the pool is started while files are still being discovered.
if (parentPort) loadParser().catch(() => undefined);

parentPort?.on('message', (req: WorkerRequest) => {
  void handle(req).then((res) => parentPort?.postMessage(res));
});
