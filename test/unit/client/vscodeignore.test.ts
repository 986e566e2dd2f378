/** .vscodeignore is an allowlist: exclude everything, re-include the bundles and assets. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './manifestHelpers';

const lines = fs
  .readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

describe('.vscodeignore', () => {
  it('starts by excluding everything', () => {
    assert.equal(lines[0], '**');
  });

  it('re-includes exactly the allowlist', () => {
    assert.deepEqual(lines.slice(1), [
      '!dist/*.js',
      '!dist/*.wasm',
      '!schemas/*.json',
      '!syntaxes/**',
      '!media/**',
      '!package.json',
      '!README.md',
      '!LICENSE',
      '!CHANGELOG.md',
    ]);
  });

  it('ships no source maps, sources or node_modules', () => {
    for (const l of lines) assert.ok(!/node_modules|\.map|src\//.test(l), l);
  });
});
