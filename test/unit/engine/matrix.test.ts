/**
 * The one matrix builder (engine/matrix.ts) and its exports (engine/matrixExport.ts), which the CLI and
 * the editor share: cell states (per-DAG, DAG-wide, reverted, from the database), folding of the
 * default roles, CSV and Markdown text. And the webview's script (media/matrixView.js): it decodes the
 * cells as the server encodes them, filters, sorts and renders only the rows asked for.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DagAccess, Grant, Provenance, RoleAccess } from '../../../server/src/model/access';
import type { Range } from '../../../server/src/model/facts';
import { buildMatrix, cellKind, CELL_KINDS, type MatrixEntry } from '../../../server/src/engine/matrix';
import { matrixToCsv, matrixToJson, matrixToMarkdown } from '../../../server/src/engine/matrixExport';
import { externalAccessNote } from '../../../server/src/engine/externalAuthAccess';
import { repoRoot } from '../../helpers/paths';

const R: Range = { start: { line: 4, character: 2 }, end: { line: 4, character: 9 } };
const tag = (role: string, t: string): Provenance => ({ kind: 'tag', tag: t, role, configFile: '/ws/airflow-access.yaml', configRange: R, tagFile: '/ws/dags/a.py', tagRange: R });
const dflt = (role: string): Provenance => ({ kind: 'default_role', role, resource: 'DAGs' });
const db = (role: string, resource: string): Provenance => ({ kind: 'db', role, resource });

function grant(role: string, action: string, scope: 'global' | 'dag', via: Provenance, extra: Partial<Grant> = {}): Grant {
  return { role, resource: 'DAGs', action, scope, via: [via], ...extra };
}

function role(name: string, builtin: boolean, grants: Grant[], runs: string[] = []): RoleAccess {
  const live = grants.filter((g) => !g.reverted && g.resource === 'DAGs').map((g) => g.action);
  return { role: name, builtin, grants, dagActions: [...new Set(live)], dagRunActions: runs, editWithoutRead: false };
}

const viewer = () => role('Viewer', true, [grant('Viewer', 'can_read', 'global', dflt('Viewer'))]);
const admin = () => role('Admin', true, ['can_read', 'can_edit', 'can_delete'].map((a) => grant('Admin', a, 'global', dflt('Admin'))));

function entry(dagId: string, roles: RoleAccess[], tags: string[] = [], team: string | null = null): MatrixEntry {
  const access: DagAccess = { dagId, roles, conflicts: [], summary: { canRead: 0, canEdit: 0, canDelete: 0, nonAdminReachable: false } };
  return { dagId, file: `/ws/dags/${dagId}.py`, range: R, tags, team, access };
}

function sample() {
  return buildMatrix([
    // Listed out of order: the matrix sorts DAGs by id.
    entry('sales', [admin(), viewer(), role('sales_team', false, [grant('sales_team', 'can_read', 'dag', tag('sales_team', 'sales_read'))])], ['sales', 'sales_read'], 'commerce'),
    entry('ledger', [
      admin(),
      viewer(),
      // access_control is authoritative: the tag's edit is reverted, read stays from access_control.
      role('auditor', false, [
        grant('auditor', 'can_read', 'dag', { kind: 'access_control', role: 'auditor', file: '/ws/dags/ledger.py', range: R }),
        grant('auditor', 'can_edit', 'dag', tag('auditor', 'auditor_edit'), { reverted: true }),
      ]),
      // Read everywhere from a grant in the database on the 'DAGs' resource.
      role('reader', false, [grant('reader', 'can_read', 'global', db('reader', 'DAGs'))]),
    ], ['finance']),
  ]);
}

const state = (m: ReturnType<typeof sample>, dag: string, r: string, kind: (typeof CELL_KINDS)[number]) =>
  cellKind(m.codes[m.dags.findIndex((d) => d.dagId === dag) * m.roles.length + m.roles.indexOf(r)]!, kind);

describe('the matrix model', () => {
  test('DAGs by id; default roles first, then the others by name; each cell says how the role holds each kind of access', () => {
    const m = sample();
    assert.deepEqual(m.dags.map((d) => d.dagId), ['ledger', 'sales']);
    assert.deepEqual(m.roles, ['Admin', 'Viewer', 'auditor', 'reader', 'sales_team']);
    assert.deepEqual(m.builtin, [true, true, false, false, false]);
    assert.deepEqual(state(m, 'sales', 'sales_team', 'read'), { state: 'dag', db: false });
    assert.deepEqual(state(m, 'sales', 'sales_team', 'edit'), { state: 'none', db: false });
    assert.deepEqual(state(m, 'ledger', 'auditor', 'read'), { state: 'dag', db: false });
    assert.deepEqual(state(m, 'ledger', 'auditor', 'edit'), { state: 'reverted', db: false }, 'the tag grant access_control reverts');
    assert.deepEqual(state(m, 'ledger', 'reader', 'read'), { state: 'wide', db: true }, 'DAG-wide, from the database');
    assert.deepEqual(state(m, 'sales', 'Admin', 'delete'), { state: 'wide', db: false });
    assert.deepEqual(m.cells[0]![m.roles.indexOf('auditor')], ['can_read'], 'the reverted edit is not effective');
    assert.deepEqual(m.dags[1]!.tags, ['sales', 'sales_read']);
    assert.equal(m.dags[1]!.team, 'commerce');
  });

  test('default roles with the same cell on every DAG fold; a default role with a per-DAG grant somewhere keeps its column', () => {
    const m = sample();
    assert.deepEqual(m.folded.map((j) => m.roles[j]), ['Admin', 'Viewer']);
    assert.equal(m.foldedLine, 'Admin: read, edit, delete · Viewer: read');
    const viewerEdits = role('Viewer', true, [grant('Viewer', 'can_read', 'global', dflt('Viewer')), grant('Viewer', 'can_edit', 'dag', tag('Viewer', 'x_edit'))]);
    const m2 = buildMatrix([entry('a', [admin(), viewerEdits]), entry('b', [admin(), viewer()])]);
    assert.deepEqual(m2.folded.map((j) => m2.roles[j]), ['Admin']);
    // A custom role is never folded, even when it holds the same on every DAG.
    const m3 = buildMatrix([entry('a', [role('reader', false, [grant('reader', 'can_read', 'global', db('reader', 'DAGs'))])])]);
    assert.deepEqual(m3.folded, []);
  });

  test('roles without access to any DAG are left out', () => {
    const m = buildMatrix([entry('a', [admin(), role('idle', false, [])])]);
    assert.deepEqual(m.roles, ['Admin']);
  });
});

describe('the matrix exports', () => {
  test('CSV: dag_id, file, one column per role (folded ones too), actions separated by spaces, runs prefixed', () => {
    const m = buildMatrix([entry('a,b', [admin(), role('x', false, [grant('x', 'can_read', 'dag', tag('x', 'x_read'))], ['can_read'])])]);
    assert.equal(matrixToCsv(m, (f) => path.relative('/ws', f)), 'dag_id,file,Admin,x\n"a,b",dags/a,b.py,can_read can_edit can_delete,can_read run:can_read\n'.replace('dags/a,b.py', '"dags/a,b.py"'));
  });

  test('Markdown: folded default roles on one line, DAG-wide actions starred, reverted ones struck, with a legend', () => {
    const md = matrixToMarkdown(sample());
    assert.equal(
      md,
      [
        'Default roles (DAG-wide, the same on every DAG): Admin: read, edit, delete · Viewer: read',
        '',
        '| DAG | auditor | reader | sales_team |',
        '|---|---|---|---|',
        '| ledger | read, ~~edit~~ | read* |   |',
        '| sales |   |   | read |',
        '',
        '\\* DAG-wide: the role holds it on every DAG.',
        '~~struck~~: granted, but Airflow reverts it (access_control is authoritative).',
        '',
      ].join('\n'),
    );
  });

  test('Markdown: no legend when nothing is DAG-wide or reverted; pipes in names are escaped', () => {
    const md = matrixToMarkdown(buildMatrix([entry('a|b', [role('x', false, [grant('x', 'can_edit', 'dag', tag('x', 'x_edit'))])])]));
    assert.equal(md, '| DAG | x |\n|---|---|\n| a\\|b | edit |\n');
  });
});

describe('the matrix under an auth manager that decides outside the database', () => {
  test('keycloak / aws: a note instead of an empty table (Markdown, JSON); the CSV stays header and rows', () => {
    for (const am of ['fab', 'file', 'simple'] as const) assert.equal(externalAccessNote(am), null, am);
    const note = externalAccessNote('aws')!;
    assert.match(note, /^DAG access is decided by the AWS auth manager in Amazon Verified Permissions .*cannot be shown here/);
    const m = buildMatrix([entry('b', []), entry('a', [])], note);
    assert.equal(matrixToMarkdown(m), `${note}\n\n2 DAGs: a, b\n`);
    assert.equal((matrixToJson(m, (f) => f) as { note?: string }).note, note);
    assert.equal(matrixToCsv(m, (f) => path.basename(f)), 'dag_id,file\na,a.py\nb,b.py\n');
    assert.equal((matrixToJson(buildMatrix([entry('a', [])]), (f) => f) as { note?: string }).note, undefined, 'no note under FAB');
  });
});

interface View { rows: number[]; cols: number[] }
interface Core {
  ROW_H: number;
  FOLDED: number;
  decode(code: number, k: number): { state: string; db: boolean };
  computeView(model: unknown, opts: { filter?: string; unfold?: boolean; sort?: { col: string | number; desc: boolean } }): View;
  rowsHtml(model: unknown, view: View, first: number, last: number, focus: { row: number; col: number } | null, colFirst?: number, colLast?: number): string;
  headerHtml(model: unknown, view: View, sort: unknown): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require(path.join(repoRoot, 'media', 'matrixView.js')) as Core;

function pageModel(m: ReturnType<typeof sample>) {
  return { roles: m.roles, builtin: m.builtin, folded: m.folded, foldedLine: m.foldedLine, dagIds: m.dags.map((d) => d.dagId), tags: m.dags.map((d) => d.tags), teams: m.dags.map((d) => d.team), notImported: m.dags.map((d) => d.notImported), codes: m.codes };
}

describe('the matrix webview script (media/matrixView.js)', () => {
  test('decodes every cell as the server encodes it', () => {
    const m = sample();
    for (const code of m.codes) CELL_KINDS.forEach((k, i) => assert.deepEqual(core.decode(code, i), cellKind(code, k)));
  });

  test('default roles fold into one column unless unfolded; the filter matches DAG, tag, team and role', () => {
    const model = pageModel(sample());
    const names = (v: View) => v.cols.map((c) => (c === core.FOLDED ? 'defaults' : model.roles[c]));
    const dags = (v: View) => v.rows.map((r) => model.dagIds[r]);
    assert.deepEqual(names(core.computeView(model, {})), ['defaults', 'auditor', 'reader', 'sales_team']);
    assert.deepEqual(names(core.computeView(model, { unfold: true })), ['Admin', 'Viewer', 'auditor', 'reader', 'sales_team']);
    assert.deepEqual(dags(core.computeView(model, { filter: 'led' })), ['ledger']);
    assert.deepEqual(dags(core.computeView(model, { filter: 'tag:sales_r' })), ['sales']);
    assert.deepEqual(dags(core.computeView(model, { filter: 'commerce' })), ['sales'], 'a bare word matches the team');
    assert.deepEqual(dags(core.computeView(model, { filter: 'team:commerce tag:finance' })), [], 'words are ANDed');
    // A role filter keeps those columns and the DAGs they reach.
    const v = core.computeView(model, { filter: 'role:sales' });
    assert.deepEqual([names(v), dags(v)], [['sales_team'], ['sales']]);
  });

  test('sorting by a role column puts the DAGs it reaches most first; by DAG descending reverses', () => {
    const model = pageModel(sample());
    const dags = (v: View) => v.rows.map((r) => model.dagIds[r]);
    assert.deepEqual(dags(core.computeView(model, { sort: { col: model.roles.indexOf('sales_team'), desc: false } })), ['sales', 'ledger']);
    assert.deepEqual(dags(core.computeView(model, { sort: { col: 'dag', desc: true } })), ['sales', 'ledger']);
  });

  test('renders only the rows asked for, at their offsets, with names escaped and the state as a class', () => {
    const entries = Array.from({ length: 1000 }, (_, i) => entry(`dag_${String(i).padStart(4, '0')}${i === 3 ? '<b>' : ''}`, [admin(), role('x', false, [grant('x', 'can_read', 'dag', tag('x', 'x_read'))])]));
    const model = pageModel(buildMatrix(entries));
    const view = core.computeView(model, {});
    const html = core.rowsHtml(model, view, 2, 6, { row: 3, col: 1 });
    assert.equal(html.match(/role="row"/g)?.length, 4);
    assert.deepEqual([...html.matchAll(/data-pos="(\d+)"/g)].map((x) => Number(x[1])), [2, 3, 4, 5]);
    assert.ok(!html.includes('style='), 'no inline style: the Content-Security-Policy of the webview would drop it');
    assert.ok(html.includes('dag_0003&lt;b&gt;') && !html.includes('<b>'));
    assert.match(html, /class="c focus" role="gridcell" data-col="1"[^>]*><i class="g dag">R<\/i>/, 'the focused per-DAG read of x');
    assert.match(core.headerHtml(model, view, { col: 'dag', desc: false }), /DAG ▲.*Default roles.*>x</s);
    // Only the columns asked for (the view renders the horizontally visible ones).
    const narrow = core.rowsHtml(model, view, 0, 1, null, 1, 2);
    assert.deepEqual([...narrow.matchAll(/role="gridcell" data-col="(-?\d+)"/g)].map((x) => Number(x[1])), [view.cols[1]]);
    assert.match(narrow, /role="rowheader"/, 'the DAG name is always there');
  });
});
