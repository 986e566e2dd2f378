/**
 * What the VSIX ships, as vsce itself lists it from package.json "files" (`vsce ls`, the file list `vsce package` zips):
 * every file the manifest and the bundles need, and nothing else (no sources, maps, tests or node_modules).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pkg, repoRoot } from './manifestHelpers';

const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
const distJs = ['client.js', 'server.js', 'indexWorker.js'];
const notReady = !fs.existsSync(vsce)
  ? `vsce not installed at ${vsce} (npm ci); skipped`
  : distJs.some((f) => !fs.existsSync(path.join(repoRoot, 'dist', f)))
    ? 'dist/ is not built (npm run build); skipped'
    : false;

/** The files `vsce package --no-dependencies` (npm run package) puts in the VSIX. */
let listed: string[] | undefined;
function vsixFiles(): string[] {
  if (listed) return listed;
  const out = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return (listed = out.split('\n').map((l) => l.trim()).filter(Boolean).sort());
}

/** Files the manifest names that VS Code loads from the installed extension. */
function manifestFiles(): string[] {
  const c = pkg.contributes;
  const files = [pkg.main, pkg.icon, 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];
  for (const v of Object.values<any[]>(c.views).flat()) if (v.icon) files.push(v.icon);
  for (const l of c.languages) if (l.configuration) files.push(l.configuration);
  for (const g of c.grammars) files.push(g.path);
  for (const y of c.yamlValidation) files.push(y.url);
  for (const w of c.walkthroughs) for (const s of w.steps) if (s.media?.markdown) files.push(s.media.markdown);
  return files.map((f: string) => f.replace(/^\.\//, ''));
}

describe('the packaged VSIX (package.json "files" is its allowlist)', () => {
  it('the VSIX holds every file the manifest names, the bundles and the wasm files they load', { skip: notReady }, () => {
    const files = vsixFiles();
    const wanted = [...manifestFiles(), ...distJs.map((f) => `dist/${f}`)];
    // The bundles load these by name at run time (tree-sitter parser and grammar, SQLite driver).
    for (const wasm of ['tree-sitter.wasm', 'tree-sitter-python.wasm', 'node-sqlite3-wasm.wasm']) wanted.push(`dist/${wasm}`);
    // The access matrix webview loads its script and style from media/ (client/src/matrixPanel.ts).
    wanted.push('media/matrixView.js', 'media/matrixView.css');
    const missing = [...new Set(wanted)].filter((f) => !files.includes(f));
    assert.deepEqual(missing, [], `not in the VSIX: ${missing.join(', ')}`);
  });

  it('the VSIX ships nothing else: no sources, source maps, tests, examples or node_modules', { skip: notReady }, () => {
    const allowed = [/^dist\/[^/]+\.(js|wasm)$/, /^schemas\/[^/]+\.json$/, /^syntaxes\//, /^media\//, /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/];
    const extra = vsixFiles().filter((f) => !allowed.some((re) => re.test(f)) || /\.map$|\.ts$|node_modules|(^|\/)(src|test|examples)\//.test(f));
    assert.deepEqual(extra, []);
  });
});
