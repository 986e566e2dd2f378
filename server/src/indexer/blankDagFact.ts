/** The DagFact a DAG-making call starts from: nothing read yet, dag_id not (yet) known. */
import type { Node } from 'web-tree-sitter';
import type { DagFact } from '../model/facts';
import { nodeRange } from './syntax';

/** `whole` spans the DAG (call, decorated function or with-block), `callee` names it; `idNode` carries the unknown dag_id. */
export function blankDagFact(style: DagFact['style'], whole: Node, callee: Node, reason: string, idNode: Node = whole): DagFact {
  return {
    dagId: { kind: 'dynamic', range: nodeRange(idNode), reason },
    style,
    range: nodeRange(whole),
    nameRange: nodeRange(callee),
    tags: null,
    defaultArgsTags: null,
    accessControl: null,
    schedule: [],
    scheduleDynamic: [],
    producers: [],
    instantiated: true,
  };
}
