/**
 * "Add tag" and "Remove tag" edits give valid Python in the code's own layout: each case applies the
 * edits and checks the exact text and that tree-sitter parses it without errors. The edits are made
 * from the source text the facts came from (`sourceOf`); without it no fix is offered.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import type { Parser } from 'web-tree-sitter';
import type { Fix } from '../../../server/src/model/findings';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import type { Project } from '../../../server/src/project/project';
import { runRules } from '../../../server/src/rules';
import { addTagFixes } from '../../../server/src/rules/addTag';
import { sourceOf } from '../../../server/src/rules/pySource';
import { removeTagFix } from '../../../server/src/rules/unmappedTag';
import { applyEdits } from '../../helpers/lspClient';
import { workspace } from './helpers';

const CONFIG = `version: 1
permission_tag_pattern: "_(read|edit)$"
airflow:
  version: "2.10"
roles:
  finance_auditor:
    tags: [finance_read]
    dag_permissions: [can_read]
`;

const HEAD = 'from airflow import DAG\nfrom airflow.decorators import dag\n\n';

interface Case {
  name: string;
  src: string;
  /** The expected text after the edit. */
  text: string;
}

interface RemoveCase extends Case {
  remove: string;
}

const ADD: Case[] = [
  {
    name: 'no tags=, one positional argument',
    src: 'with DAG("nta") as d:\n    pass\n',
    text: 'with DAG("nta", tags=["finance_read"]) as d:\n    pass\n',
  },
  {
    name: 'no tags=, several arguments on one line',
    src: 'with DAG("nta", schedule=None, catchup=False) as d:\n    pass\n',
    text: 'with DAG("nta", schedule=None, catchup=False, tags=["finance_read"]) as d:\n    pass\n',
  },
  {
    name: 'no tags=, trailing comma on one line',
    src: 'with DAG("nta", schedule=None,) as d:\n    pass\n',
    text: 'with DAG("nta", schedule=None, tags=["finance_read"],) as d:\n    pass\n',
  },
  {
    name: 'no tags=, multi-line call with trailing comma',
    src: 'with DAG(\n    "nta",\n    schedule=None,\n) as d:\n    pass\n',
    text: 'with DAG(\n    "nta",\n    schedule=None,\n    tags=["finance_read"],\n) as d:\n    pass\n',
  },
  {
    name: 'no tags=, multi-line call without trailing comma, comment after the last argument',
    src: 'd = DAG(\n    "nta",\n    schedule=None  # nightly\n)\n',
    text: 'd = DAG(\n    "nta",\n    schedule=None,  # nightly\n    tags=["finance_read"]\n)\n',
  },
  {
    name: 'no tags=, multi-line call, comment after the trailing comma',
    src: 'd = DAG(\n    dag_id="nta",\n    catchup=False,  # no backfill\n)\n',
    text: 'd = DAG(\n    dag_id="nta",\n    catchup=False,  # no backfill\n    tags=["finance_read"],\n)\n',
  },
  {
    name: 'no tags=, hanging arguments',
    src: 'd = DAG("nta",\n        schedule=None)\n',
    text: 'd = DAG("nta",\n        schedule=None,\n        tags=["finance_read"])\n',
  },
  {
    name: 'no tags=, *args only',
    src: 'with DAG(*args) as d:\n    pass\n',
    text: 'with DAG(*args, tags=["finance_read"]) as d:\n    pass\n',
  },
  {
    name: 'no tags=, empty call',
    src: 'with DAG() as d:\n    pass\n',
    text: 'with DAG(tags=["finance_read"]) as d:\n    pass\n',
  },
  {
    name: 'no tags=, @dag(...) decorator',
    src: '@dag(schedule=None)\ndef nta():\n    pass\n\nnta()\n',
    text: '@dag(schedule=None, tags=["finance_read"])\ndef nta():\n    pass\n\nnta()\n',
  },
  {
    name: 'no tags=, multi-line @dag(...) decorator',
    src: '@dag(\n    dag_id="nta",\n    schedule=None,\n)\ndef nta():\n    pass\n\nnta()\n',
    text: '@dag(\n    dag_id="nta",\n    schedule=None,\n    tags=["finance_read"],\n)\ndef nta():\n    pass\n\nnta()\n',
  },
  {
    name: 'no tags=, @dag()',
    src: '@dag()\ndef a():\n    pass\n\na()\n',
    text: '@dag(tags=["finance_read"])\ndef a():\n    pass\n\na()\n',
  },
  {
    name: 'bare @dag',
    src: '@dag\ndef b():\n    pass\n\nb()\n',
    text: '@dag(tags=["finance_read"])\ndef b():\n    pass\n\nb()\n',
  },
  {
    name: 'empty list',
    src: 'with DAG("nta", tags=[]) as d:\n    pass\n',
    text: 'with DAG("nta", tags=["finance_read"]) as d:\n    pass\n',
  },
  {
    name: 'one-line list',
    src: 'with DAG("nta", tags=["platform", "finanse_read"]) as d:\n    pass\n',
    text: 'with DAG("nta", tags=["platform", "finanse_read", "finance_read"]) as d:\n    pass\n',
  },
  {
    name: 'one-element tuple',
    src: 'with DAG("nta", tags=("finanse_read",)) as d:\n    pass\n',
    text: 'with DAG("nta", tags=("finanse_read", "finance_read",)) as d:\n    pass\n',
  },
  {
    name: 'Black-style list with trailing comma',
    src: 'with DAG(\n    "nta",\n    tags=[\n        "finanse_read",\n    ],\n) as d:\n    pass\n',
    text: 'with DAG(\n    "nta",\n    tags=[\n        "finanse_read",\n        "finance_read",\n    ],\n) as d:\n    pass\n',
  },
  {
    name: 'one item per line without trailing comma',
    src: 'with DAG(\n    "nta",\n    tags=[\n        "platform",\n        "finanse_read"\n    ],\n) as d:\n    pass\n',
    text: 'with DAG(\n    "nta",\n    tags=[\n        "platform",\n        "finanse_read",\n        "finance_read"\n    ],\n) as d:\n    pass\n',
  },
  {
    name: 'one item per line, comment after the last item',
    src: 'with DAG(\n    "nta",\n    tags=[\n        "platform",  # team tag\n    ],\n) as d:\n    pass\n',
    text: 'with DAG(\n    "nta",\n    tags=[\n        "platform",  # team tag\n        "finance_read",\n    ],\n) as d:\n    pass\n',
  },
  {
    name: 'set',
    src: 'with DAG("nta", tags={"platform"}) as d:\n    pass\n',
    text: 'with DAG("nta", tags={"platform", "finance_read"}) as d:\n    pass\n',
  },
];

const black = (items: string[], trailing = true) => `with DAG(\n    "nta",\n    tags=[\n${items.map((t, i) => `        ${t}${trailing || i < items.length - 1 ? ',' : ''}\n`).join('')}    ],\n) as d:\n    pass\n`;
const line = (value: string) => `with DAG("nta", tags=${value}) as d:\n    pass\n`;

const REMOVE: RemoveCase[] = [
  { name: 'Black-style list, only item', src: black(['"finanse_read"']), remove: 'finanse_read', text: 'with DAG(\n    "nta",\n    tags=[],\n) as d:\n    pass\n' },
  { name: 'one-element tuple', src: line('("finanse_read",)'), remove: 'finanse_read', text: line('()') },
  { name: 'one-element list', src: line('["finanse_read"]'), remove: 'finanse_read', text: line('[]') },
  { name: 'one-line list, first', src: line('["a_read", "b_read", "c_read"]'), remove: 'a_read', text: line('["b_read", "c_read"]') },
  { name: 'one-line list, middle', src: line('["a_read", "b_read", "c_read"]'), remove: 'b_read', text: line('["a_read", "c_read"]') },
  { name: 'one-line list, last', src: line('["a_read", "b_read", "c_read"]'), remove: 'c_read', text: line('["a_read", "b_read"]') },
  { name: 'one-line list with trailing comma, last', src: line('["a_read", "b_read", "c_read",]'), remove: 'c_read', text: line('["a_read", "b_read",]') },
  { name: 'one-line list of two, first', src: line('["platform", "finanse_read"]'), remove: 'finanse_read', text: line('["platform"]') },
  { name: 'one-line tuple, first', src: line('("a_read", "b_read", "c_read")'), remove: 'a_read', text: line('("b_read", "c_read")') },
  { name: 'one-line tuple, middle', src: line('("a_read", "b_read", "c_read")'), remove: 'b_read', text: line('("a_read", "c_read")') },
  { name: 'one-line tuple, last', src: line('("a_read", "b_read", "c_read")'), remove: 'c_read', text: line('("a_read", "b_read")') },
  { name: 'tuple of two keeps a tuple, first', src: line('("a_read", "b_read")'), remove: 'a_read', text: line('("b_read",)') },
  { name: 'tuple of two keeps a tuple, last', src: line('("a_read", "b_read")'), remove: 'b_read', text: line('("a_read",)') },
  { name: 'one-line set, first', src: line('{"a_read", "b_read", "c_read"}'), remove: 'a_read', text: line('{"b_read", "c_read"}') },
  { name: 'one-line set, middle', src: line('{"a_read", "b_read", "c_read"}'), remove: 'b_read', text: line('{"a_read", "c_read"}') },
  { name: 'one-line set, last', src: line('{"a_read", "b_read", "c_read"}'), remove: 'c_read', text: line('{"a_read", "b_read"}') },
  { name: 'one-element set', src: line('{"a_read"}'), remove: 'a_read', text: line('set()') },
  { name: 'Black-style list, first', src: black(['"a_read"', '"b_read"', '"c_read"']), remove: 'a_read', text: black(['"b_read"', '"c_read"']) },
  { name: 'Black-style list, middle', src: black(['"a_read"', '"b_read"', '"c_read"']), remove: 'b_read', text: black(['"a_read"', '"c_read"']) },
  { name: 'Black-style list, last', src: black(['"a_read"', '"b_read"', '"c_read"']), remove: 'c_read', text: black(['"a_read"', '"b_read"']) },
  { name: 'Black-style list of two, last', src: black(['"platform"', '"finanse_read"']), remove: 'finanse_read', text: black(['"platform"']) },
  { name: 'one per line without trailing comma, last', src: black(['"a_read"', '"b_read"', '"c_read"'], false), remove: 'c_read', text: black(['"a_read"', '"b_read"'], false) },
  {
    name: 'one per line without trailing comma, last of two',
    src: black(['"platform"', '"finanse_read"'], false),
    remove: 'finanse_read',
    text: black(['"platform"'], false),
  },
  { name: 'one per line without trailing comma, first', src: black(['"a_read"', '"b_read"', '"c_read"'], false), remove: 'a_read', text: black(['"b_read"', '"c_read"'], false) },
  {
    name: 'multi-line tuple of two, first',
    src: 'with DAG("nta", tags=(\n    "a_read",\n    "b_read"\n)) as d:\n    pass\n',
    remove: 'a_read',
    text: 'with DAG("nta", tags=(\n    "b_read",\n)) as d:\n    pass\n',
  },
  {
    name: 'item followed by a comment, middle',
    src: 'with DAG(\n    "nta",\n    tags=[\n        "platform",  # team\n        "finanse_read",  # typo\n        "audit",\n    ],\n) as d:\n    pass\n',
    remove: 'finanse_read',
    text: 'with DAG(\n    "nta",\n    tags=[\n        "platform",  # team\n        "audit",\n    ],\n) as d:\n    pass\n',
  },
  {
    name: 'item followed by a comment, last',
    src: 'with DAG(\n    "nta",\n    tags=[\n        "platform",  # team\n        "finanse_read",  # typo\n    ],\n) as d:\n    pass\n',
    remove: 'finanse_read',
    text: 'with DAG(\n    "nta",\n    tags=[\n        "platform",  # team\n    ],\n) as d:\n    pass\n',
  },
  {
    name: 'item followed by a comment, first, hanging',
    src: 'with DAG("nta", tags=["finanse_read",  # typo\n                     "platform"]) as d:\n    pass\n',
    remove: 'finanse_read',
    text: 'with DAG("nta", tags=["platform"]) as d:\n    pass\n',
  },
  {
    name: 'last item after a commented one, hanging',
    src: 'with DAG("nta", tags=["platform",  # team\n                     "finanse_read"]) as d:\n    pass\n',
    remove: 'finanse_read',
    text: 'with DAG("nta", tags=["platform"  # team\n                     ]) as d:\n    pass\n',
  },
  {
    name: 'list constant defined in the file',
    src: 'TEAM_TAGS = ["platform", "finanse_read"]\n\nwith DAG("nta", tags=TEAM_TAGS) as d:\n    pass\n',
    remove: 'finanse_read',
    text: 'TEAM_TAGS = ["platform"]\n\nwith DAG("nta", tags=TEAM_TAGS) as d:\n    pass\n',
  },
  {
    name: 'string constant listed in the tags',
    src: 'TYPO = "finanse_read"\n\nwith DAG("nta", tags=["platform", TYPO]) as d:\n    pass\n',
    remove: 'finanse_read',
    text: 'TYPO = "finanse_read"\n\nwith DAG("nta", tags=["platform"]) as d:\n    pass\n',
  },
  {
    name: 'list concatenation',
    src: 'with DAG("nta", tags=["platform"] + ["finanse_read", "audit"]) as d:\n    pass\n',
    remove: 'finanse_read',
    text: 'with DAG("nta", tags=["platform"] + ["audit"]) as d:\n    pass\n',
  },
];

describe('add / remove tag edits keep the Python valid', () => {
  let parser: Parser;
  let ws: Awaited<ReturnType<typeof workspace>>;
  const rel = (group: string, i: number) => `dags/${group}_${i}.py`;

  before(async () => {
    parser = await createPythonParser();
    const files: Record<string, string> = { 'airflow-access.yaml': CONFIG };
    ADD.forEach((c, i) => (files[rel('add', i)] = HEAD + c.src));
    REMOVE.forEach((c, i) => (files[rel('remove', i)] = HEAD + c.src));
    files['dags/kwargs.py'] = HEAD + 'with DAG(dag_id="nta", **common) as d:\n    pass\n';
    ws = await workspace(files);
  });
  after(async () => {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  function check(fix: Fix, file: string, expected: string, label: string): void {
    assert.ok(fix.edits.every((e) => e.file === file), `${label}: edits the DAG file`);
    const after = applyEdits(fs.readFileSync(file, 'utf8'), fix.edits);
    assert.equal(after, HEAD + expected, label);
    const tree = parser.parse(after)!;
    try {
      assert.equal(tree.rootNode.hasError, false, `${label}: parses without errors:\n${after}`);
    } finally {
      tree.delete();
    }
  }

  function facts(project: Project, file: string) {
    const f = project.getFile(file);
    assert.ok(f && f.dags.length, `facts for ${file}`);
    return f;
  }

  test('"Add tag" after the last argument / item, in the layout of the call or collection', () => {
    ADD.forEach((c, i) => {
      const file = ws.file(rel('add', i));
      const f = facts(ws.project, file);
      const text = sourceOf(ws.project, f);
      assert.equal(text, fs.readFileSync(file, 'utf8'), `${c.name}: the source the facts were computed from`);
      const fix = addTagFixes(f.dags[0], ws.project.config, file, text).find((x) => x.title.startsWith("Add tag 'finance_read'"));
      assert.ok(fix, `${c.name}: offered`);
      check(fix, file, c.text, c.name);
      assert.deepEqual(addTagFixes(f.dags[0], ws.project.config, file, null), [], `${c.name}: no fix without the text`);
    });
  });

  test('"Remove tag" of the first, middle, last and only item, with comments and constants', () => {
    REMOVE.forEach((c, n) => {
      const file = ws.file(rel('remove', n));
      const f = facts(ws.project, file);
      const tags = f.dags[0].tags!;
      const i = tags.items.findIndex((t) => t.value === c.remove);
      assert.ok(i >= 0, `${c.name}: tag found`);
      const fix = removeTagFix(tags, i, file, sourceOf(ws.project, f));
      assert.ok(fix, `${c.name}: offered`);
      check(fix, file, c.text, c.name);
      assert.equal(removeTagFix(tags, i, file, null), null, `${c.name}: no fix without the text`);
    });
  });

  test('no "Add tag" when **kwargs may already carry tags (a second tags= would be a TypeError)', () => {
    const file = ws.file('dags/kwargs.py');
    assert.deepEqual(addTagFixes(facts(ws.project, file).dags[0], ws.project.config, file, fs.readFileSync(file, 'utf8')), []);
  });

  test('the rules offer these edits: ADA001 remove, ADA003 remove and ADA010 add', () => {
    const findingsOf = (file: string, code: string) => runRules(ws.project, file).filter((x) => x.code === code);
    // The reviewer's cases.
    let file = ws.file(rel('remove', REMOVE.findIndex((c) => c.name === 'Black-style list, only item')));
    let fix = findingsOf(file, 'ADA001')[0].fixes!.find((x) => x.title === "Remove tag 'finanse_read'")!;
    check(fix, file, REMOVE.find((c) => c.name === 'Black-style list, only item')!.text, 'ADA001 Black-style list');
    file = ws.file(rel('remove', REMOVE.findIndex((c) => c.name === 'one-element tuple')));
    fix = findingsOf(file, 'ADA001')[0].fixes!.find((x) => x.title === "Remove tag 'finanse_read'")!;
    check(fix, file, line('()'), 'ADA001 one-element tuple');
    file = ws.file(rel('add', 0));
    fix = findingsOf(file, 'ADA010')[0].fixes!.find((x) => x.title.startsWith("Add tag 'finance_read'"))!;
    check(fix, file, ADD[0].text, 'ADA010 add to DAG("nta")');
    file = ws.file(rel('add', ADD.findIndex((c) => c.name === 'Black-style list with trailing comma')));
    fix = findingsOf(file, 'ADA010')[0].fixes!.find((x) => x.title.startsWith("Add tag 'finance_read'"))!;
    check(fix, file, ADD.find((c) => c.name === 'Black-style list with trailing comma')!.text, 'ADA010 Black-style list');
  });

  test('ADA003 duplicate in a tuple of two: the tuple stays a tuple', async () => {
    const dup = await workspace({ 'airflow-access.yaml': CONFIG, 'dags/d.py': HEAD + line('("finance_read", "finance_read")') });
    try {
      const file = dup.file('dags/d.py');
      const fix = runRules(dup.project, file).find((x) => x.code === 'ADA003')!.fixes![0];
      const after = applyEdits(fs.readFileSync(file, 'utf8'), fix.edits);
      assert.equal(after, HEAD + line('("finance_read",)'));
      const tree = parser.parse(after)!;
      assert.equal(tree.rootNode.hasError, false);
      tree.delete();
    } finally {
      await dup.project.dispose();
      fs.rmSync(dup.root, { recursive: true, force: true });
    }
  });

  test('the text is the one the facts came from: the open document of that version, else the unchanged file', () => {
    const file = ws.file(rel('add', 0));
    const f = facts(ws.project, file);
    assert.equal(sourceOf({ options: { openDocuments: () => [{ file, text: 'other', version: -1 }] } }, f), fs.readFileSync(file, 'utf8'), 'an open document of another version is not used; disk matches');
    assert.equal(sourceOf({ options: { openDocuments: () => [{ file, text: 'edited', version: f.version }] } }, f), 'edited', 'the open document the facts came from');
    assert.equal(sourceOf({ options: {} }, { ...f, version: f.version + 1 }), null, 'disk changed since');
  });
});
