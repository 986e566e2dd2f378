/**
 * Compiled tree-sitter wasm modules shared between threads. A WebAssembly.Module posted to a worker
 * shares its compiled (and tiered-up) code with the sender, so parse workers neither compile the
 * runtime and grammar again nor each go through the slow baseline tier on their first files.
 */
import * as fs from 'fs';
import { Language, Parser } from 'web-tree-sitter';
import { locateWasm } from './treeSitter';

/** Minimal typing of the WebAssembly global (the project's lib settings do not declare it). */
type WasmModule = object;
type WasmInstance = object;
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(src: unknown, imports?: unknown): Promise<unknown>;
}
const wasm = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface SharedWasm {
  runtime: WasmModule;
  python: WasmModule;
  /** Grammar bytes: web-tree-sitter reads the dylink section from them before instantiating. */
  pythonBytes: Uint8Array;
}

let compiling: Promise<SharedWasm> | undefined;

/** Compile both modules once per process (off the main thread's critical path: compile is async). */
export function compileShared(wasmDir?: string): Promise<SharedWasm> {
  compiling ??= (async () => {
    const runtimeBytes = fs.readFileSync(locateWasm('tree-sitter.wasm', wasmDir));
    const pythonBytes = new Uint8Array(fs.readFileSync(locateWasm('tree-sitter-python.wasm', wasmDir)));
    const [runtime, python] = await Promise.all([wasm().compile(runtimeBytes), wasm().compile(pythonBytes)]);
    return { runtime, python, pythonBytes };
  })();
  compiling.catch(() => (compiling = undefined));
  return compiling;
}

let loading: Promise<Language> | undefined;

/** In a worker: initialise web-tree-sitter from modules compiled elsewhere (once per thread). */
export function loadPythonShared(shared: SharedWasm): Promise<Language> {
  loading ??= (async () => {
    const api = wasm();
    await Parser.init({
      instantiateWasm: (imports: unknown, done: (instance: WasmInstance, module: WasmModule) => void) => {
        void api.instantiate(shared.runtime, imports).then((instance) => done(instance as WasmInstance, shared.runtime));
        return {};
      },
    });
    // Language.load only takes bytes; hand it the shared module at the one instantiate call it makes.
    const original = api.instantiate;
    api.instantiate = (src: unknown, imports?: unknown) =>
      src === shared.pythonBytes ? original.call(api, shared.python, imports).then((instance) => ({ module: shared.python, instance })) : original.call(api, src, imports);
    try {
      return await Language.load(shared.pythonBytes);
    } finally {
      api.instantiate = original;
    }
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

export async function createSharedParser(shared: SharedWasm): Promise<Parser> {
  const language = await loadPythonShared(shared);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
