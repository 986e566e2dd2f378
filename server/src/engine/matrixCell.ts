/**
 * One matrix cell as a small integer, so the editor's webview receives DAGs × roles as one flat
 * array. Four kinds of access, three bits each (kind k at bits 3k..3k+2):
 *   state (2 bits): 0 none · 1 per-DAG (DAG:<id> / DAG Run:<id>) · 2 DAG-wide (the 'DAGs' /
 *   'DAG Runs' resource: every DAG) · 3 reverted (only a grant that Airflow reverts, e.g. a tag grant
 *   an authoritative access_control replaces; not effective)
 *   db (1 bit): every grant behind that state comes from the metadata database.
 * media/matrixView.js decodes the same layout (test/unit/engine/matrix.test.ts checks both agree).
 */
import type { Grant, RoleAccess } from '../model/access';
import { DEFAULT_ROLES } from '../model/defaultRoles';

export const DEFAULT_ROLE_ORDER: readonly string[] = DEFAULT_ROLES;

export const CELL_KINDS = ['read', 'edit', 'delete', 'runs'] as const;
export type CellKind = (typeof CELL_KINDS)[number];
export type KindState = 'none' | 'dag' | 'wide' | 'reverted';
const STATES: readonly KindState[] = ['none', 'dag', 'wide', 'reverted'];

const ACTION: Record<Exclude<CellKind, 'runs'>, string> = { read: 'can_read', edit: 'can_edit', delete: 'can_delete' };

function grantsOf(r: RoleAccess, kind: CellKind): Grant[] {
  return kind === 'runs' ? r.grants.filter((g) => g.resource === 'DAG Runs') : r.grants.filter((g) => g.resource === 'DAGs' && g.action === ACTION[kind]);
}

function effective(r: RoleAccess, kind: CellKind): boolean {
  return kind === 'runs' ? r.dagRunActions.length > 0 : r.dagActions.includes(ACTION[kind]);
}

const onlyDb = (gs: Grant[]) => gs.length > 0 && gs.every((g) => g.via.length > 0 && g.via.every((v) => v.kind === 'db'));

function kindCode(r: RoleAccess, kind: CellKind): number {
  const gs = grantsOf(r, kind);
  const live = gs.filter((g) => !g.reverted && !g.needsDag);
  if (effective(r, kind)) {
    const wide = live.some((g) => g.scope === 'global');
    return (wide ? 2 : 1) | (onlyDb(live) ? 4 : 0);
  }
  const reverted = gs.filter((g) => g.reverted);
  return reverted.length ? 3 | (onlyDb(reverted) ? 4 : 0) : 0;
}

export function encodeCell(r: RoleAccess): number {
  let code = 0;
  CELL_KINDS.forEach((k, i) => {
    code |= kindCode(r, k) << (3 * i);
  });
  return code;
}

/** How a cell's code says the role holds one kind of access. */
export function cellKind(code: number, kind: CellKind): { state: KindState; db: boolean } {
  const bits = (code >> (3 * CELL_KINDS.indexOf(kind))) & 7;
  return { state: STATES[bits & 3], db: (bits & 4) !== 0 };
}
