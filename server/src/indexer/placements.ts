/**
 * Where a call expression sits (`x = Call(...)`, `with Call(...) as x:`). Extraction asks only about
 * the few calls it keeps (DAG, Asset and producer calls), so each question climbs at most four `parent`
 * steps. In web-tree-sitter each `parent` step searches down from the root, so a file that asks about
 * many calls (thousands of nested DAG calls) gets its answers from one top-down read of all its
 * assignments and with-statements instead. Answers are remembered per call.
 */
import type { Node } from 'web-tree-sitter';
import type { Budget } from './budget';
import { MAX_POINT_QUERIES } from './candidates';
import { namedKids, typeOf } from './syntax';

export interface AssignedTo {
  assignment: Node;
  left: Node | null;
  /** The assignment is a module top-level statement (`x = Call(...)` not inside if/def/class). */
  topLevel: boolean;
}

export interface WithItemOf {
  /** The with-statement's body. */
  body?: Node;
  /** `as name` (a plain identifier only). */
  variable?: Node;
}

export class CallPlacements {
  private readonly assigned = new Map<number, AssignedTo | undefined>();
  private readonly withItems = new Map<number, WithItemOf | undefined>();

  private topStatements?: Set<number>;
  private questions = 0;
  /** Every answer, read top-down, once more than MAX_POINT_QUERIES calls were asked about. */
  private all?: { assigned: Map<number, AssignedTo>; withItems: Map<number, WithItemOf> };

  /** `maxPoint`: questions answered by climbing before all answers are read top-down. */
  constructor(
    private readonly root: Node,
    private readonly budget: Budget,
    private readonly maxPoint = MAX_POINT_QUERIES,
  ) {}

  /** The assignment whose right-hand side is exactly `call` (the innermost one of `a = b = call`). */
  assignedTo(call: Node): AssignedTo | undefined {
    if (this.assigned.has(call.id)) return this.assigned.get(call.id);
    this.budget.tick();
    if (this.manyQuestions()) return this.all!.assigned.get(call.id);
    let found: AssignedTo | undefined;
    const a = call.parent;
    if (a && typeOf(a) === 'assignment' && a.childForFieldName('right')?.id === call.id) {
      const statement = a.parent;
      // Not `statement.parent`: after a syntax error, tree-sitter may name an ERROR node as its parent.
      this.topStatements ??= new Set(namedKids(this.root).map((n) => n.id));
      const topLevel = !!statement && typeOf(statement) === 'expression_statement' && this.topStatements.has(statement.id);
      found = { assignment: a, left: a.childForFieldName('left'), topLevel };
    }
    this.assigned.set(call.id, found);
    return found;
  }

  /** The with-item whose value is `call` (or `call as name`). */
  withItemOf(call: Node): WithItemOf | undefined {
    if (this.withItems.has(call.id)) return this.withItems.get(call.id);
    this.budget.tick();
    if (this.manyQuestions()) return this.all!.withItems.get(call.id);
    const found = readWithItem(call);
    this.withItems.set(call.id, found);
    return found;
  }

  private manyQuestions(): boolean {
    if (!this.all && ++this.questions > this.maxPoint) this.all = { assigned: this.readAssignments(), withItems: this.readWithItems() };
    return !!this.all;
  }

  private readAssignments(): Map<number, AssignedTo> {
    const top = new Set<number>();
    for (const st of namedKids(this.root)) {
      if (typeOf(st) !== 'expression_statement') continue;
      for (const e of namedKids(st)) if (typeOf(e) === 'assignment') top.add(e.id);
    }
    const out = new Map<number, AssignedTo>();
    for (const a of this.root.descendantsOfType('assignment')) {
      if (!a) continue;
      this.budget.tick();
      const right = a.childForFieldName('right');
      if (right && typeOf(right) === 'call') out.set(right.id, { assignment: a, left: a.childForFieldName('left'), topLevel: top.has(a.id) });
    }
    return out;
  }

  private readWithItems(): Map<number, WithItemOf> {
    const out = new Map<number, WithItemOf>();
    for (const w of this.root.descendantsOfType('with_statement')) {
      if (!w) continue;
      this.budget.tick();
      const body = w.childForFieldName('body');
      const clause = namedKids(w).find((c) => typeOf(c) === 'with_clause');
      for (const item of clause ? namedKids(clause) : []) {
        if (typeOf(item) !== 'with_item') continue;
        const value = item.childForFieldName('value');
        const read = value ? itemValue(value) : null;
        if (read && typeOf(read.call) === 'call') out.set(read.call.id, place(body, read.variable));
      }
    }
    return out;
  }
}

/** A with-item's value: `call`, or `call as name` (the pattern's first child, its target's name). */
function itemValue(value: Node): { call: Node; variable?: Node } | null {
  if (typeOf(value) !== 'as_pattern') return { call: value };
  const call = namedKids(value)[0];
  if (!call) return null;
  const target = namedKids(value).find((c) => typeOf(c) === 'as_pattern_target');
  const id = target && namedKids(target)[0];
  return id && typeOf(id) === 'identifier' ? { call, variable: id } : { call };
}

function place(body: Node | null | undefined, variable: Node | undefined): WithItemOf {
  const out: WithItemOf = {};
  if (body) out.body = body;
  if (variable) out.variable = variable;
  return out;
}

function readWithItem(call: Node): WithItemOf | undefined {
  const parent = call.parent;
  const value = parent && typeOf(parent) === 'as_pattern' ? parent : call;
  const item = value.id === call.id ? parent : value.parent;
  if (!item || typeOf(item) !== 'with_item' || item.childForFieldName('value')?.id !== value.id) return undefined;
  const read = itemValue(value);
  if (!read || read.call.id !== call.id) return undefined;
  const clause = item.parent;
  const statement = clause && typeOf(clause) === 'with_clause' ? clause.parent : null;
  if (!statement || typeOf(statement) !== 'with_statement') return undefined;
  return place(statement.childForFieldName('body'), read.variable);
}
