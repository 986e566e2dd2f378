/**
 * Text-first lookup of the few nodes extraction needs. A DAG file is mostly task code that never
 * matters to access: walking every node of its tree (even inside wasm, with `descendantsOfType`) costs
 * a large share of the parse, and each node that crosses into JS costs more. Instead, the source text
 * is searched with JavaScript for the words that can start a relevant construct (`@`, a callee name,
 * `outlets`, `def`...), and the tree is asked only about those positions: `descendantForIndex`
 * descends from the root once, and a match inside a string or comment answers with a string or
 * comment node, which is dropped. Every finder returns nodes in source (pre-)order without duplicates.
 */
import type { Node } from 'web-tree-sitter';
import type { Budget } from './budget';
import { namedKids, textOf, typeOf } from './syntax';

/**
 * Past this many candidate offsets, one walk of the tree is cheaper: each `descendantForIndex` and
 * `parent` descends from the root, so thousands of them in deeply nested text cost quadratic time.
 */
export const MAX_POINT_QUERIES = 64;

/** ASCII letters, digits and `_`: an identifier never starts or ends next to one of these. */
function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Offsets where one of `words` may stand as a whole identifier. Only ASCII word characters next to a
 * match rule it out here (the lexer would make one longer token); anything else, `1DAG` or a non-ASCII
 * mark before `Asset`, is left for the tree to answer, which splits such text its own way.
 */
function wordOffsets(text: string, words: Iterable<string>): { at: number; length: number }[] {
  const re = wordsPattern(words);
  if (!re) return [];
  re.lastIndex = 0;
  const out: { at: number; length: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const end = m.index + m[0].length;
    if (m.index > 0 && isAsciiWordChar(text.charCodeAt(m.index - 1)) && !isDigit(text.charCodeAt(m.index - 1))) continue;
    if (end < text.length && isAsciiWordChar(text.charCodeAt(end))) continue;
    out.push({ at: m.index, length: m[0].length });
  }
  return out;
}

/** Most files ask for the same few words: their patterns are compiled once. */
const patterns = new Map<string, RegExp | null>();

function wordsPattern(words: Iterable<string>): RegExp | null {
  // Longest first: an alternation takes the first word that matches (`D` would hide `DAG`).
  const list = [...new Set(words)].filter((w) => w.length > 0).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const key = list.join('\n');
  let re = patterns.get(key);
  if (re === undefined) {
    if (patterns.size > 256) patterns.clear();
    re = list.length ? new RegExp(list.map(escape).join('|'), 'g') : null;
    patterns.set(key, re);
  }
  return re;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The identifier token that is exactly `text[offset, offset + length)` (null inside strings, comments or longer names). */
function identifierAt(root: Node, offset: number, length: number): Node | null {
  const n = root.descendantForIndex(offset);
  return n && typeOf(n) === 'identifier' && n.startIndex === offset && n.endIndex === offset + length ? n : null;
}

export function inSourceOrder(nodes: Iterable<Node>): Node[] {
  const byId = new Map<number, Node>();
  for (const n of nodes) byId.set(n.id, n);
  return [...byId.values()].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
}

/** A decorator's dotted callee as written after its `@` (`dag`, `airflow.decorators.dag`, `task.python`). */
const DECORATOR_NAME = /@[ \t\f]*([\p{ID_Start}_][\p{ID_Continue}]*(?:[ \t\f]*\.[ \t\f]*[\p{ID_Start}_][\p{ID_Continue}]*)*)/uy;

/**
 * The `decorated_definition`s with a decorator whose dotted name has a part in `names` (`@dag`,
 * `@d.dag(...)`, `@task.python(...)` for `task`, `@dd(...)` for an alias `dd`). Every `@` is asked
 * about, not only one that starts a line: broken text can still hold a decorator after other tokens.
 */
export function findDecorated(root: Node, text: string, names: ReadonlySet<string>, budget: Budget, maxPoint = MAX_POINT_QUERIES): Node[] {
  const out: Node[] = [];
  if (!names.size) return out;
  const wanted = (at: number): boolean => {
    DECORATOR_NAME.lastIndex = at;
    const m = DECORATOR_NAME.exec(text);
    // No name after `@` (`@(...)`, a line continuation): let the tree answer.
    return !m || m[1]!.split('.').some((part) => names.has(part.trim()));
  };
  const ats: number[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) if (wanted(at)) ats.push(at);
  if (ats.length > maxPoint) {
    for (const def of root.descendantsOfType('decorated_definition')) {
      budget.tick();
      if (def && namedKids(def).some((d) => typeOf(d) === 'decorator' && wanted(d.startIndex))) out.push(def);
    }
    return out;
  }
  for (const at of ats) {
    budget.tick();
    const token = root.descendantForIndex(at);
    if (!token || typeOf(token) !== '@' || token.startIndex !== at) continue;
    const decorator = token.parent;
    const def = decorator && typeOf(decorator) === 'decorator' ? decorator.parent : null;
    if (def && typeOf(def) === 'decorated_definition') out.push(def);
  }
  return inSourceOrder(out);
}

/**
 * Calls whose callee ends in one of `calleeNames` (`DAG(...)`, `airflow.DAG(...)`, `D(...)` for an
 * alias), plus calls that pass an `outlets=` keyword. A superset of the calls extraction reads: the
 * callee's binding is checked afterwards, against the imports.
 */
export function findCalls(root: Node, text: string, calleeNames: Iterable<string>, budget: Budget, maxPoint = MAX_POINT_QUERIES): Node[] {
  const names = new Set(calleeNames);
  const callees = wordOffsets(text, names);
  const outlets = wordOffsets(text, ['outlets']);
  if (callees.length + outlets.length > maxPoint) return walkCalls(root, names, budget);
  const out: Node[] = [];
  for (const { at, length } of callees) {
    budget.tick();
    const id = identifierAt(root, at, length);
    const call = id && callOfCallee(id);
    if (call) out.push(call);
  }
  for (const { at, length } of outlets) {
    budget.tick();
    const id = identifierAt(root, at, length);
    const kw = id?.parent;
    if (!kw || typeOf(kw) !== 'keyword_argument' || kw.startIndex !== at) continue;
    const list = kw.parent;
    const call = list && typeOf(list) === 'argument_list' ? list.parent : null;
    if (call && typeOf(call) === 'call') out.push(call);
  }
  return inSourceOrder(out);
}

/** The calls `findCalls` keeps, from one walk of the tree: for files with many candidates. */
function walkCalls(root: Node, names: ReadonlySet<string>, budget: Budget): Node[] {
  const out: Node[] = [];
  for (const call of root.descendantsOfType('call')) {
    if (!call) continue;
    budget.tick();
    const fn = call.childForFieldName('function');
    const last = !fn ? null : typeOf(fn) === 'identifier' ? fn : typeOf(fn) === 'attribute' ? fn.childForFieldName('attribute') : null;
    if (last && typeOf(last) === 'identifier' && names.has(textOf(last))) {
      out.push(call);
      continue;
    }
    const list = call.childForFieldName('arguments');
    if (list && typeOf(list) === 'argument_list' && namedKids(list).some((a) => typeOf(a) === 'keyword_argument' && a.childForFieldName('name')?.text === 'outlets')) out.push(call);
  }
  return out;
}

/** `name(...)` or `a.b.name(...)`, where `id` is `name`: that call. */
function callOfCallee(id: Node): Node | null {
  let callee = id;
  let parent = id.parent;
  if (parent && typeOf(parent) === 'attribute' && parent.startIndex !== id.startIndex) {
    callee = parent;
    parent = parent.parent;
  }
  if (!parent || typeOf(parent) !== 'call' || parent.startIndex !== callee.startIndex) return null;
  const fn = parent.childForFieldName('function');
  return fn && fn.id === callee.id ? parent : null;
}
