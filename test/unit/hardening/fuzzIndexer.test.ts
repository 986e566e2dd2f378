/**
 * Fuzz the DAG indexer: random bytes, mutated corpus files and token soup go through the parser and
 * extractFileFacts (and every 25th case through WorkspaceIndex.updateText, which reuses the previous
 * tree incrementally). A case passes when nothing throws, every range lies in the text, a tree with
 * errors yields a located syntax error, the facts serialise, and the extractor's catch-all did not fire.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, before, test } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import { extractFileFacts, WorkspaceIndex } from '../../../server/src/indexer';
import { createPythonParser, parseWithDeadline } from '../../../server/src/parsing/treeSitter';
import type { FileFacts } from '../../../server/src/model/facts';
import { caseSeed, lineCount, onlyCase, rangeProblems, saveFailure } from './invariants';
import { mutate, pythonCorpus, randomText } from './mutate';
import { Prng, seedFromEnv } from './prng';

const SEED = seedFromEnv(0x5eed2026);
const CASES = Number(process.env.ADA_FUZZ_CASES ?? 10_000);
const INTERNAL = 'Could not analyse this file';

let parser: Parser;
let index: WorkspaceIndex;
let root: string;

before(async () => {
  parser = await createPythonParser();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-fuzz-index-'));
  index = new WorkspaceIndex({ root, safeMode: false, cacheDir: null, workers: 0 });
  await index.scan();
});

after(() => {
  index.dispose();
  parser.delete();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Cases whose tree has errors but whose facts report none (must stay empty). */
const unreported: string[] = [];
/** Cases where extraction threw and extractFileFacts' catch-all turned it into a 0:0 diagnostic. */
const caught: string[] = [];

function checkFacts(facts: FileFacts, text: string, hasError: boolean | null, index = -1): string | null {
  if (!facts || !Array.isArray(facts.dags) || !Array.isArray(facts.syntaxErrors)) return 'facts are malformed';
  const internal = facts.syntaxErrors.find((e) => e.message.startsWith(INTERNAL));
  if (internal && caught.length < 5) caught.push(saveFailure('indexer', SEED, index, text, `the extractor threw (caught by its catch-all): ${internal.message}`));
  const bad = rangeProblems(facts, lineCount(text));
  if (bad.length) return bad.join('; ');
  if (hasError && !facts.skipped && facts.syntaxErrors.length === 0 && unreported.length < 5) {
    unreported.push(saveFailure('indexer', SEED, index, text, 'the tree has errors but no syntax error was reported'));
  }
  try {
    JSON.stringify(facts);
  } catch (e) {
    return `facts do not serialise: ${String(e)}`;
  }
  return null;
}

function makeInput(r: Prng, corpus: string[]): string {
  const roll = r.next();
  if (roll < 0.1) return randomText(r, 4096);
  if (roll < 0.2) return Array.from({ length: 1 + r.int(60) }, () => mutate(r, '', corpus, 'py')).join('');
  return mutate(r, r.pick(corpus), corpus, 'py');
}

test(`indexer fuzz: ${CASES} cases (seed ${SEED})`, { timeout: 240_000 }, async () => {
  const corpus = pythonCorpus();
  assert.ok(corpus.length > 20, 'the DAG corpus was not found');
  console.log(`indexer fuzz seed: ${SEED} (replay with ADA_FUZZ_SEED=${SEED}; one case with ADA_FUZZ_CASE=<n>)`);
  const only = onlyCase();
  const failures: string[] = [];
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  let slowest = { ms: 0, index: -1 };
  let ran = 0;
  let version = 1;
  const file = path.join(root, 'dags', 'fuzz_dag.py');
  for (let i = 0; i < CASES; i++) {
    if (only !== null && i !== only) continue;
    const r = new Prng(caseSeed(SEED, i));
    const text = makeInput(r, corpus);
    const t0 = Date.now();
    let problem: string | null;
    try {
      if (i % 25 === 0) {
        const facts = await index.updateText(file, text, ++version);
        problem = checkFacts(facts, text, null, i);
      } else {
        const tree = parseWithDeadline(parser, text, 2000);
        if (!tree) {
          parser.reset();
          problem = null; // the cap hit: the caller reports `skipped`
        } else {
          try {
            problem = checkFacts(extractFileFacts(tree, text, '/fuzz/dag.py', i), text, tree.rootNode.hasError, i);
          } finally {
            tree.delete();
          }
        }
      }
    } catch (e) {
      problem = `threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    }
    const took = Date.now() - t0;
    if (took > slowest.ms) slowest = { ms: took, index: i };
    ran++;
    if (problem && failures.length < 5) failures.push(saveFailure('indexer', SEED, i, text, problem));
  }
  const seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(`indexer fuzz: ${ran} cases in ${seconds.toFixed(1)} s (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU), slowest case ${slowest.index} (${slowest.ms} ms), ${failures.length} failure(s)`);
  assert.deepEqual(failures, []);
});

// Known gap (reported): a MISSING hidden token (e.g. `_newline` in `from m import aimport b`) sets
// hasError on the root, but the cursor walk in extractSyntaxErrors never visits hidden nodes, so the
// file is treated as valid Python. (Fixed: extractSyntaxErrors reports hidden missing tokens.)
test('indexer fuzz: every tree with errors yields a located syntax error', () => {
  assert.deepEqual(unreported, []);
});

// Known bug (reported): lookupName() returns null for an attribute on a non-name (`cfg["etl"].dag_id`,
// `get_tags().team`) and strOf() reads `.kind` of it. The catch-all keeps the server alive but the
// whole file's DAGs are lost. Found by this fuzzer (seed 1592598566, case 4697).
test('indexer fuzz: the extractor never needs its catch-all', () => {
  assert.deepEqual(caught, []);
});
