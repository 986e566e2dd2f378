/**
 * Answers about syntax nodes, remembered per node for the tree being extracted. Every web-tree-sitter
 * node property except the start is a round trip into wasm (copy the node into the transfer buffer, call,
 * read back), and extraction asks the same node the same question many times (`unparen` checks the type,
 * the caller switches on it, a helper tests it again): on a typical DAG file four type questions in five
 * were repeats. Node ids are unique within one tree, so answers are keyed by id for the current tree only.
 */
import type { Node, Tree } from 'web-tree-sitter';

interface Answers {
  type?: string;
  hasError?: boolean;
  endIndex?: number;
  endPosition?: { row: number; column: number };
  text?: string;
  named?: Node[];
  all?: Node[];
}

let tree: Tree | null = null;
let answers = new Map<number, Answers>();
/** The text the tree being extracted was parsed from, when the extractor registered it. */
let source: { tree: Tree; text: string; clean: boolean } | null = null;

/** Register the text `t` was parsed from, for readers that can answer from the text (until forgotten). */
export function rememberSource(t: Tree, text: string): void {
  source = { tree: t, text, clean: !t.rootNode.hasError };
}

/** The registered source of `n`'s tree when that tree has no syntax error at all, else null. */
export function cleanSourceOf(n: Node): string | null {
  return source && source.tree === n.tree && source.clean ? source.text : null;
}

/** Record a node's type found without asking wasm (from the text of a tree without errors). */
export function knowType(n: Node, type: string): void {
  of(n).type ??= type;
}

/** Whether `n` contains a syntax error; no question to wasm when its registered tree has none at all. */
export function hasErrorIn(n: Node): boolean {
  if (cleanSourceOf(n) !== null) return false;
  const a = of(n);
  return (a.hasError ??= n.hasError);
}

/** The registered source text of `n`'s tree, or null. */
export function sourceOf(n: Node): string | null {
  return source && source.tree === n.tree ? source.text : null;
}

function of(n: Node): Answers {
  if (n.tree !== tree) {
    tree = n.tree;
    answers = new Map();
  }
  let a = answers.get(n.id);
  if (!a) answers.set(n.id, (a = {}));
  return a;
}

/**
 * Drop every remembered answer. Called around each file's extraction, so an edited tree (whose node
 * positions shift in place) is never answered from before the edit, and no nodes outlive the extraction.
 */
export function forgetNodeAnswers(): void {
  tree = null;
  answers = new Map();
  source = null;
}

export function typeOf(n: Node): string;
export function typeOf(n: Node | null | undefined): string | undefined;
export function typeOf(n: Node | null | undefined): string | undefined {
  if (!n) return undefined;
  const a = of(n);
  return (a.type ??= n.type);
}

export function endIndexOf(n: Node): number {
  const a = of(n);
  return (a.endIndex ??= n.endIndex);
}

export function endPositionOf(n: Node): { row: number; column: number } {
  const a = of(n);
  return (a.endPosition ??= n.endPosition);
}

export function textOf(n: Node): string {
  const a = of(n);
  return (a.text ??= n.text);
}

/** Named children other than comments (shared array: callers must not modify it). */
export function namedKids(n: Node): readonly Node[] {
  const a = of(n);
  if (a.named) return a.named;
  // In a registered tree without errors, a comment is the one named node that starts with `#` (an
  // ERROR node may start with one): no type question.
  const text = cleanSourceOf(n);
  return (a.named = n.namedChildren.filter((c): c is Node => c !== null && (text !== null ? text.charCodeAt(c.startIndex) !== 35 : typeOf(c) !== 'comment')));
}

/** All children, anonymous tokens included (shared array: callers must not modify it). */
export function kids(n: Node): readonly Node[] {
  const a = of(n);
  return (a.all ??= n.children.filter((c): c is Node => c !== null));
}
