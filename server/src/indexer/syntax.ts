/**
 * Small helpers over web-tree-sitter nodes for the Python grammar: ranges, children, call arguments.
 * Nodes are plain wrappers (nothing to delete); only trees, cursors and queries own wasm memory.
 */
import type { Node } from 'web-tree-sitter';
import type { Position, Range } from '../model/facts';
import { MAX_NESTING } from './budget';
import { endPositionOf, hasErrorIn, namedKids, sourceOf, typeOf } from './nodeMemo';
import { statementType } from './statementKind';

export { kids, namedKids, textOf, typeOf } from './nodeMemo';

export function pos(p: { row: number; column: number }): Position {
  return { line: p.row, character: p.column };
}

export function nodeRange(n: Node): Range {
  return { start: pos(n.startPosition), end: pos(endPositionOf(n)) };
}

/** Strip `( ... )` around an expression (at most MAX_NESTING levels: deeper stays a parenthesized expression, read as dynamic). */
export function unparen(n: Node): Node {
  let cur = n;
  for (let i = 0; i < MAX_NESTING && typeOf(cur) === 'parenthesized_expression'; i++) {
    const inner = namedKids(cur)[0];
    if (!inner) break;
    cur = inner;
  }
  return cur;
}

/** A call expression with its callee and the Airflow name the callee stands for (null: not Airflow's). */
export interface CallSite {
  call: Node;
  fn: Node | null;
  name: string | null;
}

export interface CallArgs {
  positional: Node[];
  keywords: Map<string, { name: Node; value: Node }>;
  /** `*args` / `**kwargs` passed to the call. */
  splats: Node[];
  list: Node | null;
}

export function callArgs(call: Node): CallArgs {
  const out: CallArgs = { positional: [], keywords: new Map(), splats: [], list: call.childForFieldName('arguments') };
  if (!out.list || typeOf(out.list) !== 'argument_list') return out;
  // In an argument list without errors, `name=` starts a keyword argument and `*` / `**` a splat (the
  // tree answers the rest); a keyword's nodes are looked up only if a reader asks for that keyword
  // (most of a DAG(...) call's keywords are not read).
  const source = hasErrorIn(out.list) ? null : sourceOf(out.list);
  for (const a of namedKids(out.list)) {
    if (source !== null) {
      const named = keywordName(source, a.startIndex);
      if (named !== null) {
        if (!out.keywords.has(named)) out.keywords.set(named, new KeywordArgument(a));
        continue;
      }
      if (source.charCodeAt(a.startIndex) === 42) {
        out.splats.push(a);
        continue;
      }
    }
    if (typeOf(a) === 'keyword_argument') {
      const name = a.childForFieldName('name');
      const value = a.childForFieldName('value');
      if (name && value && !out.keywords.has(name.text)) out.keywords.set(name.text, { name, value });
    } else if (typeOf(a) === 'list_splat' || typeOf(a) === 'dictionary_splat') {
      out.splats.push(a);
    } else {
      out.positional.push(a);
    }
  }
  return out;
}

const KEYWORD_NAME = /([A-Za-z_][A-Za-z0-9_]*)[ \t\r\n]*=(?!=)/y;

/** `name=` at `at` (ASCII names only: the tree decides about any other). */
function keywordName(source: string, at: number): string | null {
  KEYWORD_NAME.lastIndex = at;
  return KEYWORD_NAME.exec(source)?.[1] ?? null;
}

/** A keyword argument of a call in a tree without errors, whose name and value always exist. */
class KeywordArgument {
  private nodes?: { name: Node; value: Node };

  constructor(private readonly node: Node) {}

  private read(): { name: Node; value: Node } {
    if (this.nodes) return this.nodes;
    const name = this.node.childForFieldName('name');
    const value = this.node.childForFieldName('value');
    if (!name || !value) throw new Error('keyword argument without a name or value in a tree without errors');
    return (this.nodes = { name, value });
  }

  get name(): Node {
    return this.read().name;
  }

  get value(): Node {
    return this.read().value;
  }
}

/** `a.b.c` → ['a', 'b', 'c']; null for anything that is not a plain dotted name (or longer than MAX_NESTING parts). */
export function dottedParts(n: Node): string[] | null {
  const rev: string[] = [];
  let cur: Node = n;
  while (typeOf(cur) === 'attribute') {
    const obj = cur.childForFieldName('object');
    const attr = cur.childForFieldName('attribute');
    if (!obj || !attr || rev.length >= MAX_NESTING) return null;
    rev.push(attr.text);
    cur = obj;
  }
  if (typeOf(cur) !== 'identifier') return null;
  rev.push(cur.text);
  return rev.reverse();
}

/**
 * The only node kinds with `block` or `else`/`except`/`finally` clause children (the grammar's node-types),
 * plus ERROR, which can hold anything: other statements are not looked into.
 */
const HOLDS_BLOCKS = new Set(['if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'match_statement', 'case_clause', 'elif_clause', 'else_clause', 'except_clause', 'finally_clause', 'except_group_clause', 'block', 'module', 'ERROR']);

/** Statements executed when the module is imported: top level plus if/for/while/try/with bodies, not defs. */
export function* moduleStatements(root: Node, skipMainGuard = true): Generator<Node> {
  const stack: Node[] = [...namedKids(root)].reverse();
  while (stack.length) {
    const st = stack.pop()!;
    const type = statementType(st);
    yield st;
    if (type === 'function_definition' || type === 'class_definition' || type === 'decorated_definition') continue;
    if (skipMainGuard && type === 'if_statement' && isMainGuard(st)) continue;
    if (!HOLDS_BLOCKS.has(type)) continue;
    const nested: Node[] = [];
    for (const c of namedKids(st)) {
      if (typeOf(c) === 'block') nested.push(...namedKids(c));
      else if (['else_clause', 'elif_clause', 'except_clause', 'finally_clause', 'except_group_clause'].includes(typeOf(c))) {
        for (const b of namedKids(c)) if (typeOf(b) === 'block') nested.push(...namedKids(b));
      }
    }
    stack.push(...nested.reverse());
  }
}

export function isMainGuard(ifStmt: Node): boolean {
  const cond = ifStmt.childForFieldName('condition');
  return !!cond && /^__name__\s*==\s*["']__main__["']$/.test(cond.text.trim());
}

/** Short, single-line excerpt of source for messages. */
export function excerpt(n: Node, max = 40): string {
  const t = n.text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
