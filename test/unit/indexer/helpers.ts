/** Parse a Python snippet and extract its facts (tree deleted afterwards). */
import type { Parser, Tree } from 'web-tree-sitter';
import { forgetNodeAnswers } from '../../../server/src/indexer/nodeMemo';
import { extractFileFacts } from '../../../server/src/indexer/extractFileFacts';
import type { FileFacts, Range } from '../../../server/src/model/facts';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';

let parser: Promise<Parser> | undefined;

export async function factsOf(text: string, file = '/ws/dags/sample.py'): Promise<FileFacts> {
  parser ??= createPythonParser();
  const p = await parser;
  const tree = p.parse(text)!;
  try {
    return extractFileFacts(tree, text, file, 1);
  } finally {
    tree.delete();
  }
}

/** The source text covered by a range (single- or multi-line). */
export function slice(text: string, r: Range): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line]!.slice(r.start.character, r.end.character);
  return [lines[r.start.line]!.slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line]!.slice(0, r.end.character)].join('\n');
}

/** Parse `text`, run `fn` on its tree, then drop the tree and every remembered node answer. */
export function withTree<T>(parser: Parser, text: string, fn: (tree: Tree) => T): T {
  const tree = parser.parse(text)!;
  try {
    return fn(tree);
  } finally {
    forgetNodeAnswers();
    tree.delete();
  }
}

/** `fn` for each text whose tree has no syntax error (the text paths apply only there). */
export function eachCleanTree(parser: Parser, texts: string[], fn: (tree: Tree, text: string, label: string) => void): void {
  texts.forEach((text, i) => withTree(parser, text, (tree) => (tree.rootNode.hasError ? undefined : fn(tree, text, `text ${i}`))));
}
