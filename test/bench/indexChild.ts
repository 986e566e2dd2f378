/**
 * One index measurement in a fresh process (no JIT or page of wasm shared between measurements):
 *   node indexChild.js raw  <root>             single-thread tree-sitter parse of every .py file (texts preloaded)
 *   node indexChild.js scan <root> [cacheDir]  WorkspaceIndex.scan with the worker pool (and the on-disk cache)
 *   node indexChild.js floor <root> <workers>   that many threads only reading and parsing their share of the files
 *   node indexChild.js extract <root>           single thread: parse, our extraction, and one tree-sitter query pass, of every file (wall and CPU)
 * Prints one JSON line on stdout.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { Query } from 'web-tree-sitter';
import { WorkspaceIndex } from '../../server/src/indexer';
import { extractFileFacts } from '../../server/src/indexer/extractFileFacts';
import { createPythonParser } from '../../server/src/parsing/treeSitter';
import { pyFilesUnder } from '../helpers/paths';


async function raw(root: string): Promise<object> {
  const texts = pyFilesUnder(root).map((f) => fs.readFileSync(f, 'utf8'));
  const parser = await createPythonParser();
  parser.parse('x = 1')?.delete(); // load the grammar before timing
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const t of texts) parser.parse(t)?.delete();
  const parseMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { files: texts.length, parseMs, cpuMs: (c.user + c.system) / 1000 };
}

async function scan(root: string, cacheDir: string | undefined): Promise<object> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const index = new WorkspaceIndex({ root, cacheDir: cacheDir ?? null });
  await index.scan();
  const scanMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0); // the whole process: main thread and parse workers
  // The cross-file pass the language server runs next (its lookup table asks for every file's resolved facts).
  const t1 = process.hrtime.bigint();
  index.files();
  const crossFileMs = Number(process.hrtime.bigint() - t1) / 1e6;
  const s = index.lastScan!;
  const rssMb = process.memoryUsage().rss / 1048576;
  await index.dispose();
  return { scanMs, cpuMs: (c.user + c.system) / 1000, files: s.files, dags: s.dags, parsed: s.parsed, cached: s.cached, workers: s.workers, rssMb, uptimeMs: process.uptime() * 1000, crossFileMs, ...s.stages };
}

/**
 * What looking at the trees costs, apart from parsing them: our extraction (text-first, a few hundred
 * node questions a file), and for scale the cheapest whole-tree question there is, one tree-sitter query
 * for `DAG(...)` calls, run inside wasm. Parses are not timed.
 */
async function extract(root: string): Promise<object> {
  const files = pyFilesUnder(root);
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const parser = await createPythonParser();
  const query = new Query(parser.language!, '(call function: (identifier) @f (#eq? @f "DAG")) @call');
  let extractNs = 0n;
  let queryNs = 0n;
  let parseNs = 0n;
  // CPU time as well (one thread here): under load the wall times stretch, their ratio much less.
  let parseCpu = 0;
  let extractCpu = 0;
  const cpu = (): number => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  let dags = 0;
  for (let i = 0; i < texts.length; i++) {
    const p0 = process.hrtime.bigint();
    const c0 = cpu();
    const tree = parser.parse(texts[i]!);
    const c1 = cpu();
    parseCpu += c1 - c0;
    const t0 = process.hrtime.bigint();
    parseNs += t0 - p0;
    if (!tree) continue;
    dags += extractFileFacts(tree, texts[i]!, files[i]!, 0, {}).dags.length;
    const t1 = process.hrtime.bigint();
    extractCpu += cpu() - c1;
    query.captures(tree.rootNode);
    queryNs += process.hrtime.bigint() - t1;
    extractNs += t1 - t0;
    tree.delete();
  }
  query.delete();
  return { files: files.length, dags, extractMs: Number(extractNs) / 1e6, queryMs: Number(queryNs) / 1e6, parseMs: Number(parseNs) / 1e6, parseCpuMs: parseCpu, extractCpuMs: extractCpu };
}

/**
 * The floor under a cold index: `workers` threads that read and parse every file (their share each),
 * with no extraction, no hand-over and no index. Shows what parsing alone costs in parallel here.
 */
async function floor(root: string, workers: number): Promise<object> {
  const files = pyFilesUnder(root);
  // Threads take batches of 32 from a shared counter, as the pool does: a fixed split (every other
  // file, say) leaves one thread idle while the other finishes bigger files.
  const next = new Int32Array(new SharedArrayBuffer(4));
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workers }, () => {
      const w = new Worker(__filename, { workerData: { files, next } });
      return new Promise<void>((resolve, reject) => {
        w.once('message', () => void w.terminate().then(() => resolve()));
        w.once('error', reject);
      });
    }),
  );
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { files: files.length, workers, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

async function floorWorker(files: string[], next: Int32Array): Promise<void> {
  const parser = await createPythonParser();
  for (let start = Atomics.add(next, 0, 32); start < files.length; start = Atomics.add(next, 0, 32)) {
    for (const f of files.slice(start, start + 32)) parser.parse(fs.readFileSync(f, 'utf8'))?.delete();
  }
  parentPort!.postMessage('done');
}

async function main(): Promise<void> {
  if (!isMainThread) {
    const data = workerData as { files: string[]; next: Int32Array };
    return floorWorker(data.files, data.next);
  }
  const [mode, root, arg] = process.argv.slice(2);
  const modes: Record<string, () => Promise<object>> = {
    raw: () => raw(root!),
    scan: () => scan(root!, arg),
    floor: () => floor(root!, Number(arg ?? 2)),
    extract: () => extract(root!),
  };
  const run = mode === undefined ? undefined : modes[mode];
  if (!root || !run) throw new Error('usage: indexChild raw|scan|floor|extract <root> [cacheDir|workers]');
  const result = await run();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
