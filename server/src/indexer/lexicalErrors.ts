/**
 * The first lexical error Python itself would report in a file: a string literal that is never
 * closed, or a bracket still open at the end of the file. Tree-sitter recovers from these by wrapping
 * much of the file in one ERROR node, whose range (often the whole file) says nothing about where to
 * look; Python names the quote or bracket. Only run on trees that already have errors, so a corner
 * of Python's lexer this scan does not follow can only add a second message, never invent one.
 */

export interface LexicalError {
  /** UTF-16 offset and length of the quote or bracket. */
  offset: number;
  length: number;
  message: string;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSE: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Letters that may prefix a string literal (r, b, u, f, and pairs like rb / fr). */
function prefixStart(text: string, quoteAt: number): number {
  let i = quoteAt;
  while (i > 0 && i > quoteAt - 2 && /[rRbBuUfF]/.test(text[i - 1]!)) i--;
  // A prefix is part of the literal only if it is not the tail of a longer name (`abcr"..."` is invalid anyway).
  return i > 0 && /[A-Za-z0-9_]/.test(text[i - 1]!) ? quoteAt : i;
}

/**
 * The offset after the string literal whose opening quote is at `i` (a backslash always escapes the
 * next character, raw strings included, as in Python's tokenizer); -1 when it is never closed (a
 * single-quoted one ends at its line).
 */
export function skipString(text: string, i: number): number {
  const q = text[i]!;
  const triple = text.startsWith(q + q + q, i);
  for (let j = i + (triple ? 3 : 1); j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (triple ? text.startsWith(q + q + q, j) : c === q) return j + (triple ? 3 : 1);
    else if (!triple && c === '\n') return -1;
  }
  return -1;
}

export function firstLexicalError(text: string): LexicalError | null {
  const open: { ch: string; at: number }[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === '"' || c === "'") {
      const j = skipString(text, i);
      if (j < 0) {
        const start = prefixStart(text, i);
        const triple = text.startsWith(c.repeat(3), i);
        return { offset: start, length: i + (triple ? 3 : 1) - start, message: triple ? 'Syntax error: unterminated triple-quoted string literal' : 'Syntax error: unterminated string literal' };
      }
      i = j;
      continue;
    }
    if (OPEN[c]) open.push({ ch: c, at: i });
    else if (CLOSE[c]) {
      const top = open.pop();
      if (!top) return { offset: i, length: 1, message: `Syntax error: unmatched '${c}'` };
      if (top.ch !== CLOSE[c]) return { offset: i, length: 1, message: `Syntax error: closing '${c}' does not match opening '${top.ch}'` };
    }
    i++;
  }
  const last = open.pop();
  return last ? { offset: last.at, length: 1, message: `Syntax error: '${last.ch}' was never closed` } : null;
}
