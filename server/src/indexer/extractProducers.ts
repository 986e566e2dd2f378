/**
 * Producers: tasks that declare `outlets=[...]`, either operator calls or `@task(outlets=...)`
 * functions, attached to the DAG they belong to (with-block, `dag=` keyword, @dag function body, or a
 * module-level @task function called inside one of those).
 */
import type { Node } from 'web-tree-sitter';
import type { DagFact, ProducerFact } from '../model/facts';
import { readAssetRefs, type AssetTable } from './extractAssets';
import type { DagContexts } from './extractDags';
import { resolveString, type ValueCtx } from './extractValues';
import { RangeForest } from './rangeForest';
import { callArgs, type CallSite, namedKids, nodeRange, typeOf } from './syntax';

const NOT_TASKS = new Set(['DAG', 'dag', 'Asset', 'Dataset', 'AssetAccessControl', 'TaskGroup', 'task_group']);

export function attachProducers(dags: DagFact[], contexts: DagContexts, calls: CallSite[], decorated: Node[], ctx: ValueCtx, table: AssetTable): void {
  const taskFns = new Map<string, ProducerFact>();
  const bodies = new RangeForest(contexts.blockSpans);
  const budget = ctx.scope.budget;
  const add = (dag: number | undefined, p: ProducerFact): void => {
    if (dag === undefined) return;
    const list = dags[dag]!.producers;
    if (!list.includes(p)) list.push(p);
  };
  for (const def of decorated) {
    budget.tick();
    const deco = taskDecoratorWithOutlets(def, ctx);
    const fnDef = def.childForFieldName('definition');
    if (!deco || !fnDef) continue;
    const a = callArgs(deco);
    const idNode = a.keywords.get('task_id')?.value;
    const id = idNode ? resolveString(idNode, ctx) : null;
    const taskId = idNode ? (id?.kind === 'static' ? id.value : null) : (fnDef.childForFieldName('name')?.text ?? null);
    const p = producer(taskId, deco.parent ?? deco, a.keywords.get('outlets')!.value, ctx, table);
    const dag = enclosingDag(def, bodies);
    if (dag !== undefined) add(dag, p);
    else if (typeOf(def.parent) === 'module') taskFns.set(fnDef.childForFieldName('name')?.text ?? '', p);
  }
  for (const { call, fn, name } of calls) {
    budget.tick();
    if (!fn) continue;
    if (taskFns.size && typeOf(fn) === 'identifier' && taskFns.has(fn.text)) add(enclosingDag(call, bodies), taskFns.get(fn.text)!);
    if ((name && NOT_TASKS.has(name)) || !call.text.includes('outlets')) continue;
    const a = callArgs(call);
    const outlets = a.keywords.get('outlets');
    if (!outlets || typeOf(call.parent) === 'decorator') continue;
    const idNode = a.keywords.get('task_id')?.value;
    const id = idNode ? resolveString(idNode, ctx) : null;
    const p = producer(id?.kind === 'static' ? id.value : null, call, outlets.value, ctx, table);
    const dagKw = a.keywords.get('dag')?.value;
    add(dagKw && typeOf(dagKw) === 'identifier' ? dagByVar(dagKw, contexts) : enclosingDag(call, bodies), p);
  }
}

function producer(taskId: string | null, at: Node, outlets: Node, ctx: ValueCtx, table: AssetTable): ProducerFact {
  const r = readAssetRefs(outlets, ctx, table, 'outlets');
  return { taskId, range: nodeRange(at), outlets: [...r.refs, ...r.dynamic.map((d) => ({ key: null, range: d.range, reason: d.reason }))] };
}

function taskDecoratorWithOutlets(def: Node, ctx: ValueCtx): Node | null {
  for (const d of namedKids(def)) {
    const expr = typeOf(d) === 'decorator' ? namedKids(d)[0] : undefined;
    if (!expr || typeOf(expr) !== 'call') continue;
    const callee = expr.childForFieldName('function');
    if (!callee) continue;
    const obj = typeOf(callee) === 'attribute' ? callee.childForFieldName('object') : null;
    const isTask = ctx.scope.airflowName(callee) === 'task' || (obj !== null && ctx.scope.airflowName(obj) === 'task');
    if (isTask && callArgs(expr).keywords.has('outlets')) return expr;
  }
  return null;
}

/** The DAG whose body (with-block or @dag function body) most closely encloses `n`. */
export function enclosingDag(n: Node, bodies: RangeForest<number>): number | undefined {
  return bodies.innermost(n.startIndex, n.endIndex);
}

/** `dag=my_dag`: the DAG most recently bound to that name before this point. */
function dagByVar(id: Node, contexts: DagContexts): number | undefined {
  const list = contexts.vars.get(id.text);
  if (!list) return undefined;
  let best: number | undefined;
  for (const b of list) if (b.at <= id.startIndex) best = b.dag;
  return best ?? list[list.length - 1]?.dag;
}
