/**
 * Airflow 3 `@asset` and `@asset.multi`: each decorated module-level function is a one-task DAG, made
 * when the decorator runs (no call needed). Semantics from apache/airflow
 * `task-sdk/src/airflow/sdk/definitions/asset/decorators.py`:
 * - `asset.__call__`: the asset's name is `name=` or the function's name; its uri is `uri=` or the name.
 * - `AssetDefinition.__attrs_post_init__` / `MultiAssetDefinition.__attrs_post_init__` call
 *   `_DAGFactory.create_dag(default_dag_id=...)`: the dag_id is `dag_id=` or the asset's name
 *   (`@asset`) or the function's name (`@asset.multi`), with the `schedule`, `tags` and
 *   `access_control` given to the decorator.
 * - `_AssetMainOperator.from_definition`: the one task, named after the function, has the asset
 *   (`@asset`) or the `outlets=` (`@asset.multi`) as its outlets.
 * - Nested functions are rejected (`ValueError("nested function not supported")`); every argument is
 *   a keyword (`attrs.define(kw_only=True)`).
 */
import type { Node } from 'web-tree-sitter';
import type { AssetFact, DagFact, ProducerFact, SyntaxErrorFact } from '../model/facts';
import { readAssetRefs, strip, type AssetTable } from './extractAssets';
import { baseFact } from './extractDags';
import { resolveString, type ValueCtx } from './extractValues';
import { withKnownSplats } from './splatArgs';
import { callArgs, namedKids, nodeRange, typeOf } from './syntax';

export interface AssetFunction {
  def: Node;
  deco: Node;
  fnName: Node;
  multi: boolean;
  /** Index of the asset it defines (`@asset` only). */
  asset?: number;
}

/** `@asset(...)` / `@asset.multi(...)` decorator call on a definition, when `asset` comes from Airflow. */
function assetDecorator(def: Node, ctx: ValueCtx): { deco: Node; multi: boolean } | null {
  for (const d of namedKids(def)) {
    if (typeOf(d) !== 'decorator') continue;
    const expr = namedKids(d)[0];
    if (!expr || typeOf(expr) !== 'call') continue;
    const callee = expr.childForFieldName('function');
    if (!callee) continue;
    if (ctx.scope.airflowName(callee) === 'asset') return { deco: expr, multi: false };
    if (typeOf(callee) === 'attribute' && callee.childForFieldName('attribute')?.text === 'multi') {
      const obj = callee.childForFieldName('object');
      if (obj && ctx.scope.airflowName(obj) === 'asset') return { deco: expr, multi: true };
    }
  }
  return null;
}

/** `asset` or `asset.multi` when `expr` names Airflow's decorator class (called or not). */
function assetClass(expr: Node, ctx: ValueCtx): 'asset' | 'asset.multi' | null {
  if (ctx.scope.airflowName(expr) === 'asset') return 'asset';
  if (typeOf(expr) !== 'attribute' || expr.childForFieldName('attribute')?.text !== 'multi') return null;
  const obj = expr.childForFieldName('object');
  return obj && ctx.scope.airflowName(obj) === 'asset' ? 'asset.multi' : null;
}

/**
 * Decorators that raise TypeError when the module-level definition runs, so the file cannot be
 * imported: `asset` and `asset.multi` are attrs classes with `kw_only=True` whose `schedule` has no
 * default (`_DAGFactory` in decorators.py). A bare `@asset` calls `asset(fn)` (a positional argument),
 * `@asset("x")` passes one too, and `@asset(...)` without `schedule=` (and no `**kwargs`) misses it.
 */
export function assetDecoratorErrors(decorated: Node[], ctx: ValueCtx): SyntaxErrorFact[] {
  const out: SyntaxErrorFact[] = [];
  for (const def of decorated) {
    if (typeOf(def.parent) !== 'module') continue;
    for (const d of namedKids(def)) {
      const expr = typeOf(d) === 'decorator' ? namedKids(d)[0] : undefined;
      if (!expr) continue;
      const isCall = typeOf(expr) === 'call';
      const which = assetClass(isCall ? expr.childForFieldName('function') ?? expr : expr, ctx);
      if (!which) continue;
      const at = nodeRange(d);
      if (!isCall) {
        out.push({ range: at, message: `TypeError: a bare @${which} calls ${which}(<function>), but ${which} takes keyword arguments only and needs schedule=; write @${which}(schedule=...)` });
        continue;
      }
      const args = callArgs(expr);
      if (args.positional.length) out.push({ range: at, message: `TypeError: ${which}(...) takes keyword arguments only (name=..., schedule=...)` });
      else if (!args.keywords.has('schedule') && !args.splats.length) out.push({ range: at, message: `TypeError: @${which}(...) has no schedule=, which ${which} requires; add schedule=... (None for manual runs only)` });
    }
  }
  return out;
}

/**
 * The module-level `@asset` functions: their assets are added to `table` (so `schedule=other_asset`
 * and `outlets=[...]` resolve to them) before any DAG is read.
 */
export function collectAssetFunctions(decorated: Node[], ctx: ValueCtx, table: AssetTable): AssetFunction[] {
  const out: AssetFunction[] = [];
  for (const def of decorated) {
    ctx.scope.budget.tick();
    if (typeOf(def.parent) !== 'module') continue;
    const found = assetDecorator(def, ctx);
    const fnDef = found && def.childForFieldName('definition');
    const fnName = fnDef?.childForFieldName('name');
    if (!found || !fnName) continue;
    const fn: AssetFunction = { def, deco: found.deco, fnName, multi: found.multi };
    if (!found.multi) {
      const args = callArgs(found.deco);
      const nameNode = args.keywords.get('name')?.value;
      const uriNode = args.keywords.get('uri')?.value;
      const name = nameNode ? strip(resolveString(nameNode, ctx)) : { kind: 'static' as const, value: fnName.text, range: nodeRange(fnName) };
      const uri = uriNode ? strip(resolveString(uriNode, ctx)) : name;
      const asset: AssetFact = { kind: 'Asset', name, uri, key: name.kind === 'static' ? name.value : null, range: nodeRange(def), accessControl: null, allowProducerTeams: null, variable: { value: fnName.text, range: nodeRange(fnName) } };
      fn.asset = table.assets.length;
      table.assets.push(asset);
      table.byFunction.set(fnName.text, fn.asset);
    }
    out.push(fn);
  }
  return out;
}

/** One DAG per asset function, producing its asset (or its `outlets=`). */
export function assetDags(fns: AssetFunction[], ctx: ValueCtx, table: AssetTable): DagFact[] {
  return fns.map((f) => {
    const args = withKnownSplats(callArgs(f.deco), ctx);
    const callee = f.deco.childForFieldName('function')!;
    const fact = baseFact('decorator', f.def, callee, args, ctx, table);
    const idNode = args.keywords.get('dag_id')?.value;
    const asset = f.asset === undefined ? undefined : table.assets[f.asset]!;
    fact.dagId = idNode ? strip(resolveString(idNode, ctx)) : asset?.name ?? { kind: 'static', value: f.fnName.text, range: nodeRange(f.fnName) };
    fact.functionName = { name: f.fnName.text, range: nodeRange(f.fnName) };
    fact.instantiated = true;
    const producer: ProducerFact = { taskId: f.fnName.text, range: nodeRange(f.deco), outlets: [] };
    if (asset && f.asset !== undefined) producer.outlets.push({ key: asset.key, range: nodeRange(f.fnName), localAsset: f.asset });
    const outlets = f.multi ? args.keywords.get('outlets') : undefined;
    if (outlets) producer.outlets.push(...readAssetRefs(outlets.value, ctx, table, 'outlets').refs);
    fact.producers = [producer];
    return fact;
  });
}
