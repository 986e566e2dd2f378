/**
 * The context static values are read in, and what a name lookup finds (shared by extractValues and
 * the modules it calls, without import loops).
 */
import type { Node } from 'web-tree-sitter';
import type { ImportRef } from '../model/facts';
import type { CallPlacements } from './placements';
import type { ConstantDef, ModuleScope } from './scope';

export interface ValueCtx {
  file: string;
  scope: ModuleScope;
  /** Assignments and with-items around calls, read top-down. */
  places: CallPlacements;
  /**
   * A factory call being evaluated (see factoryCalls): the parameters of the function `fnId` bound to
   * the call's argument nodes (or the parameter defaults), which are read as module-level constants.
   */
  params?: { fnId: number; values: Map<string, Node>; symbolic?: boolean };
}

export type NameLookup =
  | { kind: 'constant'; def: ConstantDef }
  | { kind: 'import'; ref: ImportRef }
  | { kind: 'unknown'; reason: string };
