/**
 * Errors CPython raises while reading a file's indentation and tokens that tree-sitter's grammar lets
 * through, so a file Python refuses to import would otherwise look fine (and its DAGs registered):
 * - `IndentationError: unexpected indent` / `expected an indented block after ...` (the parser's
 *   INDENT checks), `unindent does not match any outer indentation level` and
 *   `TabError: inconsistent use of tabs and spaces in indentation` (Parser/tokenizer.c, `tok_get`:
 *   a tab advances `col` to the next multiple of 8 and `altcol` by 1; both stacks must agree);
 * - a leading zero in a decimal integer (`007`), and a character outside strings and comments that
 *   cannot start or continue a name (`invalid character '€' (U+20AC)`, `invalid non-printable character U+00A0`).
 * The first such error, at Python 3.11's line and column (1-based `lineno` / `offset` of the
 * SyntaxError, given here 0-based) and with its wording. Nothing here runs Python.
 */

export interface PythonError {
  /** 0-based line and UTF-16 column. */
  line: number;
  character: number;
  /** `IndentationError: unexpected indent`, as Python prints it. */
  message: string;
}

const BLOCK_KEYWORDS: Record<string, string> = {
  if: "'if' statement", elif: "'elif' statement", else: "'else' statement", for: "'for' statement", while: "'while' statement",
  try: "'try' statement", except: "'except' statement", finally: "'finally' statement", with: "'with' statement",
  def: 'function definition', class: 'class definition', match: "'match' statement", case: "'case' statement",
};

const ID_CHAR = /[\p{ID_Start}\p{ID_Continue}\u00B7\u0387\u1369-\u1371\u19DA\u2118\u212E\u309B\u309C]/u;
const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

export function firstPythonError(text: string): PythonError | null {
  const indents = [0];
  const alts = [0];
  /** The block opener whose indented body must come next: its description, 1-based line, and 0-based line and length. */
  let expecting: { what: string; line: number; endLine: number; endCol: number } | null = null;
  const n = text.length;
  let i = 0;
  let line = 0;
  while (i < n) {
    // One logical line starts at `i` (column 0 of physical line `line`).
    let col = 0;
    let alt = 0;
    let j = i;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 32) (col++, alt++);
      else if (c === 9) ((col = (Math.floor(col / 8) + 1) * 8), alt++);
      else if (c === 12) col = alt = 0;
      else break;
    }
    const c = j < n ? text.charCodeAt(j) : 10;
    if (c === 10 || c === 13 || c === 35 || (c === 92 && isLineEnd(text, j + 1))) {
      // Blank or comment-only line (or a lone continuation): no indentation token.
      i = nextLine(text, j);
      line++;
      continue;
    }
    const indentChars = j - i;
    const top = indents[indents.length - 1]!;
    const lineText = (): string => text.slice(i, lineEnd(text, i));
    if (col === top) {
      if (alt !== alts[alts.length - 1]) return tabError(line);
      if (expecting) return expectedBlock(expecting, line, indentChars);
    } else if (col > top) {
      if (alt <= alts[alts.length - 1]!) return tabError(line);
      if (!expecting) return { line, character: Math.max(0, indentChars - 1), message: 'IndentationError: unexpected indent' };
      indents.push(col);
      alts.push(alt);
    } else {
      if (expecting) return expectedBlock(expecting, line, indentChars);
      while (indents.length > 1 && col < indents[indents.length - 1]!) (indents.pop(), alts.pop());
      if (col !== indents[indents.length - 1]) return { line, character: lineText().length, message: 'IndentationError: unindent does not match any outer indentation level' };
      if (alt !== alts[alts.length - 1]) return tabError(line);
    }
    expecting = null;
    const startLine = line;
    const first = /^(?:async[ \t]+)?([A-Za-z_]+)/.exec(text.slice(j, j + 16))?.[1] ?? '';
    const scanned = scanLogicalLine(text, j, line);
    if ('error' in scanned) return scanned.error;
    const what = BLOCK_KEYWORDS[first];
    if (scanned.endsWithColon && what) expecting = { what, line: startLine + 1, endLine: scanned.lastLine, endCol: scanned.lastCol };
    i = scanned.next;
    line = scanned.line;
  }
  if (expecting) return { line: expecting.endLine, character: expecting.endCol, message: `IndentationError: expected an indented block after ${expecting.what} on line ${expecting.line}` };
  return null;
}

function tabError(line: number): PythonError {
  return { line, character: 0, message: 'TabError: inconsistent use of tabs and spaces in indentation' };
}

function expectedBlock(e: { what: string; line: number }, line: number, indentChars: number): PythonError {
  return { line, character: indentChars, message: `IndentationError: expected an indented block after ${e.what} on line ${e.line}` };
}

function isLineEnd(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return at >= text.length || c === 10 || c === 13;
}

function lineEnd(text: string, from: number): number {
  let k = from;
  while (k < text.length && text.charCodeAt(k) !== 10 && text.charCodeAt(k) !== 13) k++;
  return k;
}

/** Offset after the line break that ends the physical line holding `from`. */
function nextLine(text: string, from: number): number {
  const k = lineEnd(text, from);
  if (k >= text.length) return text.length;
  return text.charCodeAt(k) === 13 && text.charCodeAt(k + 1) === 10 ? k + 2 : k + 1;
}

type Scan = { next: number; line: number; endsWithColon: boolean; lastLine: number; lastCol: number } | { error: PythonError };

/**
 * The tokens of one logical line from `at` (brackets, strings, comments and `\` continuations span
 * physical lines): where the next logical line starts, whether this one ends with a `:` outside
 * brackets, and the first token error in it.
 */
function scanLogicalLine(text: string, at: number, startLine: number): Scan {
  const n = text.length;
  let depth = 0;
  let line = startLine;
  let lineStart = text.lastIndexOf('\n', at - 1) + 1;
  let lastSignificant = -1;
  let sigLine = line;
  let sigLineStart = lineStart;
  const mark = (offset: number): void => {
    lastSignificant = offset;
    sigLine = line;
    sigLineStart = lineStart;
  };
  let k = at;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) {
      const after = c === 13 && text.charCodeAt(k + 1) === 10 ? k + 2 : k + 1;
      line++;
      lineStart = after;
      if (depth === 0) return done(after);
      k = after;
      continue;
    }
    if (c === 35) {
      k = lineEnd(text, k);
      continue;
    }
    if (c === 92 && isLineEnd(text, k + 1)) {
      k = nextLine(text, k + 1 < n ? k + 1 : k);
      line++;
      lineStart = k;
      continue;
    }
    if (c === 34 || c === 39) {
      const end = stringEnd(text, k);
      if (end < 0) return done(n); // unterminated: reported from the tree's errors
      for (let m = k; m < end; m++) if (text.charCodeAt(m) === 10) (line++, (lineStart = m + 1));
      mark(end - 1);
      k = end;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
    else if (c >= 48 && c <= 57 && !isNamePart(text, k - 1)) {
      const m = /^(?:0[xXoObB][\w]*|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?[jJ]?)/.exec(text.slice(k, k + 64))![0];
      if (/^0[0-9_]*[1-9][0-9_]*$/.test(m) && !/[.eEjJ]/.test(text.charAt(k + m.length))) {
        return { error: { line, character: k - lineStart, message: 'SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers' } };
      }
      mark(k + m.length - 1);
      k += m.length;
      continue;
    } else if (c > 127) {
      const cp = text.codePointAt(k)!;
      const ch = String.fromCodePoint(cp);
      if (!ID_CHAR.test(ch)) {
        const hex = cp.toString(16).toUpperCase().padStart(4, '0');
        const message = NON_PRINTABLE.test(ch) ? `SyntaxError: invalid non-printable character U+${hex}` : `SyntaxError: invalid character '${ch}' (U+${hex})`;
        return { error: { line, character: k - lineStart, message } };
      }
    }
    if (c !== 32 && c !== 9 && c !== 12) mark(k);
    k += c > 0xffff ? 2 : 1;
  }
  return done(n);

  function done(next: number): Scan {
    const endsWithColon = lastSignificant >= 0 && text.charCodeAt(lastSignificant) === 58 && depth === 0;
    return { next, line, endsWithColon, lastLine: sigLine, lastCol: lineEnd(text, sigLineStart) - sigLineStart };
  }
}

function isNamePart(text: string, at: number): boolean {
  if (at < 0) return false;
  const c = text.charCodeAt(at);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c > 127;
}

/** Offset after the string literal whose quote is at `k` (a backslash escapes the next character), or -1. */
function stringEnd(text: string, k: number): number {
  const q = text[k]!;
  const triple = text.startsWith(q + q + q, k);
  for (let j = k + (triple ? 3 : 1); j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (triple ? text.startsWith(q + q + q, j) : c === q) return j + (triple ? 3 : 1);
    else if (!triple && (c === '\n' || c === '\r')) return -1;
  }
  return -1;
}
