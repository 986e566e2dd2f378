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

const FIRST_WORD = /(?:async[ \t]+)?([A-Za-z_]+)/y;
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
    FIRST_WORD.lastIndex = j;
    const first = FIRST_WORD.exec(text)?.[1] ?? '';
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

/** What an ASCII character means to the scan of a logical line. */
const PLAIN = 0;
const NAME = 1;
const DIGIT = 2;
const BREAK = 3;
const HASH = 4;
const BACKSLASH = 5;
const QUOTE = 6;
const OPEN = 7;
const CLOSE = 8;
const OTHER = 9;
const ASCII_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_KIND[c] = /[A-Za-z_]/.test(ch) ? NAME : /[0-9]/.test(ch) ? DIGIT : ch === '\n' || ch === '\r' ? BREAK : ch === '#' ? HASH : ch === '\\' ? BACKSLASH : ch === '"' || ch === "'" ? QUOTE : '([{'.includes(ch) ? OPEN : ')]}'.includes(ch) ? CLOSE : PLAIN;
}
const NUMBER = /0[xXoObB]\w*|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?[jJ]?/y;

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
  let commentAt = -1;
  let k = at;
  const done = (next: number, end: number): Scan => {
    let e = (commentAt >= lineStart && commentAt < end ? commentAt : end) - 1;
    while (e >= lineStart && (text.charCodeAt(e) === 32 || text.charCodeAt(e) === 9 || text.charCodeAt(e) === 12)) e--;
    const endsWithColon = depth === 0 && e >= lineStart && text.charCodeAt(e) === 58;
    return { next, line: next >= n && !isBreakBefore(text, n) ? line : line + 1, endsWithColon, lastLine: line, lastCol: lineEnd(text, lineStart) - lineStart };
  };
  let inName = false;
  while (k < n) {
    const c = text.charCodeAt(k);
    const kind = c < 128 ? ASCII_KIND[c]! : OTHER;
    if (kind === PLAIN || kind === NAME) {
      inName = kind === NAME;
      k++;
      continue;
    }
    if (kind === DIGIT) {
      if (inName || (k > 0 && text.charCodeAt(k - 1) === 46)) {
        k++;
        continue;
      }
      NUMBER.lastIndex = k;
      const num = NUMBER.exec(text)![0];
      if (num.length > 1 && num.charCodeAt(0) === 48 && /^0[0-9_]*[1-9][0-9_]*$/.test(num)) {
        return { error: { line, character: k - lineStart, message: 'SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers' } };
      }
      k += num.length;
      inName = true; // `1if` and the like: what follows a number is not a new number
      continue;
    }
    inName = false;
    if (kind === BREAK) {
      const after = c === 13 && text.charCodeAt(k + 1) === 10 ? k + 2 : k + 1;
      if (depth === 0) return done(after, k);
      line++;
      lineStart = after;
      k = after;
    } else if (kind === HASH) {
      commentAt = k;
      k = lineEnd(text, k);
    } else if (kind === BACKSLASH) {
      if (!isLineEnd(text, k + 1)) k += 2;
      else if (k + 1 >= n) return done(n, k);
      else {
        k = nextLine(text, k + 1);
        line++;
        lineStart = k;
      }
    } else if (kind === QUOTE) {
      const end = stringEnd(text, k);
      if (end < 0) return done(n, n); // unterminated: reported from the tree's errors
      for (let b = text.indexOf('\n', k); b >= 0 && b < end; b = text.indexOf('\n', b + 1)) (line++, (lineStart = b + 1));
      k = end;
    } else if (kind === OPEN) (depth++, k++);
    else if (kind === CLOSE) ((depth = Math.max(0, depth - 1)), k++);
    else {
      const cp = text.codePointAt(k)!;
      const ch = String.fromCodePoint(cp);
      if (!ID_CHAR.test(ch)) {
        const hex = cp.toString(16).toUpperCase().padStart(4, '0');
        const message = NON_PRINTABLE.test(ch) ? `SyntaxError: invalid non-printable character U+${hex}` : `SyntaxError: invalid character '${ch}' (U+${hex})`;
        return { error: { line, character: k - lineStart, message } };
      }
      inName = true;
      k += cp > 0xffff ? 2 : 1;
    }
  }
  return done(n, n);
}

function isBreakBefore(text: string, at: number): boolean {
  const c = text.charCodeAt(at - 1);
  return c === 10 || c === 13;
}

function isNamePart(text: string, at: number): boolean {
  if (at < 0) return false;
  const c = text.charCodeAt(at);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c > 127;
}

/** The rest of a string literal after its opening quote(s), by quote: a backslash escapes the next character. */
const STRING_REST: Record<string, RegExp> = {
  '"': /(?:[^"\\\n\r]|\\[\s\S])*"/y,
  "'": /(?:[^'\\\n\r]|\\[\s\S])*'/y,
  '"""': /(?:[^"\\]|\\[\s\S]|"(?!""))*"""/y,
  "'''": /(?:[^'\\]|\\[\s\S]|'(?!''))*'''/y,
};

/** Offset after the string literal whose quote is at `k`, or -1 when it is never closed. */
function stringEnd(text: string, k: number): number {
  const q = text[k]!;
  const triple = text.startsWith(q + q + q, k);
  const re = STRING_REST[triple ? q + q + q : q]!;
  re.lastIndex = k + (triple ? 3 : 1);
  return re.exec(text) ? re.lastIndex : -1;
}
