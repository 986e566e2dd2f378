/**
 * `matrix_render_ms`: the access matrix of 10,000 DAGs × 50 roles. Measured: the shared builder
 * (engine/matrix.ts, over synthetic DagAccess answers: the engine's per-DAG analysis is not in this
 * figure), then the real webview page (client/src/matrixHtml.ts + media/matrixView.js/.css) in headless
 * Chromium at 1400×900: from the data message to the first painted frame, a scroll jump (to the next
 * painted frame; every third also sideways), the same jumps rendered at once with the layout forced
 * (the page's own cost, without the wait for a frame), and typing a filter. Without playwright-core / Chromium (test/e2e/setup.sh) the
 * row is SKIP with the reason.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { DagAccess, Grant, RoleAccess } from '../../server/src/model/access';
import { buildMatrix, type MatrixEntry } from '../../server/src/engine/matrix';
import { matrixHtml } from '../../client/src/matrixHtml';
import { ms, percentile, verdict, type Row } from './report';

const repo = path.join(__dirname, '..', '..', '..');
const DEFAULTS: [string, string[]][] = [['Admin', ['can_read', 'can_edit', 'can_delete']], ['Op', ['can_read', 'can_edit', 'can_delete']], ['User', ['can_read', 'can_edit', 'can_delete']], ['Viewer', ['can_read']]];

/** 10k DAGs, 4 default roles + 46 team roles: each DAG reached by 1-3 teams per-DAG, one team reads every DAG, some grants reverted. */
export function syntheticEntries(nDags: number, nRoles: number): MatrixEntry[] {
  const teams = Array.from({ length: nRoles - DEFAULTS.length }, (_, i) => `team_${String(i).padStart(2, '0')}_analytics`);
  const range = { start: { line: 3, character: 4 }, end: { line: 3, character: 12 } };
  const g = (role: string, action: string, scope: 'global' | 'dag', reverted = false): Grant => ({ role, resource: 'DAGs', action, scope, via: [{ kind: 'default_role', role, resource: 'DAGs' }], ...(reverted ? { reverted } : {}) });
  const ra = (role: string, builtin: boolean, grants: Grant[], runs: string[] = []): RoleAccess => ({ role, builtin, grants, dagActions: [...new Set(grants.filter((x) => !x.reverted).map((x) => x.action))], dagRunActions: runs, editWithoutRead: false });
  const defaults = DEFAULTS.map(([r, acts]) => ra(r, true, acts.map((a) => g(r, a, 'global')), ['can_read']));
  return Array.from({ length: nDags }, (_, i) => {
    const roles = [...defaults, ra(teams[0]!, false, [g(teams[0]!, 'can_read', 'global')])];
    for (let k = 1; k <= 1 + (i % 3); k++) {
      const t = teams[(i * 7 + k * 13) % teams.length]!;
      if (t === teams[0]) continue;
      roles.push(ra(t, false, [g(t, 'can_read', 'dag'), g(t, 'can_edit', 'dag', i % 11 === 0)], k === 1 ? ['can_read', 'can_create'] : []));
    }
    const access: DagAccess = { dagId: `dag_${i}`, roles, conflicts: [], summary: { canRead: 0, canEdit: 0, canDelete: 0, nonAdminReachable: true } };
    return { dagId: `dag_${String(i).padStart(5, '0')}`, file: `/ws/dags/team_${i % 50}/dag_${i}.py`, range, tags: [`team_${i % 46}`, i % 2 ? 'daily' : 'hourly'], team: `team_${i % 9}`, access };
  });
}

export async function matrixBench(label: string, nDags = 10_000, nRoles = 50): Promise<Row[]> {
  const entries = syntheticEntries(nDags, nRoles);
  const t0 = process.hrtime.bigint();
  const m = buildMatrix(entries);
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const model = { roles: m.roles, builtin: m.builtin, folded: m.folded, foldedLine: m.foldedLine, dagIds: m.dags.map((d) => d.dagId), tags: m.dags.map((d) => d.tags), teams: m.dags.map((d) => d.team), notImported: m.dags.map((d) => d.notImported), codes: m.codes };
  const payloadBytes = Buffer.byteLength(JSON.stringify(model));
  const base = { section: label, metric: `matrix view, ${nDags / 1000}k DAGs × ${m.roles.length} roles` };
  const realClients = path.resolve(process.env.REAL_CLIENTS_DIR ?? path.join(repo, '.real-clients'));
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  let chromium: { launch(o: object): Promise<any> };
  try {
    chromium = createRequire(path.join(realClients, 'package.json'))('playwright-core').chromium;
    if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}`);
  } catch (e) {
    return [{ id: 'matrix_render_ms', ...base, value: `builder ${ms(buildMs)}`, target: '', verdict: 'SKIP', data: { build_ms: buildMs, payload_bytes: payloadBytes }, note: `no headless Chromium (test/e2e/setup.sh): ${(e as Error).message.split('\n')[0]}` }];
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-bench-matrix-'));
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const media = (f: string) => pathToFileURL(path.join(repo, 'media', f)).href;
    const page = path.join(dir, 'matrix.html');
    fs.writeFileSync(page, matrixHtml({ cspSource: 'file:', nonce: crypto.randomBytes(16).toString('base64'), script: media('matrixView.js'), style: media('matrixView.css'), title: 'bench' }));
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const tab = await ctx.newPage();
    await tab.addInitScript(() => {
      (globalThis as any).acquireVsCodeApi = () => ({ postMessage() {}, getState: () => undefined, setState() {} });
    });
    await tab.goto(pathToFileURL(page).href);
    const r = (await tab.evaluate(async (model: unknown) => {
      const w = globalThis as any;
      const frame = () => new Promise((res) => w.requestAnimationFrame(() => w.setTimeout(res, 0)));
      const scroller = w.document.getElementById('scroller');
      let t = w.performance.now();
      w.dispatchEvent(new w.MessageEvent('message', { data: { type: 'data', title: 'bench', model } }));
      await frame();
      const first = w.performance.now() - t;
      const domRows = w.document.querySelectorAll('#body .r').length;
      const visibleHeaders = w.document.querySelectorAll('#head [role=columnheader]').length;
      const scrolls: number[] = [];
      for (let k = 1; k <= 30; k++) {
        const scrolled = new Promise((res) => scroller.addEventListener('scroll', res, { once: true }));
        t = w.performance.now();
        scroller.scrollTop = ((k * 7919) % 10_000) * 22;
        // Every third jump also goes sideways (the role columns are virtualised too).
        if (k % 3 === 0) scroller.scrollLeft = (k % 2) * 600;
        await scrolled;
        await frame();
        scrolls.push(w.performance.now() - t);
      }
      // The same jumps with the render called at once and the layout forced: the page's own cost,
      // without the wait for the next frame (which a loaded machine stretches).
      const syncScrolls: number[] = [];
      for (let k = 1; k <= 30; k++) {
        t = w.performance.now();
        scroller.scrollTop = ((k * 6007) % 10_000) * 22;
        scroller.dispatchEvent(new w.Event('scroll'));
        void w.document.getElementById('rows').getBoundingClientRect().height;
        void w.document.querySelector('#rows .r:last-child .c:last-child')?.getBoundingClientRect().left;
        syncScrolls.push(w.performance.now() - t);
      }
      const filter = w.document.getElementById('filter');
      t = w.performance.now();
      filter.value = 'team_7';
      filter.dispatchEvent(new w.Event('input'));
      await frame();
      const filterMs = w.performance.now() - t;
      return { first, scrolls, syncScrolls, filterMs, domRows, visibleHeaders, shown: w.document.getElementById('count').textContent };
    }, model)) as { first: number; scrolls: number[]; syncScrolls: number[]; filterMs: number; domRows: number; visibleHeaders: number; shown: string };
    const p50 = percentile(r.scrolls, 50);
    const p95 = percentile(r.scrolls, 95);
    const syncP50 = percentile(r.syncScrolls, 50);
    const syncMin = Math.min(...r.syncScrolls);
    return [
      {
        id: 'matrix_render_ms',
        ...base,
        value: `first screen ${ms(r.first)}, scroll p50 ${ms(p50)} / p95 ${ms(p95)} (render + layout p50 ${ms(syncP50)}, min ${ms(syncMin)}), filter ${ms(r.filterMs)}, builder ${ms(buildMs)}`,
        target: 'first screen ≤ 500 ms, scroll p95 ≤ 50 ms',
        verdict: verdict(r.first <= 500 && p95 <= 50),
        data: { first_screen_ms: r.first, scroll_p50_ms: p50, scroll_p95_ms: p95, scroll_render_layout_p50_ms: syncP50, scroll_render_layout_min_ms: syncMin, filter_ms: r.filterMs, build_ms: buildMs, payload_bytes: payloadBytes, dom_rows: r.domRows, dags: nDags, roles: m.roles.length },
        note: `headless Chromium 1400×900, the webview page with a stub VS Code API; ${r.domRows} rows in the DOM of ${nDags}; payload ${(payloadBytes / 1048576).toFixed(1)} MB JSON; after the filter: ${r.shown}`,
      },
    ];
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
