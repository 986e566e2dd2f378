/**
 * tree-sitter-python's external scanner serialises its indent stack (2 bytes a level) into tree-sitter's
 * fixed 1,024-byte buffer without a bound check: past about 380–510 nested indentation levels it writes
 * past the buffer and corrupts the shared wasm memory, so later parses in the whole process return
 * garbage or trap. Text nested that deeply is refused before it reaches the parser.
 */

/** Well below the overflow even with 255 open string delimiters (2 + 255 + 2 × 300 < 1,024 bytes). */
export const MAX_INDENT_LEVELS = 300;

/**
 * Upper bound of the scanner's indent stack depth for `text`, stopping once it passes `limit`: every
 * non-blank, non-comment line's indentation (tab = 8 columns, as the scanner counts) is pushed when
 * deeper than the top and pops deeper levels when shallower. Lines inside brackets or strings are
 * counted too, which can only overestimate.
 */
export function indentDepth(text: string, limit = MAX_INDENT_LEVELS): number {
  const stack: number[] = [0];
  let max = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    let col = 0;
    let c = text.charCodeAt(i);
    while (c === 32 || c === 9 || c === 12) {
      col = c === 32 ? col + 1 : c === 9 ? col + 8 : 0;
      c = text.charCodeAt(++i);
    }
    const blank = i >= n || c === 10 || c === 13 || c === 35;
    if (!blank) {
      while (stack.length > 1 && stack[stack.length - 1]! > col) stack.pop();
      if (col > stack[stack.length - 1]!) stack.push(col);
      if (stack.length - 1 > max) {
        max = stack.length - 1;
        if (max > limit) return max;
      }
    }
    const nl = text.indexOf('\n', i);
    i = nl < 0 ? n : nl + 1;
  }
  return max;
}

/** Why `text` must not be parsed, or null. */
export function unparseableReason(text: string): string | null {
  const depth = indentDepth(text);
  return depth > MAX_INDENT_LEVELS ? `indentation nested more than ${MAX_INDENT_LEVELS} levels deep: not analysed (the Python parser cannot hold that many levels)` : null;
}
