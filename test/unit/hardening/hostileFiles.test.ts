/**
 * Hand-made hostile inputs for the indexer and the config loader: deep nesting, NUL bytes, invalid
 * UTF-8, a 5 MB file, 10,000 DAGs in one file. Each must give facts (or a `skipped` reason) or located
 * problems, never an exception or a hang (the parse is capped per file).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, before, describe, test } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import type { FileFacts } from '../../../server/src/model/facts';
import { loadConfigFile, loadConfigText } from '../../../server/src/config';
import { WorkspaceIndex } from '../../../server/src/indexer';
import { analyseDisk, analyseText, MAX_FILE_BYTES } from '../../../server/src/indexer/analyseFile';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import { Worker } from 'worker_threads';
import { lineCount, rangeProblems } from './invariants';
import { aliasBomb, bigPython, hostileTexts } from './mutate';

/** A loader that takes longer than this on a few hundred bytes counts as hung. */
const HANG_CAP_MS = 15_000;

/** analyseText in a worker thread, terminated at `capMs`: the facts, 'threw: …' or 'hung'. */
function analyseInWorker(text: string, capMs: number): Promise<FileFacts | string> {
  const modules = { analyse: path.resolve(__dirname, '../../../server/src/indexer/analyseFile'), ts: path.resolve(__dirname, '../../../server/src/parsing/treeSitter') };
  const code = `const { parentPort, workerData } = require('worker_threads');
    (async () => {
      const parser = await require(workerData.modules.ts).createPythonParser();
      const { facts, tree } = require(workerData.modules.analyse).analyseText(parser, '/h/dag.py', workerData.text, 1, { safeMode: false });
      if (tree) tree.delete();
      parentPort.postMessage(JSON.parse(JSON.stringify(facts)));
    })().catch((e) => parentPort.postMessage('threw: ' + e));`;
  return new Promise((resolve) => {
    const w = new Worker(code, { eval: true, workerData: { modules, text } });
    const timer = setTimeout(() => void w.terminate().then(() => resolve('hung')), capMs);
    w.once('message', (m: FileFacts | string) => {
      clearTimeout(timer);
      void w.terminate().then(() => resolve(m));
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      resolve(`threw: ${String(e)}`);
    });
  });
}

/** loadConfigText in a worker thread, terminated at `capMs`: 'done', 'threw: …' or 'hung'. */
function inWorker(text: string, capMs: number): Promise<string> {
  const loader = path.resolve(__dirname, '../../../server/src/config');
  const code = `const { parentPort, workerData } = require('worker_threads');
    try { require(workerData.loader).loadConfigText('/w/airflow-access.yaml', workerData.text); parentPort.postMessage('done'); }
    catch (e) { parentPort.postMessage('threw: ' + e); }`;
  return new Promise((resolve) => {
    const w = new Worker(code, { eval: true, workerData: { loader, text } });
    const timer = setTimeout(() => void w.terminate().then(() => resolve('hung')), capMs);
    w.once('message', (m: string) => {
      clearTimeout(timer);
      void w.terminate().then(() => resolve(m));
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      resolve(`threw: ${String(e)}`);
    });
  });
}

let parser: Parser;
let dir: string;

before(async () => {
  parser = await createPythonParser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-hostile-'));
});

after(() => {
  parser.delete();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('indexer on hostile Python', () => {
  // Each input runs in a worker so that a hang (the parse is capped, extraction is not) fails the test
  // instead of blocking the whole suite.
  for (const [name, text] of hostileTexts('py')) {
    test(name, { timeout: 60_000 }, async () => {
      const out = await analyseInWorker(text, HANG_CAP_MS);
      assert.notEqual(out, 'hung', `analysis still busy after ${HANG_CAP_MS} ms`);
      assert.ok(typeof out !== 'string', out as string);
      const facts = out as FileFacts;
      assert.deepEqual(rangeProblems(facts, lineCount(text)), []);
      assert.ok(!facts.syntaxErrors.some((e) => e.message.startsWith('Could not analyse')), `the extractor threw: ${facts.syntaxErrors.map((e) => e.message).join('; ')}`);
    });
  }

  // Regression (fixed), reduced from fuzz case 4697: valid Python whose dag_id/tag is an attribute of a
  // subscript or a call makes extraction throw, and the file's DAGs are lost.
  test('an attribute of a subscript or call as dag_id / tag: the DAG is still indexed', () => {
    const text = 'from airflow import DAG\ncfg = {}\nwith DAG(dag_id=cfg["etl"].dag_id, tags=[get_tags().team]) as dag:\n    pass\n';
    const { facts, tree } = analyseText(parser, '/h/attr.py', text, 1, { safeMode: false });
    tree?.delete();
    assert.deepEqual(facts.syntaxErrors.map((e) => e.message), []);
    assert.equal(facts.dags.length, 1);
    assert.equal(facts.dags[0]!.dagId.kind, 'dynamic');
  });

  test('a 5 MB file is skipped with a reason, from text and from disk', () => {
    const text = bigPython(5 * 1024 * 1024);
    assert.ok(Buffer.byteLength(text) > MAX_FILE_BYTES);
    const fromText = analyseText(parser, '/h/big.py', text, 1, { safeMode: false });
    assert.equal(fromText.tree, null);
    assert.match(fromText.facts.skipped ?? '', /larger than/);
    const file = path.join(dir, 'big.py');
    fs.writeFileSync(file, text);
    assert.match(analyseDisk(parser, file, { safeMode: false }).skipped ?? '', /larger than/);
  });

  test('a file just under the size cap is analysed', { timeout: 60_000 }, () => {
    const text = bigPython(MAX_FILE_BYTES - 64 * 1024);
    const { facts, tree } = analyseText(parser, '/h/large.py', text, 1, { safeMode: false });
    tree?.delete();
    // Either analysed (DAGs found) or stopped by the parse cap with a reason: never a throw.
    assert.ok(facts.dags.length > 1000 || /longer than/.test(facts.skipped ?? ''), facts.skipped ?? `${facts.dags.length} DAGs`);
  });

  test('the parse cap turns a slow parse into a skipped reason', () => {
    const text = bigPython(512 * 1024);
    const { facts, tree } = analyseText(parser, '/h/slow.py', text, 1, { safeMode: false, parseMillis: 0 });
    tree?.delete();
    assert.match(facts.skipped ?? '', /longer than 0 ms/);
    // The parser is usable again afterwards.
    const again = analyseText(parser, '/h/ok.py', 'from airflow import DAG\nDAG("ok", tags=["t"])\n', 2, { safeMode: false });
    again.tree?.delete();
    assert.equal(again.facts.dags.length, 1);
  });

  test('raw non-UTF-8 and NUL bytes on disk', () => {
    const file = path.join(dir, 'bytes.py');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('from airflow import DAG\nDAG("b\xff\xfe", tags=["'), Buffer.from([0xc3, 0x28, 0x00, 0xff]), Buffer.from('"])\n')]));
    const facts = analyseDisk(parser, file, { safeMode: false });
    assert.equal(facts.dags.length, 1);
    assert.ok(!facts.syntaxErrors.some((e) => e.message.startsWith('Could not analyse')));
  });

  test('WorkspaceIndex.updateText survives every hostile text in turn (incremental reparse)', { timeout: 120_000 }, async () => {
    const index = new WorkspaceIndex({ root: dir, safeMode: false, cacheDir: null, workers: 0 });
    await index.scan();
    const file = path.join(dir, 'open.py');
    let version = 1;
    for (const [name, text] of [...hostileTexts('py'), ['valid again', 'from airflow import DAG\nDAG("back", tags=["t"])\n'] as [string, string]]) {
      const facts = await index.updateText(file, text, ++version);
      assert.deepEqual(rangeProblems(facts, lineCount(text)), [], name);
    }
    assert.equal(index.getFile(file)?.dags[0]?.dagId.kind, 'static');
    index.dispose();
  });
});

describe('config loader on hostile YAML', () => {
  for (const [name, text] of hostileTexts('yaml')) {
    test(name, { timeout: 30_000 }, () => {
      const res = loadConfigText('/h/airflow-access.yaml', text);
      assert.ok(res.config || res.problems.length > 0, 'neither a config nor a problem');
      assert.deepEqual(rangeProblems(res.problems, lineCount(text)), []);
      assert.ok(!res.problems.some((p) => p.code === 'internal-error'), `the loader threw: ${res.problems.map((p) => p.message).join('; ')}`);
    });
  }

  test('a 5 MB config file is read without a crash', { timeout: 60_000 }, () => {
    const roles = Array.from({ length: 200 }, (_, i) => `  role_${i}:\n    tags: [tag_${i}]\n    dag_permissions: [can_read]`).join('\n');
    const comment = `# ${'x'.repeat(98)}\n`.repeat(52_500);
    const longTag = 't'.repeat(64 * 1024);
    const file = path.join(dir, 'airflow-access.yaml');
    fs.writeFileSync(file, `${comment}version: 1\nroles:\n${roles}\n  long:\n    tags: [${longTag}]\n`);
    assert.ok(fs.statSync(file).size > 5 * 1024 * 1024);
    const res = loadConfigFile(file);
    assert.ok(res.config || res.problems.length > 0);
    assert.ok(!res.problems.some((p) => p.code === 'internal-error'));
    // A 64 KiB tag is longer than dag_tag.name allows: it must be reported, not accepted silently.
    assert.ok(res.problems.some((p) => p.range.start.line > 52_500), 'the over-long tag is not reported');
  });

  // Regression (fixed: expansion is capped): aliases used to be expanded without a limit, each through a full document visit,
  // so nine aliases per level over seven levels (4.8 million scalars, 400 bytes) keep the loader busy
  // for minutes. Run in a worker so the hang cap can stop it.
  test('an alias bomb ("billion laughs") is refused quickly', { timeout: 60_000 }, async () => {
    const outcome = await inWorker(aliasBomb(7), HANG_CAP_MS);
    assert.equal(outcome, 'done', `the loader was still busy after ${HANG_CAP_MS} ms`);
  });

  test('non-UTF-8 bytes in a config file on disk', () => {
    const file = path.join(dir, 'bytes.yaml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('version: 1\nroles:\n  r\xff:\n    tags: ['), Buffer.from([0xc3, 0x28, 0x00]), Buffer.from(']\n')]));
    const res = loadConfigFile(file);
    assert.ok(res.config || res.problems.length > 0);
    assert.ok(!res.problems.some((p) => p.code === 'internal-error'));
  });
});
