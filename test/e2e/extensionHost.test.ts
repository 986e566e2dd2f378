/**
 * The extension-host mocha suite (test/e2e/suite) run inside a real VS Code: code-server's Node
 * extension host, driven by tools/vscode-web.mjs `runExtensionTests` — the same suite
 * test/e2e/runDesktop.ts runs in desktop VS Code through @vscode/test-electron.
 *
 * Each mocha test becomes one node:test test (from the JSON the runner writes), and a plain
 * `N passed, N failed` line is printed. When Neovim is available, a last test checks that
 * `airflow-access lsp --stdio` in Neovim answers the same diagnostic and hover that VS Code showed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../helpers/paths';
import { artifactsDir, codeServerSkip, nvimSkip, realClientsDir, suiteIndex } from './lib/env';
import { driver } from './lib/driver';
import { lineColOf, runProbe } from './lib/nvim';
import { prepareWorkspace, type E2EWorkspace } from './lib/workspace';
import type { SuiteResult } from './suite/index';

const skip = codeServerSkip() || (!fs.existsSync(suiteIndex) && `${suiteIndex} missing (run "npx tsc -p ." first)`);

describe('extension-host suite (mocha, vscode API) in code-server', { skip }, () => {
  const outDir = path.join(artifactsDir, 'extension-host');
  let ws: E2EWorkspace;
  let results: SuiteResult[] = [];
  let observed: { typoDiagnostic?: { message: string; severity: string; range: unknown }; tagHover?: { line: number; character: number; text: string } } = {};
  let run: { exitCode: number; output: string[]; durationMs: number };

  before(async () => {
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    ws = prepareWorkspace();
    const resultsFile = path.join(ws.root, 'results.json');
    const observedFile = path.join(ws.root, 'observed.json');
    const { runExtensionTests } = await driver();
    run = await runExtensionTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suiteIndex,
      workspace: ws.folder,
      installDir: realClientsDir,
      env: { ADA_E2E_RESULTS: resultsFile, ADA_E2E_OBSERVED: observedFile },
      timeoutMs: 240000,
      screenshotOnTimeout: path.join(outDir, 'timeout.png'),
      onOutput: (line) => process.stdout.write(`# ${line}\n`),
      log: (m) => process.stdout.write(`# [vscode-web] ${m}\n`),
    });
    fs.writeFileSync(path.join(outDir, 'output.log'), run.output.join('\n'));
    if (fs.existsSync(resultsFile)) results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    if (fs.existsSync(observedFile)) {
      observed = JSON.parse(fs.readFileSync(observedFile, 'utf8'));
      fs.copyFileSync(observedFile, path.join(outDir, 'observed.json'));
    }
    const passed = results.filter((r) => r.state === 'passed').length;
    const failed = results.filter((r) => r.state === 'failed').length;
    console.log(`# extension-host suite: ${passed} passed, ${failed} failed (exit code ${run.exitCode}, ${run.durationMs} ms, database: ${ws.dbNote})`);
  });

  after(() => ws?.cleanup());

  test('the suite ran to the end in the extension host', () => {
    const tail = run.output.slice(-40).join('\n');
    assert.notEqual(run.exitCode, 124, `timed out (screenshot ${path.join(outDir, 'timeout.png')}):\n${tail}`);
    assert.ok(results.length > 0, `the suite reported no tests (exit code ${run.exitCode}); output:\n${tail}`);
  });

  // One node:test test per mocha test. Titles are known only after the run, hence subtests.
  test('mocha tests', async (t) => {
    for (const r of results) {
      await t.test(r.title, { skip: r.state === 'pending' ? 'pending in mocha' : false }, () => {
        if (r.state === 'failed') throw new Error(r.error ?? 'failed');
      });
    }
  });

  const nvim = nvimSkip();
  test('Neovim gets the same diagnostic and hover as VS Code (airflow-access lsp --stdio)', { skip: nvim }, async () => {
    assert.ok(observed.typoDiagnostic, 'VS Code recorded no diagnostic for the mistyped tag (see the mocha test above)');
    const marketing = path.join(ws.folder, 'dags', 'marketing_leads.py');
    const at = lineColOf(marketing, 'marketing_analyst_edt', 3);
    const diag = await runProbe({ root: ws.folder, file: marketing, line: at.line, column: at.column, expectDiagnostics: true });
    assert.ok(diag.ok, `probe failed: ${diag.error}\n${diag.stderr}`);
    const same = diag.diagnostics.find((d) => d.message === observed.typoDiagnostic!.message);
    assert.ok(same, `Neovim's diagnostics differ from VS Code's "${observed.typoDiagnostic.message}": ${JSON.stringify(diag.diagnostics.map((d) => d.message))}`);
    assert.equal(same.severity, observed.typoDiagnostic.severity);
    assert.deepEqual(same.range, observed.typoDiagnostic.range);

    assert.ok(observed.tagHover, 'VS Code recorded no hover for analytics_reporting_edit (see the mocha test above)');
    const analytics = path.join(ws.folder, 'dags', 'analytics_reporting.py');
    const h = await runProbe({ root: ws.folder, file: analytics, line: observed.tagHover.line + 1, column: observed.tagHover.character + 1 });
    assert.ok(h.ok, `probe failed: ${h.error}\n${h.stderr}`);
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    assert.equal(norm(h.hover?.text ?? ''), norm(observed.tagHover.text), 'hover text differs between Neovim and VS Code');
  });
});
