/**
 * The matrix's exports, one each for the CLI (`matrix --format md|csv|json`) and the editor's
 * webview (Export CSV / Markdown): the same text from the same model (engine/matrix.ts).
 */
import type { Range } from '../model/facts';
import { shown } from '../model/terminalText';
import { cellKind, cellText, type Matrix } from './matrix';

type Rel = (file: string) => string;

const at = (rel: Rel, file: string, r: Range) => ({ file: rel(file), line: r.start.line + 1, column: r.start.character + 1 });

/** `matrix --format json` (schemaVersion 1, docs/cli.md). */
export function matrixToJson(m: Matrix, rel: Rel): unknown {
  return {
    schemaVersion: 1,
    ...(m.note ? { note: m.note } : {}),
    roles: m.roles,
    dags: m.dags.map((d) => ({ dagId: d.dagId, ...at(rel, d.file, d.range), ...(d.notImported ? { notImported: d.notImported } : {}) })),
    cells: m.cells,
    runCells: m.runCells,
  };
}

const mdEscape = (s: string) => shown(s).replace(/\|/g, '\\|');
const short = (a: string) => a.replace(/^can_/, '');

/**
 * One Markdown cell: the effective actions, `*` after those the role holds DAG-wide (on every DAG),
 * and struck through (~~edit~~) an action only a reverted grant gives.
 */
function markdownCell(m: Matrix, i: number, j: number): { text: string; wide: boolean; reverted: boolean } {
  const code = m.codes[i * m.roles.length + j];
  let wide = false;
  let reverted = false;
  const mark = (kind: 'read' | 'edit' | 'delete' | 'runs', label: string) => {
    const s = cellKind(code, kind).state;
    if (s === 'wide') wide = true;
    return s === 'wide' ? `${label}*` : label;
  };
  const parts = m.cells[i][j].map((a) => {
    const s = short(a);
    return s === 'read' || s === 'edit' || s === 'delete' ? mark(s, s) : s;
  });
  parts.push(...m.runCells[i][j].map((a) => mark('runs', `run:${short(a)}`)));
  for (const k of ['read', 'edit', 'delete', 'runs'] as const) {
    if (cellKind(code, k).state === 'reverted') {
      reverted = true;
      parts.push(`~~${k}~~`);
    }
  }
  return { text: parts.join(', '), wide, reverted };
}

export function matrixToMarkdown(m: Matrix): string {
  // Keycloak / AWS: no table of empty cells, which would read as "nobody has access".
  if (m.note) return `${mdEscape(m.note)}\n\n${m.dags.length} DAGs: ${m.dags.map((d) => mdEscape(d.dagId)).join(', ') || 'none'}\n`;
  const folded = new Set(m.folded);
  const keep = m.roles.map((_, j) => j).filter((j) => !folded.has(j));
  let wide = false;
  let reverted = false;
  const text = (i: number, j: number) => {
    const c = markdownCell(m, i, j);
    wide ||= c.wide;
    reverted ||= c.reverted;
    return c.text || ' ';
  };
  const head = `| DAG | ${keep.map((j) => mdEscape(m.roles[j])).join(' | ')} |`;
  const rule = `|---|${keep.map(() => '---').join('|')}|`;
  const rows = m.dags.map((d, i) => `| ${mdEscape(d.dagId)}${d.notImported ? ' ⚠' : ''} | ${keep.map((j) => text(i, j)).join(' | ')} |`);
  // Default roles with the same (DAG-wide) cell on every DAG: one line above the table, not a column each.
  const intro = m.foldedLine ? [`Default roles (DAG-wide, the same on every DAG): ${mdEscape(m.foldedLine)}`, ''] : [];
  const legend = [...(wide ? ['\\* DAG-wide: the role holds it on every DAG.'] : []), ...(reverted ? ['~~struck~~: granted, but Airflow reverts it (access_control is authoritative).'] : [])];
  const notes = m.dags.flatMap((d) => (d.notImported ? [`⚠ ${d.dagId}: ${d.notImported}`] : []));
  return `${[...intro, head, rule, ...rows, ...(legend.length ? ['', ...legend] : []), ...(notes.length ? ['', ...notes] : [])].join('\n')}\n`;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * `dag_id,file,<role>...`; a cell's actions separated by spaces, DAG Run actions prefixed `run:`.
 * `m.note` is left out (the CSV stays one header and rows): the CLI prints it on stderr.
 */
export function matrixToCsv(m: Matrix, rel: Rel): string {
  const lines = [['dag_id', 'file', ...m.roles].map(csvField).join(',')];
  m.dags.forEach((d, i) => {
    const cells = m.roles.map((_, j) => [...m.cells[i][j], ...m.runCells[i][j].map((a) => `run:${a}`)].join(' '));
    lines.push([d.dagId, rel(d.file), ...cells].map(csvField).join(','));
  });
  return `${lines.join('\n')}\n`;
}
