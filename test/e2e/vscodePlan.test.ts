/**
 * The platform engineer's side in VS Code (issue 20), driven through the UI of code-server in
 * headless Chromium with the packaged extension: a problem listed for a file that is not open, the
 * sync plan document (its title names the database, its lines coloured by the theme, the
 * access_control warning shown), the same document after Sync Permissions (computed again: nothing
 * to do), Roll Back a Sync from the palette, a near miss of permission_tag_pattern and the ADA022
 * quick fix. Screenshots: test-artifacts/e2e/vscode/plan-NN-<step>.png. The steps share one editor
 * session and run in order.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, codeServerSkip, lineColOf, poll, realClientsDir } from './lib/env';
import { driver, type VSCodeWeb } from './lib/driver';
import { ensureVsix } from './lib/vsix';
import { DEPLOYED_EXAMPLES, grantKey, prepareWorkspace, readGrants, type E2EWorkspace, type Grant } from './lib/workspace';

/** The browser's, inside page.evaluate callbacks (tsconfig has no DOM lib). */
declare const getComputedStyle: (el: unknown) => { color: string };

const skip = codeServerSkip();
const STEP_TIMEOUT = 150000;
const PREFIX = 'plan-';
/** finance_ledger deployed with its tags: the sync grants analytics_reporting on it, which its access_control leaves out. */
const DEPLOYED = [...DEPLOYED_EXAMPLES, { dagId: 'finance_ledger', file: 'dags/finance_ledger.py', tags: ['finance', 'finance_read', 'analytics_reporting_edit'] }];
const EXPECTED_GRANTS: Grant[] = ['analytics_reporting_dag', 'finance_ledger'].flatMap((dag) =>
  ['can_read', 'can_edit', 'can_delete'].map((action) => ({ role: 'analytics_reporting', action, resource: `DAG:${dag}` })));
const PLAN_TAB = 'Sync plan — SQLite airflow.db';
const ROLLBACK_TAB = 'Rollback preview — SQLite airflow.db';

/** The grants, or null while a sync or rollback holds SQLite's write lock. */
function grantsUnlessLocked(dbFile: string): Grant[] | null {
  try {
    return readGrants(dbFile);
  } catch (e) {
    if (/locked|busy/i.test(String(e))) return null;
    throw e;
  }
}

describe('VS Code (code-server + Chromium): plan document, rollback, workspace problems, near misses', { skip }, () => {
  const outDir = path.join(artifactsDir, 'vscode');
  let ws: E2EWorkspace;
  let vs: VSCodeWeb;
  let n = 0;
  let grantsBefore: Grant[] = [];
  const log = (m: string) => process.stdout.write(`# ${m}\n`);

  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    const shot = path.join(outDir, `${PREFIX}${String(++n).padStart(2, '0')}-${name}`);
    const t0 = Date.now();
    try {
      await fn();
      await vs.screenshot(`${shot}.png`);
      log(`step ${name}: ${Date.now() - t0} ms (under load), screenshot ${shot}.png`);
    } catch (e) {
      await vs.screenshot(`${shot}-FAILED.png`).catch(() => {});
      throw new Error(`[step ${name}, screenshot ${shot}-FAILED.png] ${(e as Error).message ?? e}`, { cause: e });
    }
  }

  /**
   * Text of the active editor group's editor, one rendered line per line: plan documents wrap long
   * lines (continuations indented), so match phrases on `flat()` of it (whitespace runs as one space).
   */
  const activeEditorText = () => vs.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().evaluateAll((els) =>
    [...els[0].querySelectorAll('.view-line')]
      .map((l: any) => ({ top: parseFloat(l.style.top) || 0, text: String(l.textContent).replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top).map((l) => l.text).join('\n'));
  const flat = (text: string) => text.replace(/\s+/g, ' ');
  const waitForActiveText = (test: (t: string) => boolean, what: string, ms = 60000) =>
    poll(async () => { const t = await activeEditorText().catch(() => ''); return test(t) ? t : null; }, what, ms);
  /** The Sync Permissions button in the plan document's title bar. */
  const syncButton = () => vs.page.locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Sync Permissions"]').first();
  const tab = (title: string) => vs.page.locator('.tabs-container .tab', { hasText: title }).first();
  /** Fail fast when a command shows an error toast instead of its result. */
  async function noErrorToast(what: string): Promise<void> {
    const bad = (await vs.notifications()).find((t) => /fail|error|could not|cannot/i.test(t));
    if (bad) throw new Error(`${what} showed an error: ${bad}`);
  }

  /** Close the toasts once read: they cover the end of the plan in the screenshots. */
  const clearToasts = () => vs.runCommand('Notifications: Clear All Notifications').catch(() => {});

  before(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    for (const f of fs.readdirSync(outDir)) if (f.startsWith(PREFIX)) fs.rmSync(path.join(outDir, f), { recursive: true, force: true });
    const vsix = ensureVsix(log);
    ws = prepareWorkspace({ deployed: DEPLOYED });
    log(`workspace ${ws.folder}; database: ${ws.dbNote}`);
    const { startCodeServer } = await driver();
    vs = await startCodeServer({ workspace: ws.folder, vsix, installDir: realClientsDir, log, timeoutMs: 30000 });
    log(`code-server timings (under load): ${JSON.stringify(vs.timings)}`);
  });

  after(async () => {
    if (vs) {
      fs.writeFileSync(path.join(outDir, `${PREFIX}code-server.log`), vs.serverLog());
      fs.writeFileSync(path.join(outDir, `${PREFIX}browser-console.json`), JSON.stringify(vs.consoleMessages, null, 2));
      const logs = path.join(vs.tmp, 'user-data', 'logs');
      if (fs.existsSync(logs)) fs.cpSync(logs, path.join(outDir, `${PREFIX}logs`), { recursive: true });
      await vs.stop();
    }
    ws?.cleanup();
  });

  test('the Problems panel lists the access_control warning of finance_ledger.py, which was never opened', { timeout: STEP_TIMEOUT }, () => step('problem-in-unopened-file', async () => {
    await vs.filterProblems('authoritative');
    const { problem, elapsedMs } = await vs.waitForProblem((p) => p.file === 'finance_ledger.py' && p.message.includes("Tag 'analytics_reporting_edit'"), { timeoutMs: 90000 });
    log(`problem of an unopened file listed ${elapsedMs} ms after start (under load): ${JSON.stringify(problem)}`);
    // A warning (the row's icon: rows with related information have another accessibility label).
    const row = vs.page.locator('.markers-panel .monaco-list-row', { hasText: "Tag 'analytics_reporting_edit'" }).first();
    assert.ok(await row.locator('.codicon-warning').count(), 'the problem is not shown as a warning');
    // Rows with related information have another accessibility label: the position is in their text.
    const line = problem.line ?? Number(/\[Ln (\d+), Col \d+\]/.exec(problem.message)?.[1]);
    assert.equal(line, lineColOf(path.join(ws.folder, 'dags', 'finance_ledger.py'), 'analytics_reporting_edit').line);
    assert.equal(await vs.page.locator('.tabs-container .tab', { hasText: 'finance_ledger.py' }).count(), 0, 'finance_ledger.py is open in a tab');
  }));

  test('Show Sync Plan opens the plan document: titled with the database, coloured, with the access_control warning', { timeout: STEP_TIMEOUT }, async (t) => {
    if (!ws.dbFile) return t.skip(ws.dbNote);
    grantsBefore = readGrants(ws.dbFile);
    await step('plan-before-apply', async () => {
      await vs.page.keyboard.press('Control+J'); // hide the panel: room for the plan
      await vs.runCommand('Airflow Access: Show Sync Plan');
      await poll(async () => (await tab(PLAN_TAB).isVisible()) || (await noErrorToast('Show Sync Plan'), false), `a tab titled "${PLAN_TAB}"`, 60000);
      const text = await waitForActiveText((x) => /Plan: \d+ to add/.test(flat(x)), 'the plan text in the active editor');
      fs.writeFileSync(path.join(outDir, `${PREFIX}before-apply.txt`), text);
      assert.match(flat(text), /! DAG "finance_ledger" sets access_control without "analytics_reporting": Airflow will revoke those tag-based grants/);
      assert.match(flat(text), / \+ can_read DAG:finance_ledger \(tag "analytics_reporting_edit"\)/);
      assert.equal((await vs.page.locator('#status\\.editor\\.mode').innerText()).trim(), 'Airflow Access Plan');
      // The theme colours the lines: added grants, the warning and the title each differ from plain text.
      const readColours = () => vs.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().evaluateAll((els) => {
        const root = els[0];
        const fg = getComputedStyle(root).color;
        const lines = [...root.querySelectorAll('.view-line')] as any[];
        const first = (re: RegExp) => {
          const line = lines.find((l) => re.test(String(l.textContent).replace(/\u00a0/g, ' ')));
          const span = line && [...line.querySelectorAll('span > span')].find((s: any) => String(s.textContent).trim());
          return span ? { cls: String(span.className), color: getComputedStyle(span).color } : null;
        };
        return { fg, added: first(/^ {4}\+ can_read/), warning: first(/^ {2}! DAG/), title: first(/^Sync plan /) };
      });
      // The grammar loads and tokenizes after the text shows: wait for the tokens, then compare.
      const colours = await poll(async () => {
        const c = await readColours();
        return c.added && c.warning && c.title && [c.added, c.warning, c.title].every((x) => x.color !== c.fg) ? c : null;
      }, 'the plan lines to be coloured by the theme', 20000).catch(() => readColours());
      log(`plan colours: ${JSON.stringify(colours)}`);
      fs.writeFileSync(path.join(outDir, `${PREFIX}colours.json`), JSON.stringify(colours, null, 2));
      const { fg, added, warning, title } = colours;
      assert.ok(added && warning && title, JSON.stringify(colours));
      for (const c of [added, warning, title]) assert.match(c.cls, /\bmtk\d+/);
      assert.notEqual(added.color, fg, 'added grants are not coloured');
      assert.notEqual(warning.color, fg, 'the warning is not coloured');
      assert.notEqual(added.color, warning.color, 'added grants and the warning look the same');
      await vs.notifications({ match: /Dry run \(nothing changed\)/, timeoutMs: 20000 });
      await clearToasts();
      assert.ok(await syncButton().isVisible(), 'no Sync Permissions button in the plan document\'s title bar');
    });
  });

  test('Sync Permissions (the plan document\'s title button) applies after a confirmation naming the database; the plan document then says nothing is left to do', { timeout: STEP_TIMEOUT }, async (t) => {
    if (!ws.dbFile) return t.skip(ws.dbNote);
    const dbFile = ws.dbFile;
    await step('plan-after-apply', async () => {
      // From the plan document's title bar.
      await syncButton().click();
      const dialog = vs.page.locator('.monaco-dialog-box');
      await poll(async () => (await dialog.isVisible()) || (await noErrorToast('Sync Permissions'), false), 'the confirmation dialog', 60000);
      const question = await dialog.innerText();
      assert.match(question, new RegExp(`Apply this plan to the SQLite database ${dbFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?`));
      await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Apply' }).first().click();
      await dialog.waitFor({ state: 'hidden', timeout: 10000 });
      const after = await poll(() => {
        const g = grantsUnlessLocked(dbFile);
        return g && EXPECTED_GRANTS.every((e) => g.some((x) => grantKey(x) === grantKey(e))) ? g : null;
      }, `the database to hold ${EXPECTED_GRANTS.map(grantKey).join('; ')}`, 60000);
      log(`sync added ${after.length - grantsBefore.length} grant rows`);
      await vs.notifications({ match: /permissions synced/i, timeoutMs: 30000 });
      await clearToasts();
      await tab(PLAN_TAB).click();
      const text = await waitForActiveText((x) => flat(x).includes('No changes. The database matches the config.'), 'the plan document to be computed again (No changes)');
      fs.writeFileSync(path.join(outDir, `${PREFIX}after-apply.txt`), text);
      assert.doesNotMatch(flat(text), /to add|Airflow will revoke/);
      assert.equal(await vs.page.locator('.tabs-container .tab', { hasText: 'Sync plan' }).count(), 1, 'one plan tab, updated in place');
    });
  });

  test('Roll Back a Sync from the palette: pick the snapshot, preview, confirm; the database is as before and the plan shows the grants to add again', { timeout: STEP_TIMEOUT }, async (t) => {
    if (!ws.dbFile) return t.skip(ws.dbNote);
    const dbFile = ws.dbFile;
    const dialog = vs.page.locator('.monaco-dialog-box');
    await step('rollback-preview', async () => {
      await vs.runCommand('Airflow Access: Roll Back a Sync');
      const row = vs.page.locator('.quick-input-list .monaco-list-row', { hasText: 'plan ' }).first();
      await poll(async () => (await row.isVisible()) || (await noErrorToast('Roll Back a Sync'), false), 'the snapshot picker', 60000);
      await row.click();
      await poll(() => dialog.isVisible(), 'the rollback confirmation', 30000);
      assert.match(await dialog.innerText(), /Roll back plan \w+ on the SQLite database /);
      await tab(ROLLBACK_TAB).waitFor({ state: 'visible', timeout: 10000 });
      const preview = flat(await waitForActiveText((x) => x.includes('Rolling back plan'), 'the rollback preview'));
      assert.match(preview, /^Rolling back plan \w+ \(synced [^)]*\) on \S*airflow\./);
      assert.match(preview, /- analytics_reporting can_\w+ \S+ \(added by the sync: removed\)/);
    });
    await step('rollback-applied', async () => {
      await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Roll Back' }).first().click();
      await dialog.waitFor({ state: 'hidden', timeout: 10000 });
      await poll(() => {
        const g = grantsUnlessLocked(dbFile);
        return g && !EXPECTED_GRANTS.some((e) => g.some((x) => grantKey(x) === grantKey(e)));
      }, 'the rollback to remove the synced grants', 60000);
      const now = readGrants(dbFile).map(grantKey).sort();
      assert.deepEqual(now, grantsBefore.map(grantKey).sort(), 'the grants are those before the sync');
      await vs.notifications({ match: /Rolled back plan/, timeoutMs: 30000 });
      await clearToasts();
      await tab(PLAN_TAB).click();
      await waitForActiveText((x) => /Plan: \d+ to add/.test(flat(x)), 'the plan document to list the grants to add again');
    });
  });

  test('a near miss of permission_tag_pattern: "finance_edti" is a warning with the fix to "finance_edit"', { timeout: STEP_TIMEOUT }, () => step('near-miss', async () => {
    await vs.openFile('dags/platform_maintenance.py');
    const file = path.join(ws.folder, 'dags', 'platform_maintenance.py');
    const at = lineColOf(file, '"platform"]');
    await vs.gotoPosition(at.line, at.column + '"platform"'.length);
    await vs.page.keyboard.type(', "finance_edti');
    await waitForActiveText((x) => flat(x).includes('"platform", "finance_edti"]'), 'the typed tag');
    await vs.filterProblems('finance_edti');
    const { problem } = await vs.waitForProblem((p) => p.message.includes("'finance_edti'"), { timeoutMs: 60000 });
    log(`near miss: ${JSON.stringify(problem)}`);
    assert.equal(problem.severity, 'Warning');
    assert.match(problem.message, /did you mean 'finance_edit'\?/i);
    const titles = await vs.codeActionsAt(at.line, at.column + '"platform", "fi'.length);
    log(`near-miss actions: ${JSON.stringify(titles)}`);
    assert.ok(titles.some((x) => x.includes("Replace with 'finance_edit'")), JSON.stringify(titles));
    // For the screenshot: the squiggle's hover with the message.
    const hover = await vs.hoverAt(at.line, at.column + '"platform", "fi'.length);
    assert.match(hover, /finance_edit/);
  }));

  test("ADA022: a mistyped permission in the config gets \"Did you mean 'can_read'?\" and its quick fix", { timeout: STEP_TIMEOUT }, () => step('ada022-quick-fix', async () => {
    await vs.openFile('airflow-access.yaml');
    const at = lineColOf(path.join(ws.folder, 'airflow-access.yaml'), 'dag_permissions: [can_read]', 'dag_permissions: [can_'.length);
    await vs.gotoPosition(at.line, at.column);
    for (let i = 0; i < 4; i++) await vs.page.keyboard.press('Delete');
    await vs.page.keyboard.type('raed');
    await waitForActiveText((x) => x.includes('[can_raed]'), 'the mistyped permission');
    await vs.filterProblems('can_raed');
    const { problem } = await vs.waitForProblem((p) => p.message.includes('can_raed'), { timeoutMs: 60000 });
    log(`ADA022: ${JSON.stringify(problem)}`);
    assert.match(problem.message, /Did you mean 'can_read'\?/);
    const titles = await vs.codeActionsAt(at.line, at.column, { apply: "Replace with 'can_read'" });
    log(`ADA022 actions: ${JSON.stringify(titles)}`);
    await waitForActiveText((x) => x.includes('dag_permissions: [can_read]') && !x.includes('can_raed'), 'the fix in the config');
    await poll(async () => !(await vs.problems()).some((p) => p.message.includes('can_raed')), 'the ADA022 problem to leave the Problems panel', 30000);
  }));
});
