/**
 * Near misses of `permission_tag_pattern`: a tag that does not match the pattern but would after one
 * or two edits (`finance_edti`, `finance_raed`, `finance-edit` for `_(read|edit)$`) is most likely a
 * typo of an access tag, which grants nothing as written.
 *
 * The usual pattern is a separator and a few literal suffixes (`_(read|edit)$`) or prefixes
 * (`^(read|edit)_`). For those, the part after the last separator (before the first) is compared with
 * each literal by Damerau distance (a swap of two neighbours is one edit): at most 1 edit for
 * literals of up to 4 characters, 2 for longer ones. Requiring the separator keeps ordinary words
 * (`credit`, `audit`) from looking like `_edit`. Any other pattern gets the single edits of the tag
 * (swap, substitute, delete, insert) that make it match.
 */

/** Optimal string alignment distance (Levenshtein plus adjacent swaps). */
export function damerau(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const allowed = (literal: string) => (literal.length <= 4 ? 1 : 2);

interface Affix {
  where: 'suffix' | 'prefix';
  sep: string;
  literals: string[];
}

/** `_(read|edit)$`, `(?:_read|_edit)$`... as separator + literals; null for other shapes. */
function affixShape(source: string): Affix | null {
  const suffix = /^([A-Za-z0-9_.:-]*)\((?:\?:)?([A-Za-z0-9]+(?:\|[A-Za-z0-9]+)*)\)\$$/.exec(source);
  if (suffix?.[1]) return { where: 'suffix', sep: suffix[1], literals: suffix[2].split('|') };
  const prefix = /^\^\((?:\?:)?([A-Za-z0-9]+(?:\|[A-Za-z0-9]+)*)\)([A-Za-z0-9_.:-]+)$/.exec(source);
  if (prefix?.[2]) return { where: 'prefix', sep: prefix[2], literals: prefix[1].split('|') };
  return null;
}

function test(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  return re.test(s);
}

/**
 * The tag as it was most likely meant, matching `pattern`, when `tag` is one or two edits away from
 * matching it; null when it matches already or is not that close.
 */
export function nearPatternMatch(pattern: { source: string; regex: RegExp }, tag: string): string | null {
  if (!tag || test(pattern.regex, tag)) return null;
  const shape = affixShape(pattern.source);
  if (shape) return nearAffix(shape, pattern.regex, tag);
  return singleEdit(pattern, tag);
}

function nearAffix(shape: Affix, re: RegExp, tag: string): string | null {
  const { sep, literals } = shape;
  let best: { text: string; d: number } | null = null;
  const consider = (text: string, d: number) => {
    if (test(re, text) && (!best || d < best.d)) best = { text, d };
  };
  const at = shape.where === 'suffix' ? tag.lastIndexOf(sep) : tag.indexOf(sep);
  if (at > 0 && at + sep.length < tag.length) {
    const head = shape.where === 'suffix' ? tag.slice(0, at) : tag.slice(at + sep.length);
    const part = shape.where === 'suffix' ? tag.slice(at + sep.length) : tag.slice(0, at);
    for (const lit of literals) {
      const d = damerau(part, lit);
      if (d > 0 && d <= allowed(lit)) consider(shape.where === 'suffix' ? `${head}${sep}${lit}` : `${lit}${sep}${head}`, d);
    }
  }
  // The separator itself mistyped (`finance-edit`, `finance.read`): the literal is intact.
  for (const lit of literals) {
    const n = sep.length + lit.length;
    if (tag.length <= n) continue;
    if (shape.where === 'suffix' && tag.endsWith(lit)) {
      const s = tag.slice(tag.length - n, tag.length - lit.length);
      if (/^[^A-Za-z0-9]+$/.test(s) && s !== sep) consider(`${tag.slice(0, tag.length - n)}${sep}${lit}`, 1);
    } else if (shape.where === 'prefix' && tag.startsWith(lit)) {
      const s = tag.slice(lit.length, n);
      if (/^[^A-Za-z0-9]+$/.test(s) && s !== sep) consider(`${lit}${sep}${tag.slice(n)}`, 1);
    }
  }
  return (best as { text: string } | null)?.text ?? null;
}

/** The first single edit of `tag` that matches: swaps, then substitutions, deletions, insertions. */
function singleEdit(pattern: { source: string; regex: RegExp }, tag: string): string | null {
  if (tag.length > 100) return null;
  const alphabet = [...new Set((pattern.source.replace(/\\./g, '') + tag).replace(/[^A-Za-z0-9_-]/g, ''))];
  const tries: string[] = [];
  for (let i = 0; i + 1 < tag.length; i++) tries.push(tag.slice(0, i) + tag[i + 1] + tag[i] + tag.slice(i + 2));
  for (let i = 0; i < tag.length; i++) for (const c of alphabet) if (c !== tag[i]) tries.push(tag.slice(0, i) + c + tag.slice(i + 1));
  for (let i = 0; i < tag.length; i++) tries.push(tag.slice(0, i) + tag.slice(i + 1));
  for (let i = 0; i <= tag.length; i++) for (const c of alphabet) tries.push(tag.slice(0, i) + c + tag.slice(i));
  return tries.find((t) => t && test(pattern.regex, t)) ?? null;
}
