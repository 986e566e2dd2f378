/**
 * Text edits that add a tag to a DAG's `tags=[...]`, add the `tags=` keyword to a DAG call, or remove a
 * tag, such that the result is still valid Python and keeps its layout: a keyword goes after the last
 * argument, one item per line stays one item per line, a trailing comma stays (or stays absent), a
 * tuple left with one element keeps its comma.
 *
 * The edits are made from the source text the facts were computed from (`sourceOf`, pySource.ts): the
 * argument list or collection is scanned for its elements, commas and comments.
 */
import type { DagFact, Position, Range, TagsFact } from '../model/facts';
import type { TextEditFact } from '../model/findings';
import { type Collection, collectionAt, collectionOf, scanCollection, Source } from './pySource';

// ---------------------------------------------------------------------------------------------------
// Edits.

function at(p: Position, newText: string, file: string): TextEditFact {
  return { file, range: { start: p, end: p }, newText };
}

class Edits {
  readonly out: TextEditFact[] = [];
  constructor(
    private readonly src: Source,
    private readonly file: string,
  ) {}
  replace(from: number, to: number, newText: string): this {
    this.out.push({ file: this.file, range: { start: this.src.position(from), end: this.src.position(to) }, newText });
    return this;
  }
  insert(o: number, newText: string): this {
    return this.replace(o, o, newText);
  }
  remove(from: number, to: number): this {
    return this.replace(from, to, '');
  }
}

/** Append `item` to a scanned collection or argument list, in its layout. */
function appendTo(src: Source, coll: Collection, item: string, e: Edits): TextEditFact[] {
  const last = coll.elements[coll.elements.length - 1];
  if (!last) return e.insert(coll.open + 1, item).out;
  if (!src.beginsLine(last.start)) return e.insert(last.end, `, ${item}`).out;
  // One element per line: the new one gets its own line, with the same indentation and comma style,
  // after any comment that ends the last element's line.
  const lead = src.eol(last.start) + src.indent(last.start);
  if (last.comma !== null) {
    const after = src.restBlank(last.comma + 1) ? src.lineEnd(last.comma) : last.comma + 1;
    return e.insert(after, `${lead}${item},`).out;
  }
  // A comment after the last element stays on its line: the comma goes before it, the new element after.
  const eol = src.lineEnd(last.end);
  if (eol > last.end && src.restBlank(last.end)) return e.insert(last.end, ',').insert(eol, `${lead}${item}`).out;
  return e.insert(last.end, `,${lead}${item}`).out;
}

/** Remove the element `k` of a scanned collection, keeping its layout and the tuple-ness of a tuple. */
function removeFrom(src: Source, coll: Collection, k: number, e: Edits): TextEditFact[] {
  const els = coll.elements;
  const el = els[k];
  const bracket = src.text[coll.open];
  if (els.length === 1) return bracket === '{' ? e.replace(coll.open, coll.close + 1, 'set()').out : e.remove(coll.open + 1, coll.close).out;
  const tuplePair = bracket === '(' && els.length === 2;
  const through = el.comma !== null ? el.comma + 1 : el.end;
  const prev = els[k - 1];
  const next = els[k + 1];
  if (src.beginsLine(el.start) && src.restBlank(through)) {
    // Alone on its line(s): drop the lines, with the comment that ends them.
    e.remove(src.lineStart(el.start), src.nextLineStart(through));
    if (!next && el.comma === null && !tuplePair) e.remove(prev.comma!, prev.comma! + 1);
  } else if (next) {
    e.remove(el.start, next.start);
  } else if (tuplePair) {
    e.remove(prev.comma! + 1, through);
  } else if (src.text.slice(prev.comma! + 1, el.start).includes('#')) {
    // Keep the comment that ends the previous element's line.
    e.remove(el.start, through);
    if (el.comma === null) e.remove(prev.comma!, prev.comma! + 1);
  } else {
    e.remove(prev.end, el.end);
  }
  if (tuplePair && k === 0 && next.comma === null) e.insert(next.end, ',');
  return e.out;
}

function same(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

// ---------------------------------------------------------------------------------------------------
// Entry points. Without the exact text the facts came from, or when the text does not scan as
// expected, there is no edit: no fix is better than one that breaks the file.

/** Edits adding the string `literal` (already quoted) to the DAG's tags, or `tags=[literal]` to its call. */
export function addTagEdits(dag: DagFact, literal: string, file: string, text: string): TextEditFact[] | null {
  const src = new Source(text);
  const tags = dag.tags;
  if (tags) {
    if (!tags.insertAt) return null;
    const from = src.offset(tags.range.start);
    const close = src.offset(tags.insertAt);
    const coll = from !== null && close !== null ? collectionAt(src.text, from, close) : null;
    return coll ? appendTo(src, coll, literal, new Edits(src, file)) : null;
  }
  const keyword = `tags=[${literal}]`;
  // `@dag` without parentheses: give it some.
  if (!dag.argsRange) return dag.style === 'decorator' ? [at(dag.nameRange.end, `(${keyword})`, file)] : null;
  const open = src.offset(dag.argsRange.start);
  const end = src.offset(dag.argsRange.end);
  const coll = open !== null && end !== null && src.text[open] === '(' ? scanCollection(src.text, open) : null;
  return coll && coll.close === end! - 1 ? appendTo(src, coll, keyword, new Edits(src, file)) : null;
}

/** Edits appending `entry` (`"key": value`) to the dict literal whose range is `dict`, in its layout. */
export function addDictEntryEdits(dict: Range, entry: string, file: string, text: string): TextEditFact[] | null {
  const src = new Source(text);
  const open = src.offset(dict.start);
  const end = src.offset(dict.end);
  const coll = open !== null && end !== null && src.text[open] === '{' ? scanCollection(src.text, open) : null;
  return coll && coll.close === end! - 1 ? appendTo(src, coll, entry, new Edits(src, file)) : null;
}

/** Edits removing the i-th tag (written in `file`) from its collection. */
export function removeTagEdits(tags: TagsFact, i: number, file: string, text: string): TextEditFact[] | null {
  const tag = tags.items[i];
  const src = new Source(text);
  const e = new Edits(src, file);
  const off = (r: Range | undefined) => (r ? ([src.offset(r.start), src.offset(r.end)] as const) : ([null, null] as const));
  // In the DAG's own literal collection: the string itself, or the constant's name listed there.
  if (tags.insertAt) {
    const [from] = off(tags.range);
    const close = src.offset(tags.insertAt);
    const coll = from !== null && close !== null ? collectionAt(text, from, close) : null;
    const [s, en] = off(tag.via ? tag.via.refRange : tag.range);
    const k = coll && s !== null ? coll.elements.findIndex((el) => el.start === s && el.end === en) : -1;
    const shared = tag.via && tags.items.some((t, j) => j !== i && t.via && t.via.refRange && tag.via!.refRange && same(t.via.refRange, tag.via!.refRange));
    if (coll && k >= 0 && !shared) return removeFrom(src, coll, k, e);
  }
  // Elsewhere (`[...] + [...]`, a constant defined in this file): the collection holding the literal.
  const [s, en] = off(tag.range);
  const from = tag.via ? (tag.via.file === file ? src.offset(tag.via.range.start) : null) : src.offset(tags.range.start);
  const found = s !== null && en !== null && from !== null ? collectionOf(text, from, s, en) : null;
  return found ? removeFrom(src, found.collection, found.index, e) : null;
}
