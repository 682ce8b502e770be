/** The `count` candidates closest to `target` by edit distance (ties keep candidate order), for "did you mean" errors. */
export function closestNames(target: string, candidates: Iterable<string>, count = 3): string[] {
  const scored: { name: string; distance: number; index: number }[] = [];
  let index = 0;
  for (const name of candidates) scored.push({ name, distance: editDistance(target, name), index: index++ });
  scored.sort((a, b) => a.distance - b.distance || a.index - b.index);
  return scored.slice(0, count).map((entry) => entry.name);
}

/** Levenshtein distance (insertions, deletions and substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
