/**
 * package.json "files" is the one allowlist of what ships, for `npm pack` and for `vsce package`
 * alike (vsce refuses a .vscodeignore beside it): the bundles, the wasm files and the assets.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './manifestHelpers';

const files = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { files: string[] }).files;

describe('package.json files', () => {
  it('is the allowlist, and no .vscodeignore competes with it', () => {
    assert.deepEqual(files, ['dist/*.js', 'dist/*.mjs', 'dist/*.wasm', 'schemas/*.json', 'syntaxes/**', 'media/**', 'README.md', 'LICENSE', 'CHANGELOG.md']);
    assert.equal(fs.existsSync(path.join(repoRoot, '.vscodeignore')), false);
  });

  it('ships no source maps, sources or node_modules', () => {
    for (const f of files) assert.ok(!/node_modules|\.map|src\//.test(f), f);
  });
});
