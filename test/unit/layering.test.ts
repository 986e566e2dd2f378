/**
 * The layering of server/src (README "Development"): cli → lsp → rules → project → indexer/engine →
 * sync/config → db/model. Imports only point down (or within a folder), and no modules import each
 * other in a loop, type-only imports included.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const src = path.join(repoRoot, 'server', 'src');

/** Rank of each folder: a module may import modules of its own folder or of a lower rank. */
const RANK: Record<string, number> = {
  model: 0,
  db: 1,
  parsing: 1,
  settings: 1,
  protocol: 1,
  sync: 2,
  config: 2,
  indexer: 3,
  engine: 3,
  project: 4,
  rules: 5,
  lsp: 6,
  /** Composition root of the language server, and the process entry that starts it. */
  server: 7,
  serverProcess: 7.5,
  /** The bundled server's entry module (dist/server.mjs). */
  serverMain: 7.6,
  cli: 8,
};

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a module (static `import ... from`, `export ... from`, and `import('...')`), resolved to files. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)'/g)) {
    // Dynamic imports name the compiled file (`import('./x.js')`): the module is x.ts.
    const base = path.resolve(path.dirname(file), m[1].replace(/\.js$/, ''));
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    if (target) out.push(target);
  }
  return out;
}

const layerOf = (file: string) => path.relative(src, file).split(path.sep)[0].replace(/\.ts$/, '');
const rel = (file: string) => path.relative(src, file).split(path.sep).join('/');

const files = walk(src);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('server/src layering', () => {
  it('knows every top-level folder and file', () => {
    const unknown = [...new Set(files.map(layerOf))].filter((l) => RANK[l] === undefined);
    assert.deepEqual(unknown, []);
  });

  it('imports only point down the layers', () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        const from = layerOf(file);
        const to = layerOf(dep);
        if (from !== to && RANK[to] >= RANK[from]) upward.push(`${rel(file)} → ${rel(dep)}`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it('no import loops', () => {
    const loops: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of graph.get(f) ?? []) {
        if (state.get(d) === 'open') loops.push([...stack.slice(stack.indexOf(d)), d].map(rel).join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    assert.deepEqual(loops, []);
  });
});
