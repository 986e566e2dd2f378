/**
 * The matrix webview's page: a Content-Security-Policy that runs only the nonce'd script from the
 * extension, no inline style or code, and nothing from the network.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { matrixHtml } from '../../../client/src/matrixHtml';
import { repoRoot } from '../../helpers/paths';

const page = matrixHtml({ cspSource: 'https://ext.vscode-cdn.net', nonce: 'n0nce+/=', script: 'https://ext.vscode-cdn.net/media/matrixView.js', style: 'https://ext.vscode-cdn.net/media/matrixView.css', title: 'Access Matrix: <ws>' });

describe('the matrix webview page', () => {
  it('allows only the extension\'s style and the nonce\'d script', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)?.[1] ?? '';
    assert.equal(csp, "default-src 'none'; style-src https://ext.vscode-cdn.net; img-src https://ext.vscode-cdn.net; script-src 'nonce-n0nce+/=';");
    const scripts = [...page.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.deepEqual(scripts, [' nonce="n0nce+/=" src="https://ext.vscode-cdn.net/media/matrixView.js"']);
  });

  it('has no inline style or handler (the policy would drop them) and escapes the title', () => {
    assert.ok(!/\sstyle=|\son[a-z]+=|<style/i.test(page), 'inline style or handler');
    assert.ok(page.includes('Access Matrix: &lt;ws&gt;') && !page.includes('<ws>'));
  });

  it('the script and style it loads ship in media/ and fetch nothing', () => {
    for (const f of ['matrixView.js', 'matrixView.css']) {
      const text = fs.readFileSync(path.join(repoRoot, 'media', f), 'utf8');
      assert.ok(!/https?:\/\/|@import|fetch\(|XMLHttpRequest/.test(text), `${f} loads a resource`);
    }
  });
});
