/**
 * The index lifecycle over stdio on a generated 3,000-file workspace: open documents are answered
 * while the rest of the folder is still being scanned (answers that need the whole folder say so),
 * the scan reports work-done progress, rapid config edits leave one scan to finish, and a change on
 * disk or a burst of keystrokes is analysed once. Ordering is asserted, never timing.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Hover } from 'vscode-languageserver-protocol';
import { fileUri, LspClient } from '../helpers/lspClient';
import { FILES_PER_FOLDER, generateWorkspace, type SyntheticWorkspace } from '../bench/workspace';

const FILES = 3000;
const PARTIAL = /indexing: .* — answer may be partial/;

interface Progress {
  token: string | number;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number };
}

const hoverText = (h: Hover | null): string => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

describe('index lifecycle: a big workspace', () => {
  let ws: SyntheticWorkspace;
  let client: LspClient;
  let dupFile = '';
  const progress = () => client.received<Progress>('$/progress');
  const scanEnded = () => progress().some((p) => p.value.kind === 'end');

  before(async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-lifecycle-'));
    ws = generateWorkspace(root, FILES, 7);
    // A second file defining the probe's dag_id: a duplicate (ADA011) only the whole workspace can tell.
    dupFile = path.join(root, 'dags', 'extra', 'dup.py');
    fs.mkdirSync(path.dirname(dupFile), { recursive: true });
    fs.writeFileSync(dupFile, fs.readFileSync(ws.probe.file, 'utf8'));
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  test('an open file is answered before the scan ends, marked partial, and the marker goes when it ends', async () => {
    client = await LspClient.start({ folders: [ws.root], waitIndexed: false });
    const uri = await client.open(ws.probe.file);
    const dupUri = await client.open(dupFile);
    const pos = { line: ws.probe.tagLine, character: ws.probe.tagColumn };
    const first = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos });
    const endedBeforeHover = scanEnded();
    const during = await client.pullDiagnostics(dupUri);
    const endedBeforeDiagnostics = scanEnded();
    assert.equal(endedBeforeHover, false, 'the hover was answered while the folder was still being indexed');
    assert.match(hoverText(first), /team_\d\d/, 'the hover names the roles the tag grants');
    assert.match(hoverText(first), PARTIAL);
    assert.equal(endedBeforeDiagnostics, false);
    assert.ok(!during.some((d) => d.code === 'ADA011'), 'no duplicate dag_id published while the scan runs, though both files are indexed');

    const stats = await client.waitIndexed();
    assert.equal(stats[0]!.files, FILES + 3, 'every DAG file, the constants module, its package and the duplicate');
    assert.ok(scanEnded());
    const later = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos });
    assert.doesNotMatch(hoverText(later), PARTIAL);
    assert.ok((await client.pullDiagnostics(dupUri)).some((d) => d.code === 'ADA011'), 'the duplicate once the scan is complete');
  });

  test('the scan reported work-done progress: begin, "Indexing n / total files", end', () => {
    const all = progress();
    const begin = all.find((p) => p.value.kind === 'begin');
    assert.ok(begin, 'a begin');
    assert.equal(begin.value.title, 'Airflow DAG Access');
    const mine = all.filter((p) => p.token === begin.token);
    const reports = mine.filter((p) => p.value.kind === 'report').map((p) => p.value.message ?? '');
    assert.ok(reports.some((m) => /^Indexing [\d,]+ \/ 3,003 files$/.test(m)), `reports: ${reports.join(' | ')}`);
    assert.equal(mine[mine.length - 1]!.value.kind, 'end');
    const percentages = mine.map((p) => p.value.percentage).filter((n): n is number => typeof n === 'number');
    assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'percentages never go back');
  });

  test('rapid config edits cancel the running scan and leave one scan to finish, for the last text', async () => {
    const cfg = path.join(ws.root, 'airflow-access.yaml');
    const base = fs.readFileSync(cfg, 'utf8');
    const withExclude = (groups: number[]) => `${base}dags:\n  exclude: [${groups.map((g) => `"dags/group_${String(g).padStart(3, '0')}/**"`).join(', ')}]\n`;
    const uri = await client.open(cfg);
    const before = (await client.waitIndexed())[0]!;
    const begins = () => progress().filter((p) => p.value.kind === 'begin').length;
    const beginsBefore = begins();
    await client.change(uri, 2, withExclude([0]));
    // The first rescan is running...
    await client.waitFor(() => begins() > beginsBefore, 'the rescan for the first edit to begin');
    // ...when a burst of edits arrives, one key at a time.
    for (let v = 3; v <= 7; v++) await client.change(uri, v, withExclude(v < 7 ? [v - 2] : [1, 2]));
    const after = await client.waitIndexed();
    const s = after[0]!;
    assert.equal(s.files, FILES + 3 - 2 * FILES_PER_FOLDER, 'the last config excludes two folders');
    assert.equal(s.scansCompleted - before.scansCompleted, 1, 'only the last rescan completed');
    assert.ok(s.scansCancelled - before.scansCancelled >= 1, 'the first rescan was cancelled');
    assert.equal(s.scansStarted - before.scansStarted, 2, 'the burst of five edits started one rescan');
    assert.equal(s.scansFailed, 0);
  });

  test('a burst of keystrokes is analysed as its latest version, not once per version', async () => {
    const uri = fileUri(ws.probe.file);
    const original = fs.readFileSync(ws.probe.file, 'utf8');
    const before = (await client.indexStats())[0]!;
    // A near-miss of a mapped tag (ADA001) in every version; only the last one names team_02.
    const version = (v: number) => `${original.replace('tags=[', `tags=["${v === 31 ? 'team_02' : 'team_01'}_edi", `)}# keystroke ${v}\n`;
    for (let v = 2; v <= 31; v++) await client.change(uri, v, version(v));
    const diagnostics = (await client.pullDiagnostics(uri)).filter((d) => d.code === 'ADA001');
    const s = (await client.indexStats())[0]!;
    assert.ok(diagnostics.some((d) => d.message.includes('team_02_edi')), 'the diagnostics are those of the last version');
    assert.ok(!diagnostics.some((d) => d.message.includes('team_01_edi')));
    assert.ok(s.textAnalyses - before.textAnalyses < 30, `30 versions, ${s.textAnalyses - before.textAnalyses} analyses`);
  });

  test('a change on disk reported twice (two watchers) is analysed once', async () => {
    const file = path.join(ws.root, 'dags', 'group_003', 'dag_00601.py');
    const before = (await client.indexStats())[0]!;
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('tags=[', 'tags=["disk_tag", '));
    const change = { changes: [{ uri: fileUri(file), type: 2 }] };
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', change);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', change);
    const s = (await client.indexStats())[0]!;
    assert.equal(s.diskAnalyses - before.diskAnalyses, 1);
    const text = fs.readFileSync(file, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('disk_tag'));
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: fileUri(file) }, position: { line, character: text.split('\n')[line]!.indexOf('disk_tag') + 1 } });
    assert.match(hoverText(h), /disk_tag/, 'the index has the new text');
  });
});
