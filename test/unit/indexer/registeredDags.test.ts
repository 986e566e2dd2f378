/**
 * The DAGs Airflow registers from real-world shapes of DAG files (issue 17): each test names the
 * pattern and asserts what a user sees of the DAG — its id, tags, access_control and assets — or the
 * exact reason it cannot be known statically.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { spawnSync } from 'child_process';
import type { DagFact, FileFacts } from '../../../server/src/model/facts';
import { WorkspaceIndex } from '../../../server/src/indexer/workspaceIndex';
import { factsOf } from './helpers';
import { makeWorkspace } from './tmpWorkspace';

function ids(facts: FileFacts): (string | null)[] {
  return facts.dags.map((d) => (d.dagId.kind === 'static' ? d.dagId.value : null));
}

function tags(d: DagFact): string[] {
  return (d.tags?.items ?? []).map((t) => t.value);
}

function access(d: DagFact): Record<string, string[]> | string | null {
  const ac = d.accessControl;
  if (!ac) return null;
  if (ac.kind !== 'dict') return ac.kind;
  return Object.fromEntries(ac.roles.map((r) => [r.role.value, r.resources.flatMap((x) => x.actions.map((a) => a.value)).sort()]));
}

function reason(d: DagFact): string {
  return d.dagId.kind === 'dynamic' ? d.dagId.reason : `static ${d.dagId.value}`;
}

async function indexed(files: Record<string, string>, rel: string): Promise<FileFacts> {
  const ws = makeWorkspace(files);
  const index = new WorkspaceIndex({ root: ws.root });
  try {
    await index.scan();
    return index.getFile(path.join(ws.root, rel))!;
  } finally {
    index.dispose();
    ws.cleanup();
  }
}

describe('1: a decorator name rebound later in the module', () => {
  it('`dag = backfill_dag()` after `@dag(...)` keeps the decorator Airflow\'s where it is used', async () => {
    const f = await factsOf('from airflow.decorators import dag\n\n@dag(dag_id="backfill", tags=["ops"], access_control={"ops": {"can_read"}})\ndef backfill_dag():\n    pass\n\ndag = backfill_dag()\n');
    assert.deepEqual(ids(f), ['backfill']);
    assert.deepEqual(tags(f.dags[0]!), ['ops']);
    assert.deepEqual(access(f.dags[0]!), { ops: ['can_read'] });
    assert.equal(f.dags[0]!.instantiated, true);
  });

  it('a decorator used after its name was rebound to something else is not Airflow\'s', async () => {
    const f = await factsOf('from airflow.decorators import dag\n\ndag = lambda **kw: (lambda f: f)\n\n@dag(tags=["x"])\ndef not_airflow():\n    pass\n\nnot_airflow()\n');
    assert.deepEqual(ids(f), []);
  });
});

describe('5: a @dag function called inside the function that defines it', () => {
  it('is registered when the factory runs at import, with no ADA019 state', async () => {
    const f = await factsOf('from airflow.decorators import dag\n\ndef build():\n    @dag(dag_id="inner", tags=["t"])\n    def inner():\n        pass\n    inner()\n\nbuild()\n');
    assert.deepEqual(ids(f), ['inner']);
    assert.equal(f.dags[0]!.instantiated, true);
    assert.deepEqual(tags(f.dags[0]!), ['t']);
  });

  it('is not registered when the factory itself is never called, and says which function to call', async () => {
    const f = await factsOf('from airflow.decorators import dag\n\ndef build():\n    @dag(dag_id="inner")\n    def inner():\n        pass\n    return inner()\n');
    assert.equal(f.dags[0]!.instantiated, false);
    assert.equal(f.dags[0]!.factory?.name, 'build');
  });
});

describe('4: factories called at module level', () => {
  const factory = 'from airflow import DAG\n\ndef make(name, team="core", access=None):\n    return DAG(dag_id=f"etl_{name}", tags=[team, "etl"], access_control=access)\n\n';

  it('one DAG per call, with the call\'s literal arguments bound to the parameters', async () => {
    const f = await factsOf(`${factory}a = make("sales", access={"sales": ["can_read", "can_edit"]})\nb = make(name="hr", team="people")\n`);
    assert.deepEqual(ids(f), ['etl_sales', 'etl_hr']);
    assert.deepEqual(f.dags.map(tags), [['core', 'etl'], ['people', 'etl']]);
    assert.deepEqual(f.dags.map(access), [{ sales: ['can_edit', 'can_read'] }, 'none']);
    // The DAG points at its call (line 6 and 7).
    assert.deepEqual(f.dags.map((d) => d.nameRange.start.line), [5, 6]);
  });

  it('a call in a loop stays dynamic with the loop variable as the reason', async () => {
    const f = await factsOf(`${factory}for n in ["a", "b"]:\n    globals()[n] = make(n)\n`);
    assert.deepEqual(f.dags.map(reason), ['`n` is a loop variable: it takes a different value on each iteration']);
  });

  it('a parameter reassigned in the body is not bound to the argument', async () => {
    const f = await factsOf('from airflow import DAG\n\ndef make(dag_id):\n    dag_id = dag_id.upper()\n    return DAG(dag_id)\n\nd = make("x")\n');
    assert.deepEqual(f.dags.map(reason), ['`dag_id` is a local variable or parameter of `make`, only known when it runs']);
  });

  it('a factory imported from another workspace module', async () => {
    const f = await indexed(
      {
        'dags/common/factory.py': factory,
        'dags/use.py': 'from airflow import DAG  # noqa\nfrom common.factory import make\n\nsales = make("sales", team="sales")\n',
      },
      'dags/use.py',
    );
    assert.deepEqual(ids(f), ['etl_sales']);
    assert.deepEqual(tags(f.dags[0]!).sort(), ['etl', 'sales']);
  });
});

describe('3: DAG subclasses', () => {
  it('a subclass defined in the file, dag_id anywhere among the keywords', async () => {
    const f = await factsOf('from airflow import DAG\n\nclass TeamDag(DAG):\n    pass\n\nwith TeamDag(schedule=None, tags=["team"], dag_id="team_x"):\n    pass\n');
    assert.deepEqual(ids(f), ['team_x']);
    assert.deepEqual(tags(f.dags[0]!), ['team']);
  });

  it('a subclass imported from another module of the workspace; a non-DAG class of the same shape is no DAG', async () => {
    const f = await indexed(
      {
        'dags/lib/dags.py': 'from airflow.models.dag import DAG\n\nclass TeamDag(DAG):\n    pass\n\nclass NotADag:\n    pass\n',
        'dags/use.py': 'from airflow import DAG  # noqa\nfrom lib.dags import TeamDag, NotADag\n\nx = TeamDag("imported_team", access_control={"t": {"can_read"}})\ny = NotADag("nope")\n',
      },
      'dags/use.py',
    );
    assert.deepEqual(ids(f), ['imported_team']);
    assert.deepEqual(access(f.dags[0]!), { t: ['can_read'] });
  });

  it('a subclass with its own __init__ gives a dynamic dag_id with the reason', async () => {
    const f = await factsOf('from airflow import DAG\n\nclass Odd(DAG):\n    def __init__(self, team, **kw):\n        super().__init__(dag_id=team + "_dag", **kw)\n\nOdd("sales")\n');
    assert.deepEqual(f.dags.map(reason), ['`Odd` defines its own __init__ (or __new__): what it passes on to DAG is only known when it runs']);
  });

  it('cosmos DbtDag, imported either way', async () => {
    const f = await factsOf('from cosmos import DbtDag\nimport cosmos\n\na = DbtDag(dag_id="dbt_a", tags=["dbt"])\nb = cosmos.DbtDag(dag_id="dbt_b")\n');
    assert.deepEqual(ids(f), ['dbt_a', 'dbt_b']);
    assert.deepEqual(tags(f.dags[0]!), ['dbt']);
  });
});

describe('6: keyword arguments through **dicts', () => {
  it('a module-level dict literal, dict(...) and {**base, ...}', async () => {
    const f = await factsOf(
      'from airflow import DAG\n\nBASE = dict(tags=["base"], access_control={"r": {"can_read"}})\nFULL = {**BASE, "dag_id": "full", "tags": ["full"]}\n\nDAG(**FULL)\nDAG("explicit", **BASE)\n',
    );
    assert.deepEqual(ids(f), ['full', 'explicit']);
    assert.deepEqual(f.dags.map(tags), [['full'], ['base']]);
    assert.deepEqual(f.dags.map(access), [{ r: ['can_read'] }, { r: ['can_read'] }]);
  });

  it('a dict made at run time leaves dag_id and tags dynamic, with why', async () => {
    const f = await factsOf('from airflow import DAG\nimport json\n\nCFG = json.loads("{}")\nDAG(**CFG)\n');
    assert.deepEqual(f.dags.map(reason), ['dag_id may be passed through `**CFG`, which is not known before the file runs (`json.loads(...)` is computed when the file runs)']);
  });
});

describe('7: dag_id from the file name', () => {
  for (const [expr, want] of [
    ['os.path.basename(__file__).replace(".py", "")', 'orders_daily'],
    ['Path(__file__).stem', 'orders_daily'],
    ['pathlib.Path(__file__).with_suffix("").name', null],
    ['os.path.splitext(os.path.basename(__file__))[0] + "_v2"', 'orders_daily_v2'],
    ['f"{Path(__file__).stem}_hourly"', 'orders_daily_hourly'],
    ['__file__.split("/")[-1][:-3]', 'orders_daily'],
    ['Path(__file__).parent.name', 'dags'],
  ] as const) {
    it(expr, async () => {
      const f = await factsOf(`import os\nimport pathlib\nfrom pathlib import Path\nfrom airflow import DAG\n\nDAG(dag_id=${expr})\n`, '/ws/dags/orders_daily.py');
      assert.deepEqual(ids(f), [want]);
    });
  }

  it('the whole path depends on the deployment: dynamic, with why', async () => {
    const f = await factsOf('import os\nfrom airflow import DAG\n\nDAG(dag_id=os.path.abspath(__file__))\n', '/ws/dags/x.py');
    assert.deepEqual(f.dags.map(reason), ['`os.path.abspath(__file__)` holds the folder the file is deployed in, only known where Airflow runs it']);
  });
});

describe('2: Airflow 3 @asset and @asset.multi', () => {
  it('each function is a DAG named after its asset, producing it; schedules on other asset functions resolve', async () => {
    const f = await factsOf(
      'from airflow.sdk import Asset, asset\n\n@asset(schedule="@daily", tags=["raw"], access_control={"ing": {"can_read"}})\ndef raw():\n    pass\n\n@asset(schedule=raw, name="clean", uri="s3://b/clean")\ndef cleaned():\n    pass\n\n@asset.multi(schedule=[cleaned], outlets=[Asset("x")], dag_id="multi_dag")\ndef many():\n    pass\n',
    );
    assert.deepEqual(ids(f), ['raw', 'clean', 'multi_dag']);
    assert.deepEqual(tags(f.dags[0]!), ['raw']);
    assert.deepEqual(access(f.dags[0]!), { ing: ['can_read'] });
    assert.deepEqual(f.dags.map((d) => d.schedule.map((s) => s.key)), [[], ['raw'], ['clean']]);
    assert.deepEqual(f.dags.map((d) => d.producers.flatMap((p) => p.outlets.map((o) => o.key))), [['raw'], ['clean'], ['x']]);
    assert.deepEqual(f.assets.map((a) => [a.key, a.uri?.kind === 'static' ? a.uri.value : null]), [['x', null], ['raw', 'raw'], ['clean', 's3://b/clean']]);
  });

  it('`asset` not from Airflow is no DAG', async () => {
    const f = await factsOf('from airflow import DAG  # noqa\nfrom dagster import asset\n\n@asset(schedule="@daily")\ndef raw():\n    pass\n');
    assert.deepEqual(ids(f), []);
  });
});

describe('8: files Python rejects though the grammar accepts them', () => {
  // [source, Python 3.11's `Type: message`, lineno, offset] — checked against python3 below when it exists.
  const cases: [string, string, number, number][] = [
    ['x = 1\n    y = 2\n', 'IndentationError: unexpected indent', 2, 4],
    ['x = 1\n\ty = 2\n', 'IndentationError: unexpected indent', 2, 1],
    ['if a:\n        x = 1\n    y = 2\n', 'IndentationError: unindent does not match any outer indentation level', 3, 10],
    ['if a:\n\tx = 1\n        y = 2\n', 'TabError: inconsistent use of tabs and spaces in indentation', 3, 1],
    ['if a:\n    if b:\n\t\tx = 1\n    y = 2\n', 'TabError: inconsistent use of tabs and spaces in indentation', 3, 1],
    ['def f():\nx = 1\n', 'IndentationError: expected an indented block after function definition on line 1', 2, 1],
    ['def f():\n    with a:\n    x = 1\n', "IndentationError: expected an indented block after 'with' statement on line 2", 3, 5],
    ['if a:\n# only a comment\nx = 1\n', "IndentationError: expected an indented block after 'if' statement on line 1", 3, 1],
    ['if a:\n', "IndentationError: expected an indented block after 'if' statement on line 1", 1, 6],
    ['x = (0, 00, 0_0, 007)\n', 'SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers', 1, 18],
    ['x = 1 \u20ac 2\n', "SyntaxError: invalid character '\u20ac' (U+20AC)", 1, 7],
    ['x = 1\u00a0+ 2\n', 'SyntaxError: invalid non-printable character U+00A0', 1, 6],
  ];
  const valid = ['x = (1,\n  2)\n  \n# c\n    # c2\ny = 3 \\\n    + 4\n', 'if a:\n    x = 1\n\f    y = 2\n', 'def f():\n\tif x:\n        \treturn 1\n', 's = """\n  not code\n\t mixed\n"""\nx = 0.07 + 0 + 00 + 1_000 + 0x1F\n'];

  it('reported as ADA099 at Python\'s line and column, with its wording; valid files give nothing', async () => {
    for (const [src, message, line, offset] of cases) {
      const f = await factsOf(`${src}`);
      const e = f.syntaxErrors[0];
      assert.deepEqual(e && [e.message, e.range.start.line + 1, e.range.start.character + 1], [message, line, offset], JSON.stringify(src));
    }
    for (const src of valid) assert.deepEqual((await factsOf(src)).syntaxErrors, [], JSON.stringify(src));
  });

  it('python3, where it exists, rejects the same files at the same place with the same words', { skip: !hasPython() && 'python3 is not installed' }, () => {
    const script = 'import json,sys\nout=[]\nfor src in json.load(sys.stdin):\n    try:\n        compile(src,"f.py","exec"); out.append(None)\n    except SyntaxError as e:\n        out.append([type(e).__name__+": "+e.msg, e.lineno, e.offset])\nprint(json.dumps(out))\n';
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify([...cases.map((c) => c[0]), ...valid]), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as ([string, number, number] | null)[];
    assert.deepEqual(got, [...cases.map(([, m, l, o]) => [m, l, o]), ...valid.map(() => null)]);
  });

  it('an error the grammar finds on an earlier line stays first: a missing `:` does not become "unexpected indent" below it', async () => {
    const f = await factsOf('from airflow import DAG\n\nwith DAG("b") as dag\n    pass\n');
    assert.equal(f.syntaxErrors[0]?.range.start.line, 2); // Python: "expected ':'" on line 3
    assert.ok(!f.syntaxErrors.some((e) => /unexpected indent/.test(e.message)), JSON.stringify(f.syntaxErrors));
  });

  it('a DAG in such a file is still read for the editor, and the file carries the error', async () => {
    const f = await factsOf('from airflow import DAG\n\nwith DAG("slip", tags=["etl"]) as dag:\n    a = 1\n      b = 2\n');
    assert.deepEqual(ids(f), ['slip']);
    assert.equal(f.syntaxErrors[0]?.message, 'IndentationError: unexpected indent');
  });
});

function hasPython(): boolean {
  return spawnSync('python3', ['--version']).status === 0;
}
