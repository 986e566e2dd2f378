/**
 * What the client bundle (dist/client.js) is built from, read from its source map: of the server's
 * sources only the shared message definitions (server/src/protocol.ts), and the message classes from
 * vscode-languageclient's own copy of vscode-jsonrpc, never the server library. vscode-jsonrpc compares
 * parameter-structure markers by identity, so a request type built with another copy fails when sent
 * ("Unknown parameter structure"); esbuild.mjs aliases the import for the client bundle.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './manifestHelpers';

const map = path.join(repoRoot, 'dist', 'client.js.map');
const notReady = fs.existsSync(map) ? false : 'dist/client.js.map is missing (npm run build, not --production); skipped';

function sources(): string[] {
  const m = JSON.parse(fs.readFileSync(map, 'utf8')) as { sources: string[] };
  return m.sources.map((s) => path.relative(repoRoot, path.resolve(path.dirname(map), s)).split(path.sep).join('/'));
}

describe('the client bundle', { skip: notReady }, () => {
  it('takes only protocol.ts from the server sources', () => {
    const server = sources().filter((s) => s.startsWith('server/'));
    assert.deepEqual(server, ['server/src/protocol.ts']);
  });

  it('carries no server library and a single vscode-jsonrpc, the language client\'s', () => {
    const packages = new Set(sources().flatMap((s) => {
      const m = /^(node_modules\/(?:[^/]+\/node_modules\/)?(?:@[^/]+\/)?[^/]+)\//.exec(s);
      return m ? [m[1]!] : [];
    }));
    assert.ok(!packages.has('node_modules/vscode-languageserver'), [...packages].join('\n'));
    const jsonrpc = [...packages].filter((p) => p.endsWith('/vscode-jsonrpc'));
    assert.deepEqual(jsonrpc, ['node_modules/vscode-languageclient/node_modules/vscode-jsonrpc']);
    const protocol = [...packages].filter((p) => p.endsWith('/vscode-languageserver-protocol'));
    assert.deepEqual(protocol, ['node_modules/vscode-languageclient/node_modules/vscode-languageserver-protocol']);
  });
});
