/**
 * Where a call expression sits (`x = Call(...)`, `with Call(...) as x:`), read top-down from the
 * assignments and with-statements instead of through `call.parent`: in web-tree-sitter each `parent`
 * step searches down from the root, so asking it for thousands of deeply nested calls is quadratic.
 */
import type { Node } from 'web-tree-sitter';
import type { Budget } from './budget';
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
  private assigned?: Map<number, AssignedTo>;
  private withItems?: Map<number, WithItemOf>;

  /** `found`: the tree's assignment / with_statement nodes, when the caller already walked the tree for them. */
  constructor(
    private readonly root: Node,
    private readonly budget: Budget,
    private readonly found?: { assignments: Node[]; withs: Node[] },
  ) {}

  /** The assignment whose right-hand side is exactly `call`. */
  assignedTo(call: Node): AssignedTo | undefined {
    this.assigned ??= this.readAssignments();
    return this.assigned.get(call.id);
  }

  /** The with-item whose value is `call` (or `call as name`). */
  withItemOf(call: Node): WithItemOf | undefined {
    this.withItems ??= this.readWithItems();
    return this.withItems.get(call.id);
  }

  private readAssignments(): Map<number, AssignedTo> {
    const top = new Set<number>();
    for (const st of namedKids(this.root)) {
      if (typeOf(st) !== 'expression_statement') continue;
      for (const e of namedKids(st)) if (typeOf(e) === 'assignment') top.add(e.id);
    }
    const out = new Map<number, AssignedTo>();
    for (const a of this.found?.assignments ?? this.root.descendantsOfType('assignment')) {
      if (!a) continue;
      this.budget.tick();
      const right = a.childForFieldName('right');
      if (right && typeOf(right) === 'call') out.set(right.id, { assignment: a, left: a.childForFieldName('left'), topLevel: top.has(a.id) });
    }
    return out;
  }

  private readWithItems(): Map<number, WithItemOf> {
    const out = new Map<number, WithItemOf>();
    for (const w of this.found?.withs ?? this.root.descendantsOfType('with_statement')) {
      if (!w) continue;
      this.budget.tick();
      const body = w.childForFieldName('body') ?? undefined;
      const clause = namedKids(w).find((c) => typeOf(c) === 'with_clause');
      for (const item of clause ? namedKids(clause) : []) {
        if (typeOf(item) !== 'with_item') continue;
        let value = item.childForFieldName('value');
        let variable: Node | undefined;
        if (value && typeOf(value) === 'as_pattern') {
          const target = namedKids(value).find((c) => typeOf(c) === 'as_pattern_target');
          const id = target && namedKids(target)[0];
          if (id && typeOf(id) === 'identifier') variable = id;
          value = namedKids(value)[0] ?? null;
        }
        if (!value || typeOf(value) !== 'call') continue;
        const place: WithItemOf = {};
        if (body) place.body = body;
        if (variable) place.variable = variable;
        out.set(value.id, place);
      }
    }
    return out;
  }
}
