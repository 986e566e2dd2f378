/**
 * What a person gets from the repository: the full licence text, an npm package whose tarball holds
 * the bundled CLI and needs nothing else at run time, and dependencies that all run on the Node
 * version the README names (npm ci prints no engine warning).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  license: string;
  bin: Record<string, string>;
  files: string[];
  dependencies?: Record<string, string>;
  engines: { node: string };
  scripts: Record<string, string>;
};
const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

/** Node's version against an npm `engines.node` range (the comparator forms the lock file uses). */
export function satisfies(version: string, range: string): boolean {
  const v = version.split('.').map(Number);
  const cmp = (a: number[], b: number[]) => {
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0) ? -1 : 1;
    return 0;
  };
  const num = (s: string) => s.replace(/\.x$/, '').split('.').map(Number);
  const one = (c: string): boolean => {
    const m = /^(\^|~|>=|<=|>|<|=)?\s*(\d+(?:\.\d+){0,2}(?:\.x)?)$/.exec(c);
    if (c === '*' || c === '') return true;
    if (!m) throw new Error(`cannot read the engines range "${range}"`);
    const [op, ver] = [m[1] ?? '', num(m[2])];
    const parts = m[2].replace(/\.x$/, '').split('.').length;
    switch (op) {
      case '>=':
        return cmp(v, ver) >= 0;
      case '>':
        return cmp(v, ver) > 0;
      case '<':
        return cmp(v, ver) < 0;
      case '<=':
        return cmp(v, ver) <= 0;
      case '^':
        return cmp(v, ver) >= 0 && v[0] === ver[0];
      case '~':
        return cmp(v, ver) >= 0 && v[0] === ver[0] && (parts < 2 || v[1] === ver[1]);
      default:
        // "20", "20.x", "20.19": every version with that prefix.
        return ver.every((n, i) => i >= parts || v[i] === n);
    }
  };
  return range.split('||').some((alt) => alt.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).every(one));
}

describe('package manifest', () => {
  it('LICENSE is the full Apache License 2.0 text, as package.json declares', () => {
    assert.equal(pkg.license, 'Apache-2.0');
    const text = fs.readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8');
    assert.match(text, /^ +Apache License\n +Version 2\.0, January 2004\n/);
    const sections = [...text.matchAll(/^ {3}(\d)\. ([A-Z][^.]+)\./gm)].map((m) => `${m[1]}. ${m[2]}`);
    assert.deepEqual(sections, [
      '1. Definitions',
      '2. Grant of Copyright License',
      '3. Grant of Patent License',
      '4. Redistribution',
      '5. Submission of Contributions',
      '6. Trademarks',
      '7. Disclaimer of Warranty',
      '8. Limitation of Liability',
      '9. Accepting Warranty or Additional Liability',
    ]);
    assert.match(text, /END OF TERMS AND CONDITIONS/);
  });

  it('the airflow-access bin is the bundled CLI, shipped with its wasm files; nothing is installed beside it', () => {
    assert.deepEqual(pkg.bin, { 'airflow-access': './dist/cli.js' });
    // dist/cli.js and dist/server.js import the ES modules of the CLI and server (dist/*.mjs: entries and shared chunks).
    assert.ok(pkg.files.includes('dist/*.js') && pkg.files.includes('dist/*.mjs') && pkg.files.includes('dist/*.wasm'), pkg.files.join(', '));
    assert.ok(!pkg.files.some((f) => /\.map|src|node_modules|test/.test(f)), pkg.files.join(', '));
    // esbuild bundles every library into dist/: a runtime dependency would only be downloaded for nothing.
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
    assert.match(pkg.scripts.prepack, /esbuild\.mjs/, 'npm pack builds dist/ first');
  });

  it('every package in the lock file runs on Node 20.19 and 22 (README: Node 20 or later)', () => {
    assert.equal(pkg.engines.node, '>=20');
    const refused: string[] = [];
    for (const [name, entry] of Object.entries(lock.packages)) {
      const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!node) continue;
      for (const v of ['20.19.0', '22.12.0']) if (!satisfies(v, node)) refused.push(`${name || 'the package'} (${node}) refuses Node ${v}`);
    }
    assert.deepEqual(refused, []);
  });

  it('the range reader reads the forms in the lock file', () => {
    assert.equal(satisfies('20.19.0', '>= 22'), false);
    assert.equal(satisfies('20.19.0', '>=22.0.0'), false);
    assert.equal(satisfies('20.19.0', '^20.19.0 || >=22.12.0'), true);
    assert.equal(satisfies('20.18.0', '^20.19.0 || >=22.12.0'), false);
    assert.equal(satisfies('20.19.0', '18 || 20 || >=22'), true);
    assert.equal(satisfies('21.0.0', '18 || 20 || >=22'), false);
    assert.equal(satisfies('20.19.0', '>=14.17'), true);
  });
});
