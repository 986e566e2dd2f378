/**
 * The Python source a file's facts were computed from, and a scanner for its bracketed collections and
 * argument lists (elements, commas, comments, strings), for edits that keep the code's layout.
 */
import * as fs from 'fs';
import type { FileFacts, Position } from '../model/facts';
import { TextPositions } from '../config/textPositions';
import { lineBreaksAsPython } from '../indexer/analyseFile';
import { skipString } from '../indexer/lexicalErrors';
import type { Project } from '../project/project';
import type { RuleContext } from './rule';

/**
 * The text `facts` were computed from: the open editor document with the same version, or the file on
 * disk when its mtime is the facts' version; null when neither matches (then no tag edit is offered).
 */
export function sourceOf(project: Pick<Project, 'options'>, facts: FileFacts): string | null {
  const open = project.options.openDocuments?.().find((d) => d.file === facts.file);
  // As the indexer read it (lone CRs as line breaks, analyseFile.ts), so the facts' ranges fit.
  if (open && open.version === facts.version) return lineBreaksAsPython(open.text);
  try {
    const before = fs.statSync(facts.file).mtimeMs;
    if (before !== facts.version) return null;
    const text = fs.readFileSync(facts.file, 'utf8');
    // Not UTF-8 (decoded from a declared encoding, or refused): the ranges may not fit this reading.
    if (text.includes('\uFFFD')) return null;
    return fs.statSync(facts.file).mtimeMs === before ? lineBreaksAsPython(text) : null;
  } catch {
    return null;
  }
}

/** `sourceOf`, read at most once and only if a rule asks (most findings need no text). */
export function lazySource(ctx: Pick<RuleContext, 'sourceOf'>, facts: FileFacts): () => string | null {
  let text: string | null | undefined;
  return () => (text === undefined ? (text = ctx.sourceOf(facts)) : text);
}


export class Source {
  private readonly positions: TextPositions;

  constructor(readonly text: string) {
    this.positions = new TextPositions(text);
  }

  offset(p: Position): number | null {
    return this.positions.offsetAt(p);
  }

  position(o: number): Position {
    return this.positions.positionAt(o);
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
export interface Element {
  start: number;
  end: number;
  comma: number | null;
}

export interface Collection {
  open: number;
  close: number;
  elements: Element[];
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

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
export function scanCollection(text: string, open: number): Collection | null {
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
export function collectionAt(text: string, from: number, close: number): Collection | null {
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
export function collectionOf(text: string, from: number, start: number, end: number): { collection: Collection; index: number } | null {
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
