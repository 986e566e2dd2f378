/**
 * The access matrix (DAGs × roles), built once for every view of it: the CLI `matrix` command, the
 * editor's matrix webview and their CSV / Markdown exports (engine/matrixExport.ts). Each cell keeps
 * the effective actions and, per kind of access (read, edit, delete, runs), how the role holds it:
 * per-DAG, DAG-wide (the 'DAGs' / 'DAG Runs' resource, every DAG), or only through a grant that
 * access_control reverts; and whether it comes only from the metadata database.
 */
import type { DagAccess, RoleAccess } from '../model/access';
import type { Range } from '../model/facts';
import { DEFAULT_ROLE_ORDER, encodeCell } from './matrixCell';

export { CELL_KINDS, cellKind, type CellKind, type KindState } from './matrixCell';

export interface MatrixDag {
  dagId: string;
  file: string;
  range: Range;
  tags: string[];
  team: string | null;
  /** Why Airflow registers no such DAG (its file does not import), else null. */
  notImported: string | null;
}

export interface MatrixEntry extends Omit<MatrixDag, 'notImported'> {
  access: DagAccess;
}

export interface Matrix {
  roles: string[];
  /** builtin[r]: roles[r] is one of Airflow's default roles. */
  builtin: boolean[];
  dags: MatrixDag[];
  /** cells[dag][role]: effective DAG actions. */
  cells: string[][][];
  /** runCells[dag][role]: effective DAG Run actions. */
  runCells: string[][][];
  /** codes[dag * roles.length + role]: read / edit / delete / runs states (engine/matrixCell.ts). */
  codes: number[];
  /**
   * Default roles whose cell is the same on every DAG (their DAG-wide access): views fold them into
   * one column or one line. `folded` are role indexes; `foldedLine` says what each group holds.
   */
  folded: number[];
  foldedLine: string;
  /**
   * Set when the auth manager decides access outside Airflow's database (Keycloak, AWS): the matrix
   * has no roles, and every view says why instead of looking like "nobody has access".
   */
  note: string | null;
}

const short = (a: string) => a.replace(/^can_/, '');

/** The text of one cell: "read, edit, run:read" ('' when none). The Markdown export and folding compare it. */
export function cellText(m: Pick<Matrix, 'cells' | 'runCells'>, dag: number, role: number): string {
  return [...m.cells[dag][role].map(short), ...m.runCells[dag][role].map((a) => `run:${short(a)}`)].join(', ');
}

function roleOrder(a: string, b: string): number {
  const ia = DEFAULT_ROLE_ORDER.indexOf(a);
  const ib = DEFAULT_ROLE_ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a.localeCompare(b);
}

/**
 * DAGs sorted by id; default roles first (Admin, Op, User, Viewer, Public), then the others by name;
 * roles with no effective access to any DAG are left out.
 */
export function buildMatrix(entries: readonly MatrixEntry[], note: string | null = null): Matrix {
  const builtinOf = new Map<string, boolean>();
  for (const e of entries) for (const r of e.access.roles) if (r.dagActions.length || r.dagRunActions.length) builtinOf.set(r.role, r.builtin);
  const roles = [...builtinOf.keys()].sort(roleOrder);
  const sorted = [...entries].sort((a, b) => (a.dagId < b.dagId ? -1 : a.dagId > b.dagId ? 1 : 0));
  const cells: string[][][] = [];
  const runCells: string[][][] = [];
  const codes: number[] = new Array(sorted.length * roles.length);
  sorted.forEach((e, i) => {
    const byRole = new Map<string, RoleAccess>(e.access.roles.map((r) => [r.role, r]));
    const row: string[][] = [];
    const runRow: string[][] = [];
    roles.forEach((role, j) => {
      const r = byRole.get(role);
      row.push(r?.dagActions ?? []);
      runRow.push(r?.dagRunActions ?? []);
      codes[i * roles.length + j] = r ? encodeCell(r) : 0;
    });
    cells.push(row);
    runCells.push(runRow);
  });
  const builtin = roles.map((r) => builtinOf.get(r) === true || DEFAULT_ROLE_ORDER.includes(r));
  const m = { cells, runCells };
  const { folded, line } = foldDefaultColumns(roles, builtin, sorted.length, (i, j) => cellText(m, i, j));
  return {
    roles,
    builtin,
    dags: sorted.map((e) => ({ dagId: e.dagId, file: e.file, range: e.range, tags: e.tags, team: e.team, notImported: e.access.notImported ?? null })),
    cells,
    runCells,
    codes,
    folded,
    foldedLine: line,
    note,
  };
}

/**
 * Default roles whose cell is the same on every DAG fold into one line ("Admin, Op, User: read, edit,
 * delete · Viewer: read"); `cell(dag, role)` is the cell's text.
 */
export function foldDefaultColumns(roles: readonly string[], builtin: readonly boolean[], nDags: number, cell: (dag: number, role: number) => string): { folded: number[]; line: string } {
  const folded: number[] = [];
  const groups = new Map<string, string[]>();
  roles.forEach((role, j) => {
    const first = nDags ? cell(0, j) : '';
    let same = builtin[j] && nDags > 0;
    for (let i = 1; same && i < nDags; i++) same = cell(i, j) === first;
    if (!same) return;
    folded.push(j);
    groups.set(first, [...(groups.get(first) ?? []), role]);
  });
  return { folded, line: [...groups].map(([what, names]) => `${names.join(', ')}: ${what.trim() || 'none'}`).join(' · ') };
}

