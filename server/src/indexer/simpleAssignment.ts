/**
 * Reads what an expression statement binds from the source text, so that name binding does not ask the
 * tree about every task assignment and `a >> b` line of a DAG file (each node question is a round trip
 * into wasm). Only the plainest shapes are answered: `name = value` with an ASCII name and one `=`
 * outside brackets and strings on the logical line, or a line with no `=` or `:` outside them; no line
 * continuation and no f-string with replacement fields (whose nesting rules changed in Python 3.12).
 * Anything else answers null and is read from the tree, as is every statement of a file with a syntax
 * error (where the text and the tree may disagree about where statements end).
 */

const NAME_EQUALS = /([A-Za-z_][A-Za-z0-9_]*)[ \t]*=(?!=)/y;
const PREFIX_CHARS = new Set(['r', 'R', 'b', 'B', 'u', 'U', 'f', 'F', 't', 'T']);
const DQ = 34;
const SQ = 39;

/** The statement binds no name: no `=` or `:` outside brackets (a call, `a >> b`, a docstring). */
export const NO_BINDING = Symbol('no binding');

/**
 * What the expression statement starting at `start` binds, from its logical line: the name of a
 * `name = value` that binds nothing else, NO_BINDING, or null when the tree must tell.
 */
export function simpleAssignmentName(text: string, start: number): string | typeof NO_BINDING | null {
  NAME_EQUALS.lastIndex = start;
  const m = NAME_EQUALS.exec(text);
  let depth = 0;
  let equals = m ? 1 : 0;
  let colon = false;
  let i = m ? NAME_EQUALS.lastIndex : start;
  const n = text.length;
  const result = (): string | typeof NO_BINDING | null => {
    if (depth !== 0) return null;
    if (m && equals === 1) return m[1]!;
    return equals === 0 && !colon ? NO_BINDING : null;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === DQ || c === SQ) {
      const after = skipString(text, i);
      if (after < 0) return null;
      i = after;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++; // ( [ {
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth < 0) return null;
    } else if (c === 35) {
      // `#`: a comment runs to the end of the line.
      if (depth === 0) return result();
      const nl = text.indexOf('\n', i);
      if (nl < 0) return null;
      i = nl;
      continue;
    } else if (c === 92) {
      return null; // a backslash continues the line: left to the tree
    } else if (depth === 0 && (c === 10 || c === 13 || c === 59)) {
      return result();
    } else if (depth === 0 && c === 58) {
      colon = true;
    } else if (depth === 0 && c === 61) {
      // `==` and the comparison operators bind nothing; any other `=` (a second target, a lambda
      // default, `+=`) is counted, and more than the one of `name =` leaves the answer to the tree.
      if (text.charCodeAt(i + 1) === 61) {
        i += 2;
        continue;
      }
      const prev = text.charCodeAt(i - 1);
      if (prev !== 60 && prev !== 62 && prev !== 33 && prev !== 61) equals++;
    }
    i++;
  }
  return result();
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
  const triple = text.charCodeAt(q + 1) === text.charCodeAt(q) && text.charCodeAt(q + 2) === text.charCodeAt(q);
  const close = triple ? quote.repeat(3) : quote;
  const code = text.charCodeAt(q);
  let i = q + close.length;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
      continue;
    }
    if (fString && (c === 123 || c === 125)) return -1;
    if (!triple && (c === 10 || c === 13)) return -1;
    if (c === code && (!triple || (text.charCodeAt(i + 1) === code && text.charCodeAt(i + 2) === code))) return i + close.length;
    i++;
  }
  return -1;
}
