/**
 * Parse trees of documents open in the editor, kept for incremental re-parsing on each keystroke.
 * The edit between two versions is computed from their texts (common prefix and suffix), so callers
 * only pass full texts. Trees are wasm resources: replaced and evicted trees are deleted.
 */
import type { Edit, Point, Tree } from 'web-tree-sitter';

interface OpenTree {
  version: number;
  text: string;
  tree: Tree;
}

function pointAt(text: string, index: number): Point {
  let row = 0;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    last = i;
  }
  return { row, column: index - last - 1 };
}

/** The single edit turning `before` into `after` (indices in UTF-16 code units, as web-tree-sitter uses). */
export function diffEdit(before: string, after: string): Edit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  return {
    startIndex: start,
    oldEndIndex: endB,
    newEndIndex: endA,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, endB),
    newEndPosition: pointAt(after, endA),
  };
}

export class OpenTrees {
  private readonly trees = new Map<string, OpenTree>();

  constructor(private readonly capacity = 32) {}

  /** The previous tree edited to match `text`, ready to pass as the old tree; ownership stays here. */
  editedFor(file: string, text: string): Tree | null {
    const cur = this.trees.get(file);
    if (!cur) return null;
    if (cur.text !== text) {
      cur.tree.edit(diffEdit(cur.text, text));
      cur.text = text;
    }
    return cur.tree;
  }

  has(file: string): boolean {
    return this.trees.has(file);
  }

  set(file: string, version: number, text: string, tree: Tree): void {
    const old = this.trees.get(file);
    if (old && old.tree !== tree) old.tree.delete();
    this.trees.delete(file);
    this.trees.set(file, { version, text, tree });
    while (this.trees.size > this.capacity) {
      const [oldest, entry] = this.trees.entries().next().value as [string, OpenTree];
      entry.tree.delete();
      this.trees.delete(oldest);
    }
  }

  delete(file: string): void {
    this.trees.get(file)?.tree.delete();
    this.trees.delete(file);
  }

  clear(): void {
    for (const t of this.trees.values()) t.tree.delete();
    this.trees.clear();
  }
}
