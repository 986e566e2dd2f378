/**
 * Loads the tree-sitter runtime and the Python grammar exactly once per process.
 * The wasm files are located explicitly: `dist/` beside the bundle when shipped,
 * `node_modules` when running from compiled sources (tests).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { unparseableReason } from './indentGuard';

let loading: Promise<Language> | undefined;

function candidates(file: string, wasmDir?: string): string[] {
  const dirs = [wasmDir, __dirname, path.join(__dirname, '..'), path.join(__dirname, 'wasm')].filter(
    (d): d is string => typeof d === 'string',
  );
  const out = dirs.map((d) => path.join(d, file));
  try {
    if (file === 'tree-sitter.wasm') out.push(path.join(path.dirname(require.resolve('web-tree-sitter')), file));
    if (file === 'tree-sitter-python.wasm') out.push(path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), file));
  } catch {
    // not installed: only the dist copies can be used
  }
  return out;
}

export function locateWasm(file: string, wasmDir?: string): string {
  for (const c of candidates(file, wasmDir)) if (fs.existsSync(c)) return c;
  throw new Error(`Cannot find ${file} (looked in: ${candidates(file, wasmDir).join(', ')})`);
}

/** Initialise the runtime and load the Python grammar (idempotent). */
export function loadPython(wasmDir?: string): Promise<Language> {
  if (!loading) {
    loading = (async () => {
      const runtime = locateWasm('tree-sitter.wasm', wasmDir);
      await Parser.init({ locateFile: () => runtime });
      const bytes = fs.readFileSync(locateWasm('tree-sitter-python.wasm', wasmDir));
      return Language.load(bytes);
    })();
    loading.catch(() => (loading = undefined));
  }
  return loading;
}

export async function createPythonParser(wasmDir?: string): Promise<Parser> {
  const lang = await loadPython(wasmDir);
  const parser = new Parser();
  parser.setLanguage(lang);
  return parser;
}

/**
 * Parse with a wall-clock cap so hostile input cannot hang the caller; returns null when the cap is hit,
 * and also (without parsing) for text the grammar's scanner cannot survive (see indentGuard; callers
 * that want the precise reason ask `unparseableReason` first).
 * (web-tree-sitter 0.25's setTimeoutMicros is broken in JS, so the cap uses the progress callback.)
 */
export function parseWithDeadline(parser: Parser, text: string, maxMillis = 2000, oldTree?: Tree | null): Tree | null {
  if (unparseableReason(text)) return null;
  const deadline = Date.now() + maxMillis;
  return parser.parse(text, oldTree ?? null, { progressCallback: () => Date.now() > deadline });
}
