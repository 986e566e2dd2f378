/**
 * Extension-host test runner (the module @vscode/test-electron and tools/vscode-web.mjs `test`
 * load as extensionTestsPath): runs every `*.suite.js` beside it with mocha (tdd UI).
 *
 * Results leave the extension host three ways: mocha's spec reporter (console), one plain line
 * `N passed, N failed, N pending`, and — when ADA_E2E_RESULTS names a file — a JSON list of every
 * test ({ title, state, durationMs, error }) that the node:test wrapper turns into one node:test
 * test per mocha test (test/e2e/extensionHost.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import type MochaClass from 'mocha';

export interface SuiteResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  // mocha 12 is an ES module whose CommonJS build is lib/mocha.cjs; requiring that file works in
  // every extension host (code-server's Node 20, desktop VS Code's Electron).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require('mocha/lib/mocha.cjs') as typeof MochaClass;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: Number(process.env.ADA_E2E_MOCHA_TIMEOUT ?? 45000), reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.suite.js')).sort()) mocha.addFile(path.join(__dirname, f));
  const results: SuiteResult[] = [];
  const write = () => {
    const out = process.env.ADA_E2E_RESULTS;
    if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passed = results.filter((r) => r.state === 'passed').length;
        const pending = results.filter((r) => r.state === 'pending').length;
        console.log(`${passed} passed, ${failures} failed, ${pending} pending`);
        write();
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
      runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
      runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
      runner.on('fail', (t, err) => results.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: (err && (err.stack || err.message)) || String(err) }));
    } catch (e) {
      results.push({ title: 'loading the extension-host suite', state: 'failed', error: String((e as Error).stack ?? e) });
      write();
      reject(e);
    }
  });
}
