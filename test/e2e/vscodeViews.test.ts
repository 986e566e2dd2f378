/**
 * "Who gets what, and why" in VS Code (code-server + headless Chromium, the packaged .vsix, a copy
 * of examples/ with the Airflow metadata fixture): the tree says why each role reaches a DAG and a
 * click opens the line that grants it; the dag_id hover lists the reasons one per line; a link in
 * the Explain DAG Access preview opens the config at the line. Screenshots go to
 * test-artifacts/e2e/vscode/views-*.png (beside the other e2e files'; each removes only its own).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, codeServerSkip, lineColOf, poll, realClientsDir } from './lib/env';
import { driver, type VSCodeWeb } from './lib/driver';
import { ensureVsix } from './lib/vsix';
import { prepareWorkspace, type E2EWorkspace } from './lib/workspace';

const skip = codeServerSkip();
const STEP_TIMEOUT = 120000;
const VIEW = 'Airflow Access';

describe('VS Code (code-server + Chromium): why a role reaches a DAG', { skip }, () => {
  const outDir = path.join(artifactsDir, 'vscode');
  let ws: E2EWorkspace;
  let vs: VSCodeWeb;
  /** Playwright's full Page (frame locators, mouse) where the typed subset in lib/driver.ts stops. */
  let page: any;
  let n = 0;
  const log = (m: string) => process.stdout.write(`# ${m}\n`);

  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    const shot = path.join(outDir, `views-${String(++n).padStart(2, '0')}-${name}`);
    try {
      await fn();
      await vs.screenshot(`${shot}.png`);
      log(`step ${name}: screenshot ${shot}.png`);
    } catch (e) {
      await vs.screenshot(`${shot}-FAILED.png`).catch(() => {});
      throw new Error(`[step ${name}, screenshot ${shot}-FAILED.png] ${(e as Error).message ?? e}`, { cause: e });
    }
  }

  /** The active editor's file name and 1-based cursor line (status bar "Ln 12, Col 5"). */
  async function activeEditor(): Promise<{ tab: string; line: number | null }> {
    const tab = String(await page.locator('.tabs-container .tab.active').first().getAttribute('aria-label').catch(() => ''));
    const sel = String(await page.locator('#status\\.editor\\.selection').first().textContent().catch(() => ''));
    const m = sel.match(/Ln (\d+)/);
    return { tab, line: m ? Number(m[1]) : null };
  }

  const configLine = (needle: string) => lineColOf(path.join(ws.folder, 'airflow-access.yaml'), needle).line;

  before(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    for (const f of fs.readdirSync(outDir)) if (f.startsWith('views-')) fs.rmSync(path.join(outDir, f), { recursive: true, force: true });
    const vsix = ensureVsix(log);
    ws = prepareWorkspace();
    log(`workspace ${ws.folder}; database: ${ws.dbNote}`);
    const { startCodeServer } = await driver();
    vs = await startCodeServer({ workspace: ws.folder, vsix, installDir: realClientsDir, log, timeoutMs: 30000 });
    page = vs.page;
  });

  after(async () => {
    if (vs) {
      fs.writeFileSync(path.join(outDir, 'views-code-server.log'), vs.serverLog());
      await vs.stop();
    }
    ws?.cleanup();
  });

  test('the tree says why a role reaches a DAG, shows where in a Markdown tooltip, and a click opens the tag mapping', { timeout: STEP_TIMEOUT }, () => step('tree-reasons', async () => {
    // Room for the tree: fold the explorer's file list (the view sits below it).
    const files = page.locator('.pane-header[aria-expanded="true"]', { hasText: /^examples$/i }).first();
    if (await files.isVisible().catch(() => false)) await files.click();
    // Open a DAG file first (activates the extension; the palette lists the view's command once it is ready).
    await vs.openFile('dags/analytics_reporting.py');
    const header = page.locator(`.pane-header:has-text("${VIEW}")`).first();
    await poll(async () => {
      if (await header.isVisible().catch(() => false)) {
        if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
        return true;
      }
      await vs.runCommand(`Focus on ${VIEW} View`).catch(() => page.keyboard.press('Escape'));
      return false;
    }, `the ${VIEW} view`, 60000);
    // A wider side bar, so the screenshots show the reasons beside the names (drag its edge).
    const bar = await page.locator('#workbench\\.parts\\.sidebar').boundingBox().catch(() => null);
    if (bar) {
      await page.mouse.move(bar.x + bar.width - 1, bar.y + bar.height / 2);
      await page.mouse.down();
      await page.mouse.move(720, bar.y + bar.height / 2, { steps: 5 });
      await page.mouse.up();
    }
    const rows = page.locator(`.pane:has(> .pane-header:has-text("${VIEW}")) .pane-body .monaco-list-row`);
    const texts = async (): Promise<{ text: string; expanded: string | null }[]> =>
      rows.evaluateAll((els: any[]) => els.map((e) => ({
        text: [e.querySelector('.label-name'), e.querySelector('.label-description')].map((x) => String(x?.textContent ?? '').trim()).filter(Boolean).join('  '),
        expanded: e.getAttribute('aria-expanded'),
      })));
    // Expand Roles, then the role: its child names the DAG and says why.
    const child = await poll(async () => {
      const all = await texts();
      for (const name of [/^Roles\b/, /^analytics_reporting\b(?!_dag)/]) {
        const i = all.findIndex((r) => name.test(r.text) && r.expanded === 'false');
        // The twistie: a click on the row runs its command (opens the role in the config) instead.
        if (i >= 0) await rows.nth(i).locator('.monaco-tl-twistie').click();
      }
      const j = all.findIndex((r) => /^analytics_reporting_dag\b/.test(r.text) && /via tag analytics_reporting_edit/.test(r.text));
      return j >= 0 ? { index: j, text: all[j].text } : null;
    }, 'a child "analytics_reporting_dag … via tag analytics_reporting_edit" under the role analytics_reporting', 60000);
    log(`tree child: ${child.text}`);
    assert.match(child.text, /^analytics_reporting_dag {2}read, edit, delete — via tag analytics_reporting_edit/);
    const all = await texts();
    log(`tree rows: ${JSON.stringify(all.map((r) => r.text))}`);
    // DAG-wide access is one line, not a DAG each: no role lists platform_maintenance (default roles only).
    assert.ok(!all.some((r) => /^platform_maintenance\b/.test(r.text) && all.indexOf(r) < all.findIndex((x) => /^DAGs\b/.test(x.text))), 'a role lists a DAG it reaches only DAG-wide');
    // The role's children and its Markdown tooltip are fetched when needed (treeChildren, resolveTreeItem):
    // hovering the role shows the DAGs it reaches.
    // The row is found by its label, not by position: the list is virtualised and refreshes as children arrive.
    const roleRow = rows.filter({ has: page.locator('.label-name', { hasText: /^analytics_reporting$/ }) }).first();
    const roleTip = page.locator('.workbench-hover, .monaco-hover', { hasText: 'Reaches' }).first();
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(0, 0);
      await roleRow.hover();
      try {
        await roleTip.waitFor({ state: 'visible', timeout: 5000 });
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
      }
    }
    const roleTipText = String(await roleTip.innerText());
    log(`role tooltip: ${JSON.stringify(roleTipText)}`);
    assert.match(roleTipText, /Role analytics_reporting — can_read, can_edit, can_delete[\s\S]*Reaches \d+ DAG\(s\):\s*analytics_reporting_dag/);
    await page.mouse.move(0, 0);
    await page.locator('.workbench-hover, .monaco-hover', { hasText: 'Reaches' }).first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    // The Markdown tooltip: where the grant comes from.
    const row = rows.nth(child.index);
    await row.hover();
    const tip = page.locator('.workbench-hover, .monaco-hover', { hasText: 'is mapped to role' }).first();
    await tip.waitFor({ state: 'visible', timeout: 15000 });
    const tipText = String(await tip.innerText());
    log(`tooltip: ${JSON.stringify(tipText)}`);
    assert.match(tipText, /Tag analytics_reporting_edit on the DAG \(dags\/analytics_reporting\.py:\d+\) is mapped to role analytics_reporting in airflow-access\.yaml:\d+/);
    await vs.screenshot(path.join(outDir, 'views-tree-tooltip.png'));
    // A click opens the config line that maps the tag.
    await page.mouse.move(0, 0);
    await row.click();
    const want = configLine('tags: [analytics_reporting_edit]');
    const at = await poll(async () => {
      const a = await activeEditor();
      return /airflow-access\.yaml/.test(a.tab) && a.line === want ? a : null;
    }, `airflow-access.yaml open at line ${want}`, 15000).catch(async (e: Error) => { throw new Error(`${e.message}; active: ${JSON.stringify(await activeEditor())}`); });
    log(`clicked: ${JSON.stringify(at)}`);
    // finance_ledger under DAGs: its access_control reverts the analytics_reporting tag grant, and says so.
    await poll(async () => {
      const rowsNow = await texts();
      const dagsAt = rowsNow.findIndex((r) => /^DAGs\b/.test(r.text));
      const i = rowsNow.findIndex((r, k) => k > dagsAt && /^finance_ledger\b/.test(r.text));
      if (i < 0) return false;
      if (rowsNow[i].expanded === 'false') await rows.nth(i).locator('.monaco-tl-twistie').click();
      return (await texts()).some((r, k) => k > dagsAt && /^analytics_reporting {2}nothing — via tag analytics_reporting_edit \(reverted by access_control\)/.test(r.text));
    }, 'finance_ledger under DAGs to show its roles', 15000);
    log(`tree rows after expanding finance_ledger: ${JSON.stringify((await texts()).map((r) => r.text))}`);
  }));

  test('the dag_id hover lists each role on its own line and its reasons one per line, without HTML', { timeout: STEP_TIMEOUT }, () => step('hover-reasons', async () => {
    await vs.openFile('dags/analytics_reporting.py');
    const at = lineColOf(path.join(ws.folder, 'dags', 'analytics_reporting.py'), '"analytics_reporting_dag"', 3);
    const text = await vs.hoverAt(at.line, at.column);
    log(`hover: ${JSON.stringify(text)}`);
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    const header = lines.findIndex((l) => /^analytics_reporting — read, edit, delete/.test(l));
    const reason = lines.findIndex((l) => /^via tag analytics_reporting_edit \(airflow-access\.yaml:\d+\)/.test(l));
    const defaults = lines.findIndex((l) => /^Default roles \(DAG-wide, every DAG\): Admin, Op, User: read, edit, delete/.test(l));
    assert.ok(header >= 0 && reason > header, `the role and its reason are not separate lines:\n${text}`);
    assert.ok(defaults > reason, `the default roles are not one line of their own:\n${text}`);
    assert.doesNotMatch(text, /<br>|<\/?[a-z]+>/i, 'HTML shows as text');
    // Rendered as a list: one item per reason.
    const items = await page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content li').evaluateAll((els: any[]) => els.map((e) => String(e.textContent)));
    assert.ok(items.some((t: string) => /^via tag analytics_reporting_edit/.test(t)), `no list item for the tag reason: ${JSON.stringify(items)}`);
  }));

  test('a link in the Explain DAG Access preview opens the config at the line', { timeout: STEP_TIMEOUT }, () => step('explain-link', async () => {
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
    await vs.openFile('dags/analytics_reporting.py');
    const at = lineColOf(path.join(ws.folder, 'dags', 'analytics_reporting.py'), '"analytics_reporting_dag"', 3);
    await vs.gotoPosition(at.line, at.column);
    await vs.runCommand('Airflow Access: Explain DAG Access');
    const want = configLine('tags: [analytics_reporting_edit]');
    const label = `airflow-access.yaml:${want}`;
    // The rendered preview is a webview: an iframe holding the active frame with the document.
    const doc = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
    const anchor = doc.locator('a', { hasText: label }).first();
    await anchor.waitFor({ state: 'visible', timeout: 30000 });
    const body = String(await doc.locator('body').innerText());
    fs.writeFileSync(path.join(outDir, 'views-explain-preview.txt'), body);
    assert.doesNotMatch(body, /\]\(file:/, 'the preview shows raw Markdown links');
    await vs.screenshot(path.join(outDir, 'views-explain-preview.png'));
    await anchor.click();
    const opened = await poll(async () => {
      const a = await activeEditor();
      return /airflow-access\.yaml/.test(a.tab) && a.line === want ? a : null;
    }, `the link to open airflow-access.yaml at line ${want}`, 20000).catch(async (e: Error) => { throw new Error(`${e.message}; active: ${JSON.stringify(await activeEditor())}`); });
    log(`explain link opened ${JSON.stringify(opened)}`);
  }));
});
