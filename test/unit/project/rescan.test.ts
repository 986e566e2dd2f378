/**
 * Project rescans: config edits that change discovery rescan once typing stops (the previous scan is
 * cancelled), a failed background scan is reported, and the index is only swapped by the Project.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project } from '../../../server/src/project/project';
import { parseSettings } from '../../../server/src/settings';

const CONFIG = 'version: 1\nroles:\n  sales:\n    tags: [sales_edit]\n    dag_permissions: [can_read]\n';
const dagFile = (id: string) => `from airflow import DAG\nwith DAG("${id}", tags=["sales_edit"]) as dag:\n    pass\n`;
const exclude = (dirs: string[]) => `${CONFIG}dags:\n  exclude: [${dirs.map((d) => `"${d}/**"`).join(', ')}]\n`;

function workspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-rescan-'));
  fs.writeFileSync(path.join(root, 'airflow-access.yaml'), CONFIG);
  for (const dir of ['a', 'b', 'c']) {
    fs.mkdirSync(path.join(root, dir));
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(root, dir, `d${i}.py`), dagFile(`${dir}${i}`));
  }
  return root;
}

test('config edits in a burst rescan once, for the last text; the index is complete when whenIndexed resolves', async () => {
  const root = workspace();
  const warnings: string[] = [];
  const project = await Project.open(root, parseSettings({ safeMode: false }).settings, { rescanDelayMs: 30, warn: (m) => warnings.push(m) });
  try {
    assert.equal(project.table.fileCount, 120);
    const before = project.indexCounters();
    const firstIndex = project.index;
    for (const dirs of [['a'], ['b'], ['a', 'b'], ['c'], ['b', 'c']]) await project.reloadConfig(exclude(dirs));
    assert.equal(project.index, firstIndex, 'no rescan while the edits keep coming');
    await project.whenIndexed();
    const after = project.indexCounters();
    assert.notEqual(project.index, firstIndex);
    assert.equal(project.table.fileCount, 40);
    assert.deepEqual(project.files().map((f) => path.basename(path.dirname(f.file))).filter((d, i, all) => all.indexOf(d) === i), ['a']);
    assert.equal(after.scansStarted - before.scansStarted, 1);
    assert.equal(after.scansCompleted - before.scansCompleted, 1);
    assert.equal(project.indexingState(), null);
    assert.equal(project.partialNote(), null);
    assert.deepEqual(warnings, []);
  } finally {
    await project.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('going back to the indexed globs before the pause cancels the pending rescan', async () => {
  const root = workspace();
  const project = await Project.open(root, parseSettings({ safeMode: false }).settings, { rescanDelayMs: 30 });
  try {
    const index = project.index;
    const before = project.indexCounters().scansStarted;
    await project.reloadConfig(exclude(['a']));
    await project.reloadConfig(CONFIG);
    await project.whenIndexed();
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(project.index, index);
    assert.equal(project.indexCounters().scansStarted, before);
  } finally {
    await project.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a background scan that fails is reported (warning, scanError) instead of swallowed', async () => {
  const root = workspace();
  const warnings: string[] = [];
  const project = await Project.open(root, parseSettings({ safeMode: false }).settings, { scan: false, warn: (m) => warnings.push(m) });
  try {
    // The index's scan throws (as a failing disk would make it).
    project.index.scan = () => Promise.reject(new Error('disk on fire'));
    const states: (string | null)[] = [];
    project.onIndexing((s) => states.push(s ? s.phase : null));
    await project.scanInBackground();
    assert.match(project.scanError() ?? '', /indexing .* failed: disk on fire/);
    assert.equal(warnings.length, 1);
    assert.equal(states[states.length - 1], null, 'the progress ends');
    assert.equal(project.indexCounters().scansFailed, 1);
  } finally {
    await project.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a scan its caller cancels ends the progress: nobody waits for it forever', async () => {
  const root = workspace();
  const project = await Project.open(root, parseSettings({ safeMode: false }).settings, { scan: false });
  try {
    let cancel = false;
    const scan = project.scan(() => cancel, { stream: true });
    assert.notEqual(project.indexingState(), null);
    cancel = true;
    await scan;
    assert.equal(project.indexingState(), null);
    await project.whenIndexed();
    assert.equal(project.indexCounters().scansCancelled, 1);
    assert.equal(project.indexCounters().scansCompleted, 0);
  } finally {
    await project.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
