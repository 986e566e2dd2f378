/**
 * What a user sees, in VS Code: the packaged extension (.vsix, see lib/vsix.ts) installed into
 * code-server (VS Code 1.100) in headless Chromium, on a copy of examples/ with a copy of the
 * Airflow 2.10 metadata fixture configured as airflowDagAccess.database.url. Each step is done
 * through the UI as a user would and leaves a screenshot in test-artifacts/e2e/vscode/.
 * The steps share one editor session and run in order.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../helpers/paths';
import { artifactsDir, codeServerSkip, lineColOf, poll, realClientsDir } from './lib/env';
import { driver, type VSCodeWeb } from './lib/driver';
import { ensureVsix } from './lib/vsix';
import { grantKey, prepareWorkspace, readGrants, type E2EWorkspace, type Grant } from './lib/workspace';

const skip = codeServerSkip();

const TYPO = 'marketing_analyst_edt';
const FIXED = 'marketing_analyst_edit';
const ROLES = ['analytics_reporting', 'marketing_analyst', 'finance_auditor'];
/** What Sync Permissions must grant (the config maps analytics_reporting_edit to these actions). */
const EXPECTED_GRANTS: Grant[] = ['can_read', 'can_edit', 'can_delete'].map((action) => ({ role: 'analytics_reporting', action, resource: 'DAG:analytics_reporting_dag' }));
const STEP_TIMEOUT = 120000;

/** The grants, or null while the sync holds SQLite's write lock (BEGIN IMMEDIATE). */
function readGrantsUnlessLocked(dbFile: string): Grant[] | null {
  try {
    return readGrants(dbFile);
  } catch (e) {
    if (/locked|busy/i.test(String(e))) return null;
    throw e;
  }
}

/** What this file writes into test-artifacts/e2e/vscode/ (see `step` and `after`). */
const OWN_ARTIFACT = /^(\d{2}-.*\.png|code-server\.log|browser-console\.json|logs|problems\.json|sync-plan-shown\.txt|sync-db-diff\.json)$/;

describe('VS Code (code-server + Chromium): what a user sees', { skip }, () => {
  const outDir = path.join(artifactsDir, 'vscode');
  let ws: E2EWorkspace;
  let vs: VSCodeWeb;
  let n = 0;
  const log = (m: string) => process.stdout.write(`# ${m}\n`);

  /** Run one step; screenshot it (…-FAILED.png on failure, named in the error). */
  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    const shot = path.join(outDir, `${String(++n).padStart(2, '0')}-${name}`);
    const t0 = Date.now();
    try {
      await fn();
      await vs.screenshot(`${shot}.png`);
      log(`step ${name}: ${Date.now() - t0} ms, screenshot ${shot}.png`);
    } catch (e) {
      await vs.screenshot(`${shot}-FAILED.png`).catch(() => {});
      throw new Error(`[step ${name}, screenshot ${shot}-FAILED.png] ${(e as Error).message ?? e}`, { cause: e });
    }
  }

  /** Text of every rendered editor line (both sides of a diff editor). */
  const editorsText = () => vs.page.$$eval('.editor-instance .monaco-editor .view-line', (els) => els.map((e) => String(e.textContent).replace(/\u00a0/g, ' ')).join('\n'));

  before(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    // Only this file's own screenshots ("NN-step.png") and logs: the other e2e files (views-*, matrix-*,
    // plan-*) share the folder and may run before it, so after a full run every screenshot is there.
    for (const f of fs.readdirSync(outDir)) if (OWN_ARTIFACT.test(f)) fs.rmSync(path.join(outDir, f), { recursive: true, force: true });
    const vsix = ensureVsix(log);
    ws = prepareWorkspace();
    log(`workspace ${ws.folder}; database: ${ws.dbNote}`);
    const { startCodeServer } = await driver();
    vs = await startCodeServer({ workspace: ws.folder, vsix, installDir: realClientsDir, log, timeoutMs: 30000 });
    log(`code-server timings: ${JSON.stringify(vs.timings)}`);
  });

  after(async () => {
    if (vs) {
      // Keep the logs (code-server, extension host, our output channel) beside the screenshots.
      fs.writeFileSync(path.join(outDir, 'code-server.log'), vs.serverLog());
      fs.writeFileSync(path.join(outDir, 'browser-console.json'), JSON.stringify(vs.consoleMessages, null, 2));
      const logs = path.join(vs.tmp, 'user-data', 'logs');
      if (fs.existsSync(logs)) fs.cpSync(logs, path.join(outDir, 'logs'), { recursive: true });
      await vs.stop();
    }
    ws?.cleanup();
  });

  test('the Problems panel lists the mistyped tag as a warning', { timeout: STEP_TIMEOUT }, () => step('problems', async () => {
    await vs.openFile('dags/marketing_leads.py');
    // Every DAG file's problems are listed (workspace diagnostics): show the rows of this tag.
    await vs.filterProblems(TYPO);
    const { problem, elapsedMs } = await vs.waitForProblem((p) => p.message.includes(TYPO), { timeoutMs: 60000 });
    log(`problem visible ${elapsedMs} ms after start: ${JSON.stringify(problem)}`);
    const at = lineColOf(path.join(ws.folder, 'dags', 'marketing_leads.py'), TYPO);
    assert.equal(problem.severity, 'Warning', JSON.stringify(problem));
    assert.equal(problem.file, 'marketing_leads.py');
    assert.equal(problem.line, at.line);
    fs.writeFileSync(path.join(outDir, 'problems.json'), JSON.stringify(await vs.problems(), null, 2));
  }));

  test('hovering analytics_reporting_edit shows the role it grants', { timeout: STEP_TIMEOUT }, () => step('hover', async () => {
    await vs.openFile('dags/analytics_reporting.py');
    const at = lineColOf(path.join(ws.folder, 'dags', 'analytics_reporting.py'), 'analytics_reporting_edit', 4);
    const text = await vs.hoverAt(at.line, at.column);
    log(`hover: ${JSON.stringify(text)}`);
    assert.match(text, /analytics_reporting(?!_edit)/, `hover does not name the role analytics_reporting:\n${text}`);
    for (const p of ['can_read', 'can_edit', 'can_delete']) assert.ok(text.includes(p), `hover lacks ${p}:\n${text}`);
  }));

  test('the quick fix for the mistyped tag changes the file on disk', { timeout: STEP_TIMEOUT }, () => step('quick-fix', async () => {
    await vs.openFile('dags/marketing_leads.py');
    const at = lineColOf(path.join(ws.folder, 'dags', 'marketing_leads.py'), TYPO, 3);
    const titles = await vs.codeActionsAt(at.line, at.column, { apply: FIXED });
    log(`code actions: ${JSON.stringify(titles)}`);
    const text = await vs.waitForFile('dags/marketing_leads.py', `"${FIXED}"`);
    assert.ok(!text.includes(TYPO), 'the mistyped tag is still on disk');
    await poll(async () => !(await vs.problems()).some((p) => p.message.includes(TYPO)), 'the warning to leave the Problems panel');
  }));

  test('Sync Permissions shows the plan, applies after confirmation, and the database holds the grants', { timeout: STEP_TIMEOUT }, async (t) => {
    if (!ws.dbFile) return t.skip(ws.dbNote);
    const dbFile = ws.dbFile;
    const before = readGrants(dbFile);
    const missingBefore = EXPECTED_GRANTS.filter((g) => !before.some((b) => grantKey(b) === grantKey(g)));
    assert.deepEqual(missingBefore, EXPECTED_GRANTS, 'the fixture copy already holds the grants the sync should add');
    let dialogText = '';
    await step('sync-plan-and-confirm', async () => {
      await vs.runCommand('Airflow Access: Sync Permissions');
      const dialog = vs.page.locator('.monaco-dialog-box');
      // Wait for the confirmation; an error toast instead (no plan, command missing…) ends the wait.
      await poll(async () => {
        if (await dialog.isVisible()) return true;
        const bad = (await vs.notifications()).find((t) => /fail|error|could not|not found|cannot/i.test(t));
        if (bad) throw new Error(`Sync Permissions showed an error instead of the confirmation: ${bad}`);
        return false;
      }, 'the modal confirmation dialog', 60000);
      dialogText = await dialog.innerText();
      // The plan: a preview document and/or the dialog's detail names the role and the DAG.
      const shown = await poll(async () => {
        const all = `${dialogText}\n${await editorsText()}`;
        return /analytics_reporting/.test(all) && /\+/.test(all) ? all : '';
      }, 'the plan (a "+" line for analytics_reporting) in an editor or the confirmation dialog', 20000);
      fs.writeFileSync(path.join(outDir, 'sync-plan-shown.txt'), shown);
    });
    await step('sync-applied', async () => {
      const buttons = vs.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button');
      const labels = await buttons.evaluateAll((els) => els.map((e) => String(e.textContent).trim()));
      const i = labels.findIndex((l) => /apply|sync|confirm|yes|ok/i.test(l) && !/cancel|no\b/i.test(l));
      assert.ok(i >= 0, `no confirm button in the dialog; buttons: ${JSON.stringify(labels)}; dialog: ${dialogText}`);
      await buttons.nth(i).click();
      await vs.page.locator('.monaco-dialog-box').waitFor({ state: 'hidden', timeout: 10000 });
      const after = await poll(() => {
        const g = readGrantsUnlessLocked(dbFile);
        if (!g) return null;
        return EXPECTED_GRANTS.every((e) => g.some((x) => grantKey(x) === grantKey(e))) ? g : null;
      }, `the database to hold ${EXPECTED_GRANTS.map(grantKey).join('; ')}`, 60000);
      const added = after.filter((a) => !before.some((b) => grantKey(a) === grantKey(b))).map(grantKey);
      const removed = before.filter((b) => !after.some((a) => grantKey(a) === grantKey(b))).map(grantKey);
      fs.writeFileSync(path.join(outDir, 'sync-db-diff.json'), JSON.stringify({ added, removed }, null, 2));
      log(`sync: ${added.length} grants added, ${removed.length} removed`);
      const notes = await vs.notifications({ match: /permissions synced/i, timeoutMs: 30000 });
      log(`notifications: ${JSON.stringify(notes)}`);
      // The cancellable progress toast must close once the apply has committed.
      await poll(async () => !(await vs.notifications()).some((x) => /applying permissions/i.test(x)),
        'the "applying permissions…" progress notification to close after the apply finished', 15000);
    });
  });

  test('Explain DAG Access opens the explanation of the DAG at the cursor', { timeout: STEP_TIMEOUT }, () => step('explain', async () => {
    await vs.openFile('dags/analytics_reporting.py');
    const at = lineColOf(path.join(ws.folder, 'dags', 'analytics_reporting.py'), '"analytics_reporting_dag"', 3);
    await vs.gotoPosition(at.line, at.column);
    await vs.runCommand('Airflow Access: Explain DAG Access');
    const tab = vs.page.locator('.tabs-container .tab', { hasText: 'analytics_reporting_dag' }).first();
    await poll(async () => {
      if (await tab.isVisible()) return true;
      const bad = (await vs.notifications()).find((t) => /fail|error|could not|cannot/i.test(t));
      if (bad) throw new Error(`Explain DAG Access showed an error: ${bad}`);
      if (await vs.page.locator('.quick-input-widget').isVisible()) throw new Error('Explain DAG Access asked to pick a DAG although the cursor is on the dag_id');
      return false;
    }, 'a tab explaining analytics_reporting_dag', 30000);
  }));

  test('the Airflow Access tree view lists the roles', { timeout: STEP_TIMEOUT }, () => step('tree-view', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const containers: { id: string; title: string }[] = Object.values(pkg.contributes?.viewsContainers ?? {}).flat() as { id: string; title: string }[];
    const views = Object.entries(pkg.contributes?.views ?? {}).flatMap(([c, vs]) => (vs as { id: string; name: string }[]).map((v) => ({ ...v, container: c })));
    const view = views.find((v) => /airflow access/i.test(v.name)) ?? views.find((v) => containers.some((c) => c.id === v.container && /airflow access/i.test(c.title)));
    assert.ok(view, `package.json contributes no "Airflow Access" view (views: ${JSON.stringify(views)})`);
    await vs.runCommand(`Focus on ${view.name} View`);
    // Rows of that view's pane only (the explorer's file tree beside it also says analytics_reporting).
    const rows = vs.page.locator(`.pane:has(> .pane-header:has-text("${view.name}")) .pane-body .monaco-list-row`);
    let seen: string[] = [];
    const labels = await poll(async () => {
      const all = await rows.evaluateAll((els) => els.map((e) => ({
        text: String(e.getAttribute('aria-label') || e.textContent).trim(), expanded: e.getAttribute('aria-expanded'),
      })));
      // Roles may sit under a collapsed "Roles" group: expand it.
      const group = all.findIndex((r) => /^roles\b/i.test(r.text) && r.expanded === 'false');
      if (group >= 0) await rows.nth(group).click();
      const texts = all.map((r) => r.text);
      seen = texts;
      return ROLES.every((r) => texts.some((x) => x.includes(r))) ? texts : null;
    }, `the tree to list the roles ${ROLES.join(', ')}`, 30000).catch((e: Error) => {
      throw new Error(`${e.message}; the view shows: ${JSON.stringify(seen)}`);
    });
    log(`tree rows: ${JSON.stringify(labels)}`);
  }));
});
