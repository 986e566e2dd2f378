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
      const start = prefixStart(text, i);
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      let closed = false;
      while (j < n) {
        const d = text[j]!;
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (!triple && d === '\n') break;
        if (text.startsWith(quote, j)) {
          closed = true;
          j += quote.length;
          break;
        }
        j++;
      }
      if (!closed) {
        return { offset: start, length: i + quote.length - start, message: triple ? 'Syntax error: unterminated triple-quoted string literal' : 'Syntax error: unterminated string literal' };
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
