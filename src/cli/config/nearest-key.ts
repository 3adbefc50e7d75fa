import { editDistance } from "../edit-distance.js";

/**
 * The known key closest to `key`, when it is close enough to be a likely typo: snake_case written for
 * camelCase (`total_trials`), a changed case, or an edit distance of at most a third of the key's length
 * (at least 1, at most 3).
 * @returns the suggestion, or undefined when no known key is near.
 * @example nearestKey("totalTrial", ["totalTrials", "maxPendingTrials"]) // "totalTrials"
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const camel = key.replace(/[_-]([a-z])/g, (_m, c: string) => c.toUpperCase());
  const exact = known.find((k) => k.toLowerCase() === camel.toLowerCase());
  if (exact !== undefined) return exact;
  const limit = Math.min(3, Math.max(1, Math.floor(key.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const d = editDistance(camel.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
