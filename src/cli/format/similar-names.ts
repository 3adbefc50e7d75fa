import { editDistance } from "../edit-distance.js";

/**
 * The names among `candidates` that look like `wanted` (a typo, a different case, a prefix), closest
 * first: those within an edit distance of a third of the longer name (at least 2), or that contain or
 * are contained in it, ignoring case. At most `limit` of them.
 * @example similarNames("cache_tunig", ["cache_tuning", "branin"]) // ["cache_tuning"]
 */
export function similarNames(wanted: string, candidates: readonly string[], limit = 5): string[] {
  const w = wanted.toLowerCase();
  const scored: { name: string; distance: number }[] = [];
  for (const name of candidates) {
    const n = name.toLowerCase();
    const distance = editDistance(w, n);
    const close = distance <= Math.max(2, Math.floor(Math.max(w.length, n.length) / 3));
    if (close || (w.length > 0 && (n.includes(w) || w.includes(n)))) scored.push({ name, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((s) => s.name);
}
