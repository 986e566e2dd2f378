/**
 * Regression tests for issue 11 (hostile input): deep nesting must not take quadratic time or blow the
 * JS stack, extraction has a wall-clock budget, every tree with errors yields a located syntax error,
 * and attributes of computed values are dynamic with a reason.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { Worker } from 'worker_threads';
import type { FileFacts } from '../../../server/src/model/facts';
import { analyseDisk, analyseDiskGroup, analyseText } from '../../../server/src/indexer/analyseFile';
import * as os from 'os';
import { RangeForest } from '../../../server/src/indexer/rangeForest';
import { indentDepth } from '../../../server/src/parsing/indentGuard';
import { createPythonParser, parseWithDeadline } from '../../../server/src/parsing/treeSitter';
import { fixturesDir } from '../../helpers/paths';
import { factsOf } from './helpers';

/** analyseText in a worker, terminated after `capMs`, so a regression fails instead of hanging the suite. */
function analyseCapped(text: string, capMs = 20_000): Promise<{ facts: FileFacts | string; ms: number }> {
  const modules = { analyse: path.resolve(__dirname, '../../../server/src/indexer/analyseFile'), ts: path.resolve(__dirname, '../../../server/src/parsing/treeSitter') };
  const code = `const { parentPort, workerData } = require('worker_threads');
    (async () => {
      const parser = await require(workerData.modules.ts).createPythonParser();
      const t0 = Date.now();
      const { facts, tree } = require(workerData.modules.analyse).analyseText(parser, '/ws/dags/deep.py', workerData.text, 1, { safeMode: false });
      const ms = Date.now() - t0;
      if (tree) tree.delete();
      parser.delete();
      parentPort.postMessage({ facts: JSON.parse(JSON.stringify(facts)), ms });
    })().catch((e) => parentPort.postMessage({ facts: 'threw: ' + (e && e.stack || e), ms: -1 }));`;
  return new Promise((resolve) => {
    const w = new Worker(code, { eval: true, workerData: { modules, text } });
    const timer = setTimeout(() => void w.terminate().then(() => resolve({ facts: 'hung', ms: capMs })), capMs);
    w.once('message', (m: { facts: FileFacts | string; ms: number }) => {
      clearTimeout(timer);
      void w.terminate().then(() => resolve(m));
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      resolve({ facts: `threw: ${String(e)}`, ms: -1 });
    });
  });
}

function noCrash(facts: FileFacts | string): FileFacts {
  assert.ok(typeof facts !== 'string', facts as string);
  assert.deepEqual(facts.syntaxErrors.filter((e) => e.message.startsWith('Could not analyse')), []);
  return facts;
}

// Bug 1: moduleFunctionAround walked every ancestor per DAG call through web-tree-sitter's `parent`
// (which itself searches down from the root): 5,000 nested DAG calls kept a worker busy for minutes.
test('5,000 nested DAG calls are indexed in well under the analysis budget', { timeout: 60_000 }, async () => {
  const { facts, ms } = await analyseCapped(`from airflow import DAG\n${'DAG('.repeat(5000)}${')'.repeat(5000)}\n`);
  const f = noCrash(facts);
  assert.equal(f.skipped, undefined);
  assert.equal(f.dags.length, 5000);
  assert.ok(ms < 4000, `took ${ms} ms`);
});

test('deep nesting of every other kind: no stack overflow, no hang, dynamic values with reasons', { timeout: 120_000 }, async () => {
  const deep = 5000;
  const inputs: [string, string][] = [
    ['nested lambdas around a DAG', `from airflow import DAG\nf = ${'lambda: '.repeat(deep)}DAG(dag_id=w, tags=[w])\n`],
    ['nested tuple targets', `from airflow import DAG\n${'['.repeat(deep)}a${']'.repeat(deep)} = ${'['.repeat(deep)}1${']'.repeat(deep)}\nDAG("t")\n`],
    ['chained assignment', `from airflow import DAG\n${Array.from({ length: deep }, (_, i) => `z${i} = `).join('')}"chain"\nDAG(z${deep - 1})\n`],
    ['nested comprehensions', `from airflow import DAG\nx = ${'[('.repeat(deep)}DAG(q)${' for q in y)]'.repeat(deep)}\n`],
    ['250 nested if blocks', `from airflow import DAG\n${nestedIfs(250)}DAG("in_ifs", tags=[(((("t"))))])\n`],
    ['250 nested defs with outlets', `from airflow import DAG\nwith DAG("o") as d:\n${Array.from({ length: 250 }, (_, i) => `${' '.repeat(i + 1)}def f${i}():\n`).join('')}${' '.repeat(251)}Op(task_id="t", outlets=[v])\n`],
    ['6,000-deep attribute chain', `from airflow import DAG\nDAG(dag_id=a${'.b'.repeat(6000)})\n`],
    ['5,000 nested parentheses around a dag_id', `from airflow import DAG\nDAG(dag_id=${'('.repeat(deep)}"p"${')'.repeat(deep)})\n`],
  ];
  for (const [name, text] of inputs) {
    const { facts, ms } = await analyseCapped(text);
    assert.notEqual(facts, 'hung', name);
    const f = noCrash(facts);
    assert.equal(f.skipped, undefined, name);
    assert.ok(ms < 4000, `${name}: took ${ms} ms`);
    assert.ok(f.dags.length >= 1, `${name}: no DAG`);
    for (const d of f.dags) if (d.dagId.kind === 'dynamic') assert.ok(d.dagId.reason.length > 0, name);
  }
});

function nestedIfs(levels: number): string {
  return `${Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}if x:\n`).join('')}${' '.repeat(levels)}`;
}

// Found while fixing issue 11: tree-sitter-python's scanner overflows its serialisation buffer past
// ~510 indentation levels and corrupts the shared wasm memory (later parses return garbage or trap).
test('indentation nested past the scanner\'s limit is refused before parsing; the parser stays sound', async () => {
  const parser = await createPythonParser();
  try {
    const deep = analyseText(parser, '/ws/dags/ifs.py', `from airflow import DAG\n${nestedIfs(1000)}DAG("x")\n`, 1, { safeMode: false });
    assert.equal(deep.tree, null);
    assert.match(deep.facts.skipped ?? '', /indentation nested more than 300 levels deep/);
    assert.equal(parseWithDeadline(parser, nestedIfs(600) + 'pass\n'), null);
    const text = 'from airflow import DAG\nwith DAG("fine", tags=["a"]):\n    pass\n';
    const after = analyseText(parser, '/ws/dags/ok.py', text, 2, { safeMode: false });
    assert.equal(after.tree?.rootNode.endIndex, text.length);
    after.tree?.delete();
    assert.deepEqual(after.facts.dags.map((d) => d.dagId.kind === 'static' && d.dagId.value), ['fine']);
    assert.equal(indentDepth('a\n\tb\n\t\tc\n  \n# x\n\t\t\td\ne\n'), 3);
  } finally {
    parser.delete();
  }
});

// Found while fixing issue 11: constants that repeat constants (`t1 = [*t0, *t0, …]`, `s1 = s0 + s0 + …`)
// expand exponentially; twelve levels of nine took hours. Each resolution now has a work allowance.
test('a "billion laughs" of constants is cut off with a reason, quickly', { timeout: 60_000 }, async () => {
  let src = 'from airflow import DAG, Asset\ns0 = "x"\nt0 = ["x"]\na0 = [Asset("a")]\n';
  const nine = (x: string, sep: string): string => Array(9).fill(x).join(sep);
  for (let i = 1; i < 12; i++) src += `s${i} = ${nine(`s${i - 1}`, ' + ')}\nt${i} = [${nine(`*t${i - 1}`, ', ')}]\na${i} = [${nine(`*a${i - 1}`, ', ')}]\n`;
  src += 'DAG(s11, tags=t11, schedule=a11, access_control={"r": t11})\n';
  const { facts, ms } = await analyseCapped(src);
  const f = noCrash(facts);
  assert.equal(f.skipped, undefined);
  assert.ok(ms < 5000, `took ${ms} ms`);
  const dag = f.dags[0]!;
  assert.equal(dag.dagId.kind, 'dynamic');
  assert.ok(dag.tags!.dynamic.some((d) => /expands to more than 10000 parts/.test(d.reason)), JSON.stringify(dag.tags!.dynamic.slice(0, 3)));
  assert.ok(dag.scheduleDynamic.length > 0);
});

test('a name inside more than 200 nested scopes is dynamic with a depth reason', async () => {
  const facts = await factsOf(`from airflow import DAG\nf = ${'lambda: '.repeat(300)}DAG(dag_id=w)\n`);
  const id = facts.dags[0]!.dagId;
  assert.ok(id.kind === 'dynamic' && /nested more than 200/.test(id.reason), JSON.stringify(id));
});

test('chained assignments bind every name once: the innermost name is a constant too', async () => {
  const facts = await factsOf('from airflow import DAG\na = b = c = "same"\nDAG(c, tags=[a, b])\n');
  const dag = facts.dags[0]!;
  assert.ok(dag.dagId.kind === 'static' && dag.dagId.value === 'same', JSON.stringify(dag.dagId));
  assert.deepEqual(dag.tags!.items.map((t) => t.value), ['same', 'same']);
});

test('factory and lambda detection still follow the enclosing scopes', async () => {
  const src = [
    'from airflow import DAG',
    'def factory():',
    '    with DAG("in_factory"):',
    '        pass',
    'class Holder:',
    '    def method(self):',
    '        DAG("in_method")',
    'def made():',
    '    return DAG("made")',
    'made()',
    'lazy = lambda: made()',
    '',
  ].join('\n');
  const facts = await factsOf(src);
  assert.deepEqual(
    facts.dags.map((d) => [d.dagId.kind === 'static' && d.dagId.value, d.instantiated]),
    [['in_factory', false], ['in_method', true], ['made', true]],
  );
});

test('the extraction budget turns a slow analysis into a skipped reason and keeps syntax errors', async () => {
  const parser = await createPythonParser();
  try {
    const body = Array.from({ length: 3000 }, (_, i) => `d${i} = DAG("d${i}", tags=["t"], access_control={"r": {"can_read"}})`).join('\n');
    const text = `from airflow import DAG\n${body}\nx = (\n`;
    const slow = analyseText(parser, '/ws/dags/slow.py', text, 1, { safeMode: false, analysisMillis: 0 });
    slow.tree?.delete();
    assert.match(slow.facts.skipped ?? '', /^analysis took longer than 0 ms/);
    assert.equal(slow.facts.dags.length, 0);
    assert.ok(slow.facts.syntaxErrors.length > 0);
    const again = analyseText(parser, '/ws/dags/slow.py', text, 2, { safeMode: false });
    again.tree?.delete();
    assert.equal(again.facts.skipped, undefined);
    assert.equal(again.facts.dags.length, 3000);
  } finally {
    parser.delete();
  }
});

test('RangeForest: innermost and all enclosing spans, including siblings and equal ranges', () => {
  const f = new RangeForest([
    { start: 0, end: 100, value: 'outer' },
    { start: 10, end: 20, value: 'a' },
    { start: 30, end: 60, value: 'b' },
    { start: 30, end: 60, value: 'b2' },
    { start: 40, end: 50, value: 'c' },
    { start: 200, end: 300, value: 'other' },
  ]);
  assert.deepEqual([...f.around(42, 45)], ['c', 'b2', 'b', 'outer']);
  assert.deepEqual([...f.around(55, 58)], ['b2', 'b', 'outer']);
  assert.deepEqual([...f.around(25, 26)], ['outer']);
  assert.deepEqual([...f.around(15, 35)], ['outer']);
  assert.deepEqual([...f.around(150, 160)], []);
  assert.equal(f.innermost(30, 60), 'b2');
  assert.equal(f.innermost(250, 250), 'other');
});

// Bug 2: a MISSING hidden token (the `_newline` between two statements on one line) set hasError but
// no syntax error was reported, so the file passed as valid Python.
test('a missing hidden line break is a located syntax error', async () => {
  const src = 'from airflow import DAG\nfrom datetime import datetimeimport os\nwith DAG("after", tags=["t"]):\n    pass\n';
  const facts = await factsOf(src);
  assert.deepEqual(facts.syntaxErrors.map((e) => [e.message, e.range.start]), [['Syntax error: missing line break (or ";") before "os"', { line: 1, character: 36 }]]);
  assert.deepEqual(facts.dags.map((d) => d.dagId.kind === 'static' && d.dagId.value), ['after']);
});

test('a missing visible token is reported at its (zero-width) position', async () => {
  const facts = await factsOf('def f(:\n    pass\n');
  assert.deepEqual(facts.syntaxErrors.find((e) => /missing/.test(e.message)), { message: 'Syntax error: missing ")"', range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } } });
});

test('an unclosed string or bracket is reported where Python reports it, not as the ERROR around it', async () => {
  const cases: [string, string, [number, number, number, number]][] = [
    ['"""abc\\;t', 'Syntax error: unterminated triple-quoted string literal', [0, 0, 0, 3]],
    ['from airflow import DAG\nwith DAG("d", tags=["a"]) as d:\n    x = (\n', "Syntax error: '(' was never closed", [2, 8, 2, 9]],
    ['from airflow import DAG\nwith DAG("d", tags=["mark', 'Syntax error: unterminated string literal', [1, 20, 1, 21]],
    ['x = [1, 2\ny = 3\n', "Syntax error: '[' was never closed", [0, 4, 0, 5]],
    ['x = f(1]\n', "Syntax error: closing ']' does not match opening '('", [0, 7, 0, 8]],
    ['s = rb"abc\n', 'Syntax error: unterminated string literal', [0, 4, 0, 7]],
  ];
  for (const [src, message, [l0, c0, l1, c1]] of cases) {
    const facts = await factsOf(src);
    assert.deepEqual(facts.syntaxErrors.map((e) => [e.message, e.range]), [[message, { start: { line: l0, character: c0 }, end: { line: l1, character: c1 } }]], src);
  }
  // Brackets and quotes inside strings and comments do not count.
  const fine = await factsOf('x = "(" + \'[\' # {\ny = (1,\n');
  assert.deepEqual(fine.syntaxErrors.map((e) => e.message), ["Syntax error: '(' was never closed"]);
});

test('every corpus file cut or joined anywhere: a tree with errors always yields a located syntax error', async () => {
  const parser = await createPythonParser();
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.py')) files.push(p);
    }
  };
  walk(path.join(fixturesDir, 'dags'));
  let broken = 0;
  try {
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (let k = 1; k < 24; k++) {
        const at = Math.floor((text.length * k) / 24);
        // Drop a newline-sized span (joins lines) or a bracket-sized one (unbalances them).
        const variant = k % 2 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + text.slice(at + 7);
        const { facts, tree } = analyseText(parser, file, variant, k, { safeMode: false });
        const hasError = tree?.rootNode.hasError ?? false;
        tree?.delete();
        if (!hasError) continue;
        broken++;
        assert.ok(facts.syntaxErrors.length > 0, `${path.basename(file)} variant ${k}: the tree has errors but none was reported`);
      }
    }
  } finally {
    parser.delete();
  }
  assert.ok(broken > 50, `only ${broken} broken variants`);
});

// Bug 3: an attribute of a subscript or call (`cfg["etl"].dag_id`, `get_tags().team`) as dag_id / tag.
test('an attribute of a subscript or call is dynamic with a reason and the DAG is still indexed', async () => {
  const src = 'from airflow import DAG\ncfg = {}\nwith DAG(dag_id=cfg["etl"].dag_id, tags=[get_tags().team], access_control=roles()[0].ac) as dag:\n    pass\n';
  const facts = await factsOf(src);
  assert.deepEqual(facts.syntaxErrors, []);
  assert.equal(facts.dags.length, 1);
  const dag = facts.dags[0]!;
  assert.ok(dag.dagId.kind === 'dynamic' && /attribute of a value computed at run time/.test(dag.dagId.reason), JSON.stringify(dag.dagId));
  assert.deepEqual(dag.tags!.items, []);
  assert.match(dag.tags!.dynamic[0]!.reason, /`get_tags\(\)\.team` is an attribute/);
  assert.match(dag.accessControl!.dynamic[0]!.reason, /attribute of a value computed at run time/);
});

test('a file that is not UTF-8 and declares no encoding is a syntax error (Python refuses it); one that declares its encoding is read with it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-enc-'));
  const parser = await createPythonParser();
  try {
    const body = (tag: string) => `from airflow import DAG\nwith DAG("enc", tags=["${tag}"]) as d:\n    pass\n`;
    const plain = path.join(dir, 'latin1.py');
    fs.writeFileSync(plain, Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n'), Buffer.from(body('x'))]));
    const declared = path.join(dir, 'declared.py');
    fs.writeFileSync(declared, Buffer.from(`# -*- coding: latin-1 -*-\n${body('café')}`, 'latin1'));
    const utf8 = path.join(dir, 'utf8.py');
    fs.writeFileSync(utf8, `# café \uFFFD literal\n${body('x')}`);
    const alone = [plain, declared, utf8].map((f) => analyseDisk(parser, f, { safeMode: true }));
    assert.deepEqual(analyseDiskGroup(parser, [plain, declared, utf8].map((file) => ({ file, opts: { safeMode: true } }))), alone, 'grouped reading agrees');
    const [bad, good, fine] = alone;
    assert.match(bad!.syntaxErrors[0]?.message ?? '', /not UTF-8 \(line 1\) and declares no encoding, so Python refuses to import it/);
    assert.deepEqual(bad!.syntaxErrors[0]!.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 6 } });
    assert.deepEqual(good!.syntaxErrors, []);
    assert.deepEqual(good!.dags[0]!.tags!.items.map((t) => t.value), ['café'], 'decoded as the file declares');
    assert.ok(fine!.syntaxErrors.length === 0, 'a real U+FFFD in UTF-8 text is fine');
    assert.equal(fine!.dags.length, 1);
  } finally {
    parser.delete();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lone CR line breaks (old Mac files) are line breaks, as for Python and LSP: no false syntax error, ranges on the right lines', async () => {
  const parser = await createPythonParser();
  const { facts, tree } = analyseText(parser, '/ws/dags/cr.py', 'from airflow import DAG\rwith DAG("cr", tags=["marketing_analyst_edt"]) as d:\r    pass\r', 1, { safeMode: true });
  tree?.delete();
  parser.delete();
  assert.deepEqual(facts.syntaxErrors, []);
  assert.deepEqual(facts.dags[0]!.tags!.items[0]!.range, { start: { line: 1, character: 21 }, end: { line: 1, character: 44 } });
});
