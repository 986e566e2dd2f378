/**
 * Factories: a module-level function that builds a DAG (`DAG(...)` in its body, or a `@dag` function it
 * defines and calls) makes one DAG per call made while the module is imported. Each call is evaluated
 * on its own: the factory's parameters are bound to the call's arguments (or their defaults), so
 * `make_dag("sales", tags=["sales"])` gives the DAG `sales` with that tag. A parameter the call does
 * not bind plainly (passed through `*args` / `**kwargs`, or reassigned in the body) stays a local
 * variable, reported dynamic with that reason.
 */
import type { Node } from 'web-tree-sitter';
import type { DagFact, Range } from '../model/facts';
import type { ValueCtx } from './extractValues';
import { callArgs, namedKids, nodeRange, typeOf } from './syntax';

/** One DAG-building site inside a factory, rebuilt for each call. */
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

interface Param {
  name: string;
  kind: 'plain' | 'keyword-only' | 'star' | 'double-star';
  default?: Node;
}

function parameters(fn: Node): Param[] {
  const out: Param[] = [];
  const list = fn.childForFieldName('parameters');
  let keywordOnly = false;
  for (const p of list ? namedKids(list) : []) {
    const t = typeOf(p);
    if (t === 'identifier') out.push({ name: p.text, kind: keywordOnly ? 'keyword-only' : 'plain' });
    else if (t === 'typed_parameter') {
      const id = namedKids(p)[0];
      if (id && typeOf(id) === 'identifier') out.push({ name: id.text, kind: keywordOnly ? 'keyword-only' : 'plain' });
      else if (id && typeOf(id) === 'list_splat_pattern') (out.push({ name: namedKids(id)[0]?.text ?? '', kind: 'star' }), (keywordOnly = true));
      else if (id && typeOf(id) === 'dictionary_splat_pattern') out.push({ name: namedKids(id)[0]?.text ?? '', kind: 'double-star' });
    } else if (t === 'default_parameter' || t === 'typed_default_parameter') {
      const name = p.childForFieldName('name');
      const value = p.childForFieldName('value');
      if (name) out.push(value ? { name: name.text, kind: keywordOnly ? 'keyword-only' : 'plain', default: value } : { name: name.text, kind: 'plain' });
    } else if (t === 'list_splat_pattern') {
      out.push({ name: namedKids(p)[0]?.text ?? '', kind: 'star' });
      keywordOnly = true;
    } else if (t === 'keyword_separator') keywordOnly = true;
    else if (t === 'dictionary_splat_pattern') out.push({ name: namedKids(p)[0]?.text ?? '', kind: 'double-star' });
  }
  return out;
}

/**
 * `fn`'s parameters bound to `call`'s arguments, as Python binds them; an argument list with `*` / `**`
 * unpacking binds nothing (which parameter gets what is only known at run time).
 */
export function bindParameters(fn: Node, call: Node, ctx: ValueCtx): NonNullable<ValueCtx['params']> {
  const values = new Map<string, Node>();
  const args = callArgs(call);
  if (args.splats.length) return { fnId: fn.id, values };
  const reassigned = ctx.scope.bodyBindings(fn);
  const params = parameters(fn);
  let i = 0;
  for (const p of params) {
    if (p.kind === 'star' || p.kind === 'double-star') {
      if (p.kind === 'star') i = args.positional.length;
      continue;
    }
    const given = p.kind === 'plain' && i < args.positional.length ? args.positional[i++] : args.keywords.get(p.name)?.value;
    const value = given ?? p.default;
    if (value && !reassigned.has(p.name)) values.set(p.name, value);
  }
  return { fnId: fn.id, values };
}

/**
 * The DAG facts of a file once each factory template is replaced by one fact per module-level call
 * (a template whose factory is never called stays, not instantiated). An expanded DAG points at its
 * call: its code lens and dag_id range are where the call is, or where its literal dag_id is written.
 */
export function expandFactories(dags: DagFact[], templates: FactoryTemplate[], ctx: ValueCtx): DagFact[] {
  if (!templates.some((t) => t.calls.length)) return dags;
  const byIndex = new Map(templates.map((t) => [t.index, t]));
  const out: DagFact[] = [];
  dags.forEach((dag, i) => {
    const t = byIndex.get(i);
    if (!t || !t.calls.length) return void out.push(dag);
    for (const call of t.calls) {
      ctx.scope.budget.tick();
      const { fact, idLiteral } = t.build({ ...ctx, params: bindParameters(t.factory, call, ctx) });
      const callee = call.childForFieldName('function') ?? call;
      fact.range = nodeRange(call);
      fact.nameRange = nodeRange(callee);
      delete fact.argsRange;
      fact.instantiated = true;
      fact.producers = dag.producers;
      fact.factoryCall = { name: callee.text, range: nodeRange(call) };
      const id = fact.dagId;
      // The dag_id's range: its literal when the call wrote it, else the call (the factory's own text is shared by every call).
      // (A dag_id written whole in the factory keeps its place: every call gives that same id.)
      if (id.kind === 'static') id.range = !id.via ? id.range : idLiteral && within(idLiteral, nodeRange(call)) ? idLiteral : nodeRange(call);
      else if (!id.pending) id.range = nodeRange(call);
      out.push(fact);
    }
  });
  return out;
}

/** `r` lies inside `outer` (a value that came from one of the call's arguments). */
function within(r: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, r.start) && le(r.end, outer.end);
}
