import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { discoverFiles, exclusionReason, passesSafeMode } from '../../../server/src/indexer/discovery';
import { DAG_FILE, makeWorkspace } from './tmpWorkspace';

const rels = (root: string, files: { file: string }[]): string[] => files.map((f) => path.relative(root, f.file).split(path.sep).join('/'));

test('.airflowignore regexp syntax (default): patterns are searched in the path relative to the root; comments ignored', async () => {
  const ws = makeWorkspace({
    '.airflowignore': '# scratch work\nscratch/.*\n_old\\.py$   # trailing comment\n',
    'keep.py': DAG_FILE('keep'),
    'scratch/try.py': DAG_FILE('try'),
    'sub/thing_old.py': DAG_FILE('old'),
    'sub/thing.py': DAG_FILE('thing'),
    'node_modules/pkg/x.py': DAG_FILE('x'),
    '.venv/lib/y.py': DAG_FILE('y'),
  });
  try {
    const { files } = await discoverFiles({ root: ws.root });
    assert.deepEqual(rels(ws.root, files), ['keep.py', 'sub/thing.py']);
    assert.match(exclusionReason(path.join(ws.root, 'scratch/try.py'), { root: ws.root }) ?? '', /\.airflowignore line 2/);
  } finally {
    ws.cleanup();
  }
});

test('.airflowignore regexp syntax in a nested folder: its patterns are still searched in the path relative to the DAGs root', async () => {
  // Airflow (apache/airflow airflow/utils/file.py, _find_path_from_directory): every ignore file's regexp
  // rules are compiled with the walk's base_dir, and _RegexpIgnoreRule.match searches path.relative_to(base_dir).
  const ws = makeWorkspace({
    'team/.airflowignore': '^skip\\.py$\n^team/drop_\n',
    'team/skip.py': DAG_FILE('team_skip'),
    'team/drop_me.py': DAG_FILE('drop_me'),
    'team/keep.py': DAG_FILE('team_keep'),
    'skip.py': DAG_FILE('root_skip'),
  });
  try {
    const { files } = await discoverFiles({ root: ws.root });
    // "^skip\.py$" would match "skip.py" relative to team/, but relative to the root the path is "team/skip.py".
    assert.deepEqual(rels(ws.root, files), ['skip.py', 'team/keep.py', 'team/skip.py']);
    assert.match(exclusionReason(path.join(ws.root, 'team/drop_me.py'), { root: ws.root }) ?? '', /\.airflowignore line 2/);
    assert.equal(exclusionReason(path.join(ws.root, 'team/skip.py'), { root: ws.root }), null);
    // Rules of team/.airflowignore apply only below team/.
    assert.equal(exclusionReason(path.join(ws.root, 'skip.py'), { root: ws.root }), null);
  } finally {
    ws.cleanup();
  }
});

test('.airflowignore glob syntax: base-name patterns at any depth, anchored paths, negation, nested ignore files', async () => {
  const ws = makeWorkspace({
    '.airflowignore': '*_test.py\n/legacy/\n',
    'a.py': DAG_FILE('a'),
    'a_test.py': DAG_FILE('a_test'),
    'deep/b_test.py': DAG_FILE('b_test'),
    'legacy/c.py': DAG_FILE('c'),
    'team/.airflowignore': 'drafts\n!keep_test.py\n',
    'team/drafts/d.py': DAG_FILE('d'),
    'team/keep_test.py': DAG_FILE('keep'),
    'team/e.py': DAG_FILE('e'),
    'other/drafts/f.py': DAG_FILE('f'),
  });
  try {
    const { files } = await discoverFiles({ root: ws.root, ignoreSyntax: 'glob' });
    assert.deepEqual(rels(ws.root, files), ['a.py', 'other/drafts/f.py', 'team/e.py', 'team/keep_test.py']);
    // In regexp mode the same files mean something else: "*_test.py" is not a valid regexp and is reported.
    const regexp = await discoverFiles({ root: ws.root, ignoreSyntax: 'regexp' });
    assert.ok(regexp.problems.some((p) => p.line === 0 && /invalid regexp/.test(p.message)));
  } finally {
    ws.cleanup();
  }
});

test('include and exclude globs narrow discovery', async () => {
  const ws = makeWorkspace({ 'dags/a.py': DAG_FILE('a'), 'dags/tests/t.py': DAG_FILE('t'), 'scripts/s.py': DAG_FILE('s') });
  try {
    const { files } = await discoverFiles({ root: ws.root, include: ['dags/**'], exclude: ['**/tests/**'] });
    assert.deepEqual(rels(ws.root, files), ['dags/a.py']);
  } finally {
    ws.cleanup();
  }
});

test('safe mode needs both "airflow" and "dag" (any case)', () => {
  assert.equal(passesSafeMode('from AIRFLOW import Dag'), true);
  assert.equal(passesSafeMode('import airflow  # helpers only'), false);
  assert.equal(passesSafeMode('dag = build()'), false);
});
