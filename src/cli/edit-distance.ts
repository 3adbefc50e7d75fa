/**
 * Levenshtein distance (insertions, deletions and substitutions each cost 1), in O(|a|·|b|) time and
 * O(|b|) memory: how near a mistyped key or experiment name is to a known one. Case counts; callers that
 * ignore case lower-case both strings first.
 * @example editDistance("totalTrial", "totalTrials") // 1
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
