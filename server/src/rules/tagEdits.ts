/**
 * Text edits that add a tag to a DAG's `tags=[...]`, add the `tags=` keyword to a DAG call, or remove a
 * tag, such that the result is still valid Python and keeps its layout: a keyword goes after the last
 * argument, one item per line stays one item per line, a trailing comma stays (or stays absent), a
 * tuple left with one element keeps its comma.
 *
 * The edits are made from the source text the facts were computed from (`sourceOf`): the argument
 * list or collection is scanned for its elements, commas and comments.
 */
import * as fs from 'fs';
import type { DagFact, FileFacts, Position, Range, TagsFact } from '../model/facts';
import type { TextEditFact } from '../model/findings';
import type { Project } from '../project/project';

/**
 * The text `facts` were computed from: the open editor document with the same version, or the file on
 * disk when its mtime is the facts' version; null when neither matches (then no tag edit is offered).
 */
export function sourceOf(project: Pick<Project, 'options'>, facts: FileFacts): string | null {
  const open = project.options.openDocuments?.().find((d) => d.file === facts.file);
  if (open && open.version === facts.version) return open.text;
  try {
    const before = fs.statSync(facts.file).mtimeMs;
    if (before !== facts.version) return null;
    const text = fs.readFileSync(facts.file, 'utf8');
    return fs.statSync(facts.file).mtimeMs === before ? text : null;
  } catch {
    return null;
  }
}

/** `sourceOf`, read at most once and only if a rule asks (most findings need no text). */
export function lazySource(project: Pick<Project, 'options'>, facts: FileFacts): () => string | null {
  let text: string | null | undefined;
  return () => (text === undefined ? (text = sourceOf(project, facts)) : text);
}

// ---------------------------------------------------------------------------------------------------
// Source text: positions (line, UTF-16 column) <-> offsets, and a scanner for bracketed collections.

class Source {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  offset(p: Position): number | null {
    const start = this.starts[p.line];
    if (start === undefined || p.character < 0) return null;
    const next = this.starts[p.line + 1];
    const o = start + p.character;
    return o <= (next === undefined ? this.text.length : next - 1) ? o : null;
  }

  position(o: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  lineStart(o: number): number {
    return this.text.lastIndexOf('\n', o - 1) + 1;
  }

  /** Offset of the line break ending o's line (before a `\r\n`), or the end of the text. */
  lineEnd(o: number): number {
    const nl = this.text.indexOf('\n', o);
    if (nl === -1) return this.text.length;
    return this.text[nl - 1] === '\r' && nl - 1 >= o ? nl - 1 : nl;
  }

  /** Start of the line after o's line. */
  nextLineStart(o: number): number {
    const nl = this.text.indexOf('\n', o);
    return nl === -1 ? this.text.length : nl + 1;
  }

  eol(o: number): string {
    const nl = this.text.indexOf('\n', o);
    return nl > 0 && this.text[nl - 1] === '\r' ? '\r\n' : '\n';
  }

  /** Only blanks before o on its line. */
  beginsLine(o: number): boolean {
    return /^[ \t\f]*$/.test(this.text.slice(this.lineStart(o), o));
  }

  /** Only blanks, or blanks and a comment, after o on its line. */
  restBlank(o: number): boolean {
    return /^[ \t\f\r]*(#|$)/.test(this.text.slice(o, this.lineEnd(o)));
  }

  indent(o: number): string {
    return /^[ \t\f]*/.exec(this.text.slice(this.lineStart(o), o))![0];
  }
}

/** A top-level element of a bracketed collection: [start, end) without blanks/comments, and its comma. */
interface Element {
  start: number;
  end: number;
  comma: number | null;
}

interface Collection {
  open: number;
  close: number;
  elements: Element[];
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Offset after the string literal whose quote is at i; -1 when unterminated. */
function skipString(text: string, i: number): number {
  const q = text[i];
  const triple = text.startsWith(q + q + q, i);
  for (let j = i + (triple ? 3 : 1); j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (triple ? text.startsWith(q + q + q, j) : c === q) return j + (triple ? 3 : 1);
    else if (!triple && c === '\n') return -1;
  }
  return -1;
}

/** Offset after blanks, comments and line continuations from i. */
function skipBlank(text: string, i: number): number {
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') i++;
    else if (c === '#') i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
    else if (c === '\\' && /^\\\r?\n/.test(text.slice(i, i + 3))) i += text[i + 1] === '\r' ? 3 : 2;
    else break;
  }
  return i;
}

/** The bracketed collection (or argument list) opening at `open`, split into its elements; null when malformed. */
function scanCollection(text: string, open: number): Collection | null {
  const first = CLOSER[text[open]];
  if (!first) return null;
  const stack = [first];
  const elements: Element[] = [];
  let start = -1;
  let end = -1;
  let i = open + 1;
  while (i < text.length) {
    const j = skipBlank(text, i);
    if (j !== i) {
      i = j;
      continue;
    }
    const c = text[i];
    if (c === ',' && stack.length === 1) {
      if (start < 0) return null;
      elements.push({ start, end, comma: i });
      start = end = -1;
      i++;
      continue;
    }
    if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return null;
      if (!stack.length) {
        if (start >= 0) elements.push({ start, end, comma: null });
        return { open, close: i, elements };
      }
      end = ++i;
      continue;
    }
    if (start < 0) start = i;
    if (c === '"' || c === "'") {
      const after = skipString(text, i);
      if (after < 0) return null;
      end = i = after;
      continue;
    }
    if (CLOSER[c]) stack.push(CLOSER[c]);
    end = ++i;
  }
  return null;
}

/** The collection whose closing bracket is at `close`, opening at `from` (possibly inside parentheses). */
function collectionAt(text: string, from: number, close: number): Collection | null {
  let o = from;
  for (let depth = 0; depth < 8 && o < close; depth++) {
    o = skipBlank(text, o);
    const c = scanCollection(text, o);
    if (c && c.close === close) return c;
    if (text[o] !== '(') return null;
    o++;
  }
  return null;
}

/** The innermost collection after `from` that has an element spanning exactly [start, end). */
function collectionOf(text: string, from: number, start: number, end: number): { collection: Collection; index: number } | null {
  let i = from;
  while (i < start) {
    const j = skipBlank(text, i);
    if (j !== i) {
      i = j;
      continue;
    }
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipString(text, i);
      if (i < 0) return null;
      continue;
    }
    if (CLOSER[c]) {
      const coll = scanCollection(text, i);
      if (!coll) return null;
      if (coll.close < end) {
        i = coll.close + 1;
        continue;
      }
      const index = coll.elements.findIndex((e) => e.start === start && e.end === end);
      if (index >= 0) return { collection: coll, index };
    }
    i++;
  }
  return null;
}

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
