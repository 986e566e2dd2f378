/**
 * The access matrix webview in VS Code (code-server + headless Chromium at 1400×900), on a copy of
 * examples/ grown to 50 roles with access (4 default + 46 custom) over 34 DAGs: the role names and the
 * DAG rows are readable, the filter narrows the rows, a click on a cell opens the explanation of that
 * role on that DAG. Screenshots: test-artifacts/e2e/vscode/matrix-*.png (this file removes its own
 * earlier ones; vscode.test.ts leaves them).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, codeServerSkip, poll, realClientsDir } from './lib/env';
import { driver, type VSCodeWeb } from './lib/driver';
import { ensureVsix } from './lib/vsix';
import { prepareWorkspace, type E2EWorkspace } from './lib/workspace';

const skip = codeServerSkip();
const TEAMS = Array.from({ length: 44 }, (_, i) => `team_${String(i).padStart(2, '0')}_analytics`);

/** 44 team roles (each reached by the generated DAGs' tags) on top of the example config's roles. */
function growTo50Roles(folder: string): void {
  const cfg = path.join(folder, 'airflow-access.yaml');
  const roles = TEAMS.map((t) => `  ${t}:\n    tags: [${t}_read]\n    dag_permissions: [can_read]\n`).join('');
  fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace(/^roles:\n/m, `roles:\n${roles}`));
  const dags = Array.from({ length: 30 }, (_, i) => `with DAG("team_dag_${String(i).padStart(2, '0')}", tags=["${TEAMS[i % 44]}_read", "${TEAMS[(i * 7 + 3) % 44]}_read", "${TEAMS[(i + 30) % 44]}_read"]):\n    pass\n`);
  fs.writeFileSync(path.join(folder, 'dags', 'team_dags.py'), `from airflow import DAG\n\n${dags.join('\n')}`);
}

interface Frame {
  $(selector: string): Promise<unknown>;
  evaluate<R, A = undefined>(fn: (a: A) => R, arg?: A): Promise<R>;
  fill(selector: string, value: string): Promise<void>;
  click(selector: string): Promise<void>;
  focus(selector: string): Promise<void>;
}

describe('VS Code (code-server + Chromium): the access matrix with 50 roles', { skip }, () => {
  const outDir = path.join(artifactsDir, 'vscode');
  let ws: E2EWorkspace;
  let vs: VSCodeWeb;
  const log = (m: string) => process.stdout.write(`# ${m}\n`);

  before(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    for (const f of fs.readdirSync(outDir)) if (f.startsWith('matrix-')) fs.rmSync(path.join(outDir, f), { force: true });
    const vsix = ensureVsix(log);
    ws = prepareWorkspace({ withDb: false });
    growTo50Roles(ws.folder);
    const { startCodeServer } = await driver();
    vs = await startCodeServer({ workspace: ws.folder, vsix, installDir: realClientsDir, log, timeoutMs: 30000 });
  });

  after(async () => {
    await vs?.stop();
    ws?.cleanup();
  });

  /** The frame of the matrix webview (inside code-server's webview iframes). */
  async function matrixFrame(): Promise<Frame> {
    return poll(async () => {
      for (const f of (vs.page as unknown as { frames(): Frame[] }).frames()) {
        if (await f.$('#scroller').catch(() => null)) return f;
      }
      return null;
    }, 'the access matrix webview', 60000);
  }

  test('the matrix is readable at 1400×900, filters, and a cell opens its explanation', { timeout: 240000 }, async () => {
    const shot = (name: string) => vs.screenshot(path.join(outDir, name));
    try {
      // Right after start the palette may not list the extension's commands yet: try again until it does.
      await poll(async () => {
        try {
          await vs.runCommand('Airflow Access: Show Access Matrix', { timeoutMs: 10000 });
          return true;
        } catch {
          await vs.page.keyboard.press('Escape');
          return false;
        }
      }, 'the palette to run Airflow Access: Show Access Matrix', 90000);
      const frame = await matrixFrame();
      const count = await poll(async () => {
        const t = await frame.evaluate(() => (globalThis as any).document.getElementById('count').textContent as string);
        return /^34 of 34 DAGs · 46 of 50 roles \(4 default roles folded\)$/.test(t) ? t : null;
      }, 'the matrix to show 34 DAGs and 50 roles', 60000);
      log(`matrix: ${count}`);
      // What is on screen: role headers inside the webview's width, DAG names in the rows.
      const seen = await frame.evaluate(() => {
        const d = (globalThis as any).document;
        const w = (globalThis as any).innerWidth as number;
        const h = (globalThis as any).innerHeight as number;
        const inView = (e: any) => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= w && r.top >= 0 && r.bottom <= h && r.width > 0; };
        return {
          headers: [...d.querySelectorAll('#head .h.c')].filter(inView).map((e: any) => String(e.textContent)),
          dags: [...d.querySelectorAll('#body .d')].filter(inView).map((e: any) => String(e.textContent)),
          // One line per row: distinct offsets (an inline style dropped by the CSP would stack them).
          rowTops: new Set([...d.querySelectorAll('#body .d')].filter(inView).map((e: any) => Math.round(e.getBoundingClientRect().top))).size as number,
          cellWidth: d.querySelector('#body .c')?.getBoundingClientRect().width as number,
        };
      });
      log(`visible: ${seen.headers.length} column headers, ${seen.dags.length} DAG rows on ${seen.rowTops} lines`);
      assert.ok(seen.headers.includes('Default roles'), JSON.stringify(seen.headers));
      assert.ok(seen.headers.includes('analytics_reporting') && seen.headers.includes('team_00_analytics'), JSON.stringify(seen.headers));
      assert.ok(seen.headers.length >= 15, `only ${seen.headers.length} role columns fit: ${JSON.stringify(seen.headers)}`);
      assert.ok(seen.dags.includes('analytics_reporting_dag') && seen.dags.length >= 20, JSON.stringify(seen.dags));
      assert.equal(seen.rowTops, seen.dags.length, 'each visible DAG on its own line');
      await shot('matrix-50-roles.png');

      await frame.fill('#filter', 'finance');
      const rows = await poll(async () => {
        const r = await frame.evaluate(() => [...(globalThis as any).document.querySelectorAll('#body .d')].map((e: any) => String(e.textContent)));
        return r.length === 1 ? r : null;
      }, 'the filter to leave one DAG', 10000);
      assert.deepEqual(rows, ['finance_ledger']);
      await shot('matrix-filtered.png');

      // The finance_auditor cell of finance_ledger.
      const col = await frame.evaluate(() => {
        const heads = [...(globalThis as any).document.querySelectorAll('#head .h.c')] as any[];
        return heads.find((e) => e.textContent === 'finance_auditor')?.getAttribute('data-sort') as string;
      });
      assert.ok(col, 'a finance_auditor column');
      await frame.click(`#body .r .c[data-col="${col}"]`);
      const tab = vs.page.locator('.tabs-container .tab', { hasText: 'finance_ledger' }).first();
      await poll(async () => {
        if (await tab.isVisible()) return true;
        const bad = (await vs.notifications()).find((t) => /fail|error|could not|cannot/i.test(t));
        if (bad) throw new Error(`opening the cell showed an error: ${bad}`);
        return false;
      }, 'a tab explaining finance_ledger', 30000);
      // The rendered explanation starts with that role on that DAG and where its grant comes from.
      const explained = await poll(async () => {
        for (const f of (vs.page as unknown as { frames(): Frame[] }).frames()) {
          const text = await f.evaluate(() => String((globalThis as any).document?.body?.innerText ?? '')).catch(() => '');
          if (text.includes('Role finance_auditor on DAG finance_ledger')) return text;
        }
        return null;
      }, 'the preview to explain finance_auditor on finance_ledger', 30000);
      assert.match(explained, /via tag finance_read — read[\s\S]*via access_control/);
      await shot('matrix-cell-explained.png');
    } catch (e) {
      await shot('matrix-FAILED.png').catch(() => {});
      throw e;
    }
  });
  test('sort, keyboard, unfolding and the CSV export', { timeout: 240000 }, async () => {
    const shot = (name: string) => vs.screenshot(path.join(outDir, name));
    try {
      const frame = await matrixFrame();
      const text = (sel: string) => frame.evaluate((s: string) => String((globalThis as any).document.querySelector(s)?.textContent ?? ''), sel);
      const dagRows = () => frame.evaluate(() => [...(globalThis as any).document.querySelectorAll('#body .d')].map((e: any) => String(e.textContent)));
      await frame.fill('#filter', '');
      await poll(async () => (await dagRows()).length > 20, 'the rows back after clearing the filter', 10000);
      // Sort by finance_auditor: the one DAG it reaches comes first.
      await frame.click('#head .h.c:has-text("finance_auditor")');
      await poll(async () => (await dagRows())[0] === 'finance_ledger', 'finance_ledger first when sorted by finance_auditor', 10000);
      // Keyboard: from the first cell, right then down, Enter explains that pair.
      await frame.focus('#scroller');
      await vs.page.keyboard.press('Home');
      await vs.page.keyboard.press('ArrowRight');
      await vs.page.keyboard.press('ArrowRight');
      await vs.page.keyboard.press('ArrowDown');
      const detail = await poll(async () => {
        const t = await text('#detail');
        return /^analytics_reporting on \S+ · /.test(t) ? t : null;
      }, 'the detail line to describe the focused cell', 10000);
      const dag = /^analytics_reporting on (\S+)/.exec(detail)![1]!;
      assert.equal(dag, (await dagRows())[1], 'the second row');
      await vs.page.keyboard.press('Enter');
      await poll(async () => vs.page.locator('.tabs-container .tab', { hasText: dag }).first().isVisible(), `a tab explaining ${dag}`, 30000);
      // Unfold the default roles: all 50 columns.
      await frame.click('#unfold');
      await poll(async () => /· 50 of 50 roles$/.test(await text('#count')), 'the count to say 50 of 50 roles', 10000);
      await shot('matrix-unfolded.png');
      // Export CSV as an untitled document: the CLI's header.
      await frame.click('#exportCsv');
      const pick = vs.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open as an untitled document' }).first();
      await pick.waitFor({ state: 'visible', timeout: 20000 });
      await pick.click();
      await vs.waitForEditorText(/dag_id,file,Admin,Op,User,Viewer,analytics_reporting,finance_auditor,team_00_analytics/, { timeoutMs: 30000 });
      await shot('matrix-exported-csv.png');
    } catch (e) {
      await shot('matrix-keyboard-FAILED.png').catch(() => {});
      throw e;
    }
  });
});
