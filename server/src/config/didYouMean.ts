/** Edit distance and "did you mean" suggestions, shared by config validation and tag lookups. */

/** Levenshtein distance (insert / delete / substitute, each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Largest distance still worth suggesting for a word of this length. */
export function maxSuggestionDistance(word: string): number {
  return Math.max(1, Math.min(3, Math.floor(word.length / 3)));
}

/**
 * The closest candidate within a length-dependent threshold, or null. Case differences count as
 * half an edit so `Can_Read` still finds `can_read`. Ties go to the first candidate given.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const exact = editDistance(word, c);
    const folded = editDistance(word.toLowerCase(), c.toLowerCase());
    const score = Math.min(exact, folded + 0.5);
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best !== null && bestScore <= maxSuggestionDistance(word) ? best : null;
}

/** " Did you mean 'x'?" or "" — ready to append to a message. */
export function didYouMeanSuffix(word: string, candidates: Iterable<string>): string {
  const m = closestMatch(word, candidates);
  return m ? ` Did you mean '${m}'?` : '';
}
