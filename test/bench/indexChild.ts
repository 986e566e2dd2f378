/**
 * One index measurement in a fresh process (no JIT or page of wasm shared between measurements):
 *   node indexChild.js raw  <root>             single-thread tree-sitter parse of every .py file (texts preloaded)
 *   node indexChild.js scan <root> [cacheDir]  WorkspaceIndex.scan with the worker pool (and the on-disk cache)
 *   node indexChild.js floor <root> <workers>   that many threads only reading and parsing their share of the files
 * Prints one JSON line on stdout.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { WorkspaceIndex } from '../../server/src/indexer';
import { createPythonParser } from '../../server/src/parsing/treeSitter';

function pyFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) pyFiles(p, out);
    else if (e.name.endsWith('.py')) out.push(p);
  }
  return out;
}

async function raw(root: string): Promise<object> {
  const texts = pyFiles(root).map((f) => fs.readFileSync(f, 'utf8'));
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
  const s = index.lastScan!;
  const rssMb = process.memoryUsage().rss / 1048576;
  index.dispose();
  return { scanMs, cpuMs: (c.user + c.system) / 1000, files: s.files, dags: s.dags, parsed: s.parsed, cached: s.cached, workers: s.workers, rssMb, uptimeMs: process.uptime() * 1000 };
}

/**
 * The floor under a cold index: `workers` threads that read and parse every file (their share each),
 * with no extraction, no hand-over and no index. Shows what parsing alone costs in parallel here.
 */
async function floor(root: string, workers: number): Promise<object> {
  const files = pyFiles(root);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workers }, (_, i) => {
      const w = new Worker(__filename, { workerData: { files: files.filter((_f, k) => k % workers === i) } });
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

async function floorWorker(files: string[]): Promise<void> {
  const parser = await createPythonParser();
  for (const f of files) parser.parse(fs.readFileSync(f, 'utf8'))?.delete();
  parentPort!.postMessage('done');
}

async function main(): Promise<void> {
  if (!isMainThread) return floorWorker((workerData as { files: string[] }).files);
  const [mode, root, arg] = process.argv.slice(2);
  if (!root || (mode !== 'raw' && mode !== 'scan' && mode !== 'floor')) throw new Error('usage: indexChild raw|scan|floor <root> [cacheDir|workers]');
  const result = mode === 'raw' ? await raw(root) : mode === 'floor' ? await floor(root, Number(arg ?? 2)) : await scan(root, arg);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
