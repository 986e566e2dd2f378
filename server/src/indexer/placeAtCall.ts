import type { DagFact, FactoryCallFact, ValueOrigin } from '../model/facts';

/**
 * A DAG read in a factory's file, moved to the call that builds it: what was written in the factory
 * keeps its place there (through `via`), and every range of the DAG itself is the call's.
 */
export function placeAtCall(d: DagFact, call: FactoryCallFact, factory: ValueOrigin, callFile: string): void {
  const here = (via?: ValueOrigin): boolean => via?.file === callFile;
  d.range = call.range;
  d.nameRange = call.calleeRange;
  delete d.argsRange;
  delete d.factory;
  d.instantiated = true;
  d.factoryCall = { name: call.ref.symbol, range: call.range };
  d.dagId = d.dagId.kind === 'static' && here(d.dagId.via) ? { ...d.dagId, range: d.dagId.via!.range } : { ...d.dagId, range: call.range };
  for (const t of [d.tags, d.defaultArgsTags]) {
    if (!t) continue;
    t.range = call.range;
    t.keywordRange = call.range;
    delete t.insertAt;
    for (const item of t.items) item.via ??= { ...factory, range: item.range };
    for (const part of t.dynamic) part.range = call.range;
  }
  if (d.accessControl) {
    d.accessControl.range = call.range;
    d.accessControl.keywordRange = call.range;
    d.accessControl.via ??= factory;
    for (const part of d.accessControl.dynamic) part.range = call.range;
  }
  for (const r of d.schedule) r.range = call.range;
  for (const p of d.scheduleDynamic) p.range = call.range;
  for (const p of d.producers) {
    p.range = call.range;
    for (const o of p.outlets) o.range = call.range;
  }
}
