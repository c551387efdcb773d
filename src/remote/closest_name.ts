/**
 * "Did you mean …?" for names people type: the known name closest to a typo.
 *
 * @module
 */

/** Levenshtein distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * The known name a typed word most likely meant: one that starts with the
 * word or ends with `.word` (a method without its family), or else the
 * nearest by edit distance when it is within a third of the word's length
 * (at least 2 edits).
 *
 * @param word What was typed.
 * @param names The names that exist.
 * @returns The suggestion, or undefined when nothing is close.
 */
export function closestName(word: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = word.toLowerCase();
  for (const name of names) {
    const candidate = name.toLowerCase();
    const score = candidate.startsWith(lower) || candidate.endsWith(`.${lower}`)
      ? 0
      : editDistance(lower, candidate);
    if (score < bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, word.length / 3) ? best : undefined;
}
