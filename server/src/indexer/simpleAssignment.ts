/**
 * Reads `name = value` statements from the source text, so that name binding does not ask the tree
 * about every task assignment of a DAG file (each node question is a round trip into wasm). Only the
 * plainest shape is accepted: an ASCII name, one `=` outside brackets and strings on the logical line,
 * no line continuation and no f-string with replacement fields (whose nesting rules changed in Python
 * 3.12). Anything else answers null and is read from the tree, as is every statement of a file with a
 * syntax error (where the text and the tree may disagree about where statements end).
 */

const NAME_EQUALS = /([A-Za-z_][A-Za-z0-9_]*)[ \t]*=(?!=)/y;
const PREFIX_CHARS = new Set(['r', 'R', 'b', 'B', 'u', 'U', 'f', 'F', 't', 'T']);

/** The bound name when the statement starting at `start` is `name = value` and binds nothing else. */
export function simpleAssignmentName(text: string, start: number): string | null {
  NAME_EQUALS.lastIndex = start;
  const m = NAME_EQUALS.exec(text);
  if (!m) return null;
  let depth = 0;
  let i = NAME_EQUALS.lastIndex;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = skipString(text, i);
      if (end < 0) return null;
      i = end;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth < 0) return null;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (depth === 0) return m[1]!;
      if (nl < 0) return null;
      i = nl;
      continue;
    } else if (c === '\\') {
      return null;
    } else if (depth === 0 && (c === '\n' || c === '\r' || c === ';')) {
      return m[1]!;
    } else if (c === '=' && depth === 0) {
      // `==` and the comparison operators are not bindings; a second plain `=` (chained targets, a
      // lambda default) is left to the tree.
      const prev = text[i - 1];
      if (text[i + 1] === '=') {
        i += 2;
        continue;
      }
      if (prev !== '<' && prev !== '>' && prev !== '!' && prev !== '=') return null;
    }
    i++;
  }
  return depth === 0 ? m[1]! : null;
}

/** Index after the string literal whose quote is at `q`, or -1 (unterminated, or an f-string with fields). */
function skipString(text: string, q: number): number {
  const quote = text[q]!;
  let p = q;
  let fString = false;
  while (p > 0 && PREFIX_CHARS.has(text[p - 1]!)) {
    p--;
    if (text[p] === 'f' || text[p] === 'F' || text[p] === 't' || text[p] === 'T') fString = true;
  }
  const triple = text.startsWith(quote.repeat(3), q);
  const close = triple ? quote.repeat(3) : quote;
  let i = q + close.length;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (fString && (c === '{' || c === '}')) return -1;
    if (!triple && (c === '\n' || c === '\r')) return -1;
    if (text.startsWith(close, i)) return i + close.length;
    i++;
  }
  return -1;
}
