/**
 * Scopes (functions, classes, lambdas, comprehensions) found from their keywords in the source text:
 * `def`, `class`, `lambda`, and the `for` of a comprehension. See candidates.ts for why the tree is
 * asked only at such offsets.
 */
import type { Node } from 'web-tree-sitter';
import type { Budget } from './budget';
import { inSourceOrder, MAX_POINT_QUERIES } from './candidates';
import { typeOf } from './nodeMemo';

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
