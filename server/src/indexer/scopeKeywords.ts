/**
 * Scopes (functions, classes, lambdas, comprehensions) found from their keywords in the source text:
 * `def`, `class`, `lambda`, and the `for` of a comprehension. See candidates.ts for why the tree is
 * asked only at such offsets.
 */
import type { Node } from 'web-tree-sitter';
import type { Budget } from './budget';
import { inSourceOrder, MAX_POINT_QUERIES } from './candidates';
import { endIndexOf, namedKids, typeOf } from './nodeMemo';

/** Node kinds that open a scope for name binding. */
export const SCOPE_TYPES = ['function_definition', 'class_definition', 'lambda', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'];

/** What each scope keyword's token belongs to; `for` also starts for-statements, which are not scopes. */
const SCOPE_OF_KEYWORD: Record<string, string[]> = {
  def: ['function_definition'],
  class: ['class_definition'],
  lambda: ['lambda'],
  for: ['for_in_clause'],
};
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** The keywords that start a scope: `def`, `class`, `lambda`, and the `for` of a comprehension. */
export const SCOPE_KEYWORD = /(?<![\p{ID_Continue}])(?:def|class|lambda|for)(?![\p{ID_Continue}])/gu;

/** The scope node whose keyword `word` is at `at` (null: a string, a comment, a for-statement...). */
export function scopeOfKeyword(root: Node, at: number, word: string, budget: Budget): Node | null {
  budget.tick();
  const token = root.descendantForIndex(at);
  if (!token || typeOf(token) !== word || token.startIndex !== at) return null;
  const owner = token.parent;
  if (!owner || !SCOPE_OF_KEYWORD[word]!.includes(typeOf(owner))) return null;
  if (word !== 'for') return owner;
  const comprehension = owner.parent;
  return comprehension && COMPREHENSIONS.has(typeOf(comprehension)) ? comprehension : null;
}

/**
 * Every function, class, lambda and comprehension node (the SCOPE_TYPES), found from their keywords; in
 * a file with many of them (deeply nested comprehensions), from one walk of the tree instead, because
 * each descent from the root costs as much as the nesting is deep.
 */
export function findScopes(root: Node, text: string, budget: Budget, maxPoint = MAX_POINT_QUERIES): Node[] {
  const re = new RegExp(SCOPE_KEYWORD.source, 'gu');
  const matches: { at: number; word: string }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (matches.length >= maxPoint) return root.descendantsOfType(SCOPE_TYPES).filter((n): n is Node => !!n && n.isNamed);
    matches.push({ at: m.index, word: m[0] });
  }
  const out: Node[] = [];
  for (const { at, word } of matches) {
    const s = scopeOfKeyword(root, at, word, budget);
    if (s) out.push(s);
  }
  return inSourceOrder(out);
}

/**
 * The scopes around a node, found from the text of the top-level statement holding it: a function,
 * class or lambda around it starts with its keyword before it; a comprehension's `for` may come after
 * it, anywhere in the statement. So a tag list in a `@dag(...)` decorator asks the tree about none of
 * the task functions below it. For a tree without syntax errors only.
 */
export class KeywordScopes {
  private tops?: Node[];
  /** Keyword offset → the scope node it starts (null: not a scope keyword in the tree). */
  private readonly scopes = new Map<number, Node | null>();
  private readonly keywords = new Map<number, { at: number; word: string }[] | null>();

  constructor(
    private readonly root: Node,
    private readonly text: string,
    private readonly budget: Budget,
  ) {}

  /** Enclosing scopes of `node`, innermost first; null when no top-level statement holds it or it holds too many scope keywords. */
  around(node: Node): Node[] | null {
    const top = this.topStatementAround(node);
    const keywords = top ? this.keywordsIn(top) : null;
    if (!keywords) return null;
    const out: Node[] = [];
    for (const { at, word } of keywords) {
      if (word !== 'for' && at > node.startIndex) continue;
      let s = this.scopes.get(at);
      if (s === undefined) this.scopes.set(at, (s = scopeOfKeyword(this.root, at, word, this.budget)));
      if (s && s.startIndex <= node.startIndex && node.endIndex <= endIndexOf(s)) out.push(s);
    }
    return out.sort((a, b) => b.startIndex - a.startIndex || endIndexOf(a) - endIndexOf(b));
  }

  /** Scope keywords in a top-level statement, once per statement; null past MAX_POINT_QUERIES (deeply nested comprehensions). */
  private keywordsIn(top: Node): { at: number; word: string }[] | null {
    const known = this.keywords.get(top.id);
    if (known !== undefined) return known;
    let list: { at: number; word: string }[] | null = [];
    const end = endIndexOf(top);
    SCOPE_KEYWORD.lastIndex = top.startIndex;
    for (let m = SCOPE_KEYWORD.exec(this.text); m && m.index < end; m = SCOPE_KEYWORD.exec(this.text)) {
      if (list.length >= MAX_POINT_QUERIES) {
        list = null;
        break;
      }
      list.push({ at: m.index, word: m[0] });
    }
    this.keywords.set(top.id, list);
    return list;
  }

  private topStatementAround(node: Node): Node | null {
    const tops = (this.tops ??= [...namedKids(this.root)]);
    let lo = 0;
    let hi = tops.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (tops[mid]!.startIndex <= node.startIndex) (best = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    const top = best >= 0 ? tops[best]! : null;
    return top && node.endIndex <= endIndexOf(top) ? top : null;
  }
}
