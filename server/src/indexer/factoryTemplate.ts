/** A DAG built by a module-level factory function, before its calls are expanded (factoryCalls.ts). */
import type { Node } from 'web-tree-sitter';
import type { DagFact, Range } from '../model/facts';
import type { ValueCtx } from './valueCtx';

export interface FactoryTemplate {
  /** Index of the site's fact in the file's DAG list (the fact kept when the factory is never called). */
  index: number;
  /** The module-level function whose call builds the DAG. */
  factory: Node;
  /** Module-level calls of the factory. */
  calls: Node[];
  /** The DAG fact as read with the factory's parameters bound by `ctx.params`, and where its literal dag_id is written. */
  build: (ctx: ValueCtx) => { fact: DagFact; idLiteral?: Range };
}
