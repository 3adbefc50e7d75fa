import { Rng } from "../../util/rng.js";

/** Observations drawn in one chart panel at most; more add ink and bytes, not information. */
export const MAX_DRAWN_OBSERVATIONS = 300;

/** The items themselves, or a seeded random `cap` of them in their original order. */
export function drawnSample<T>(items: readonly T[], cap = MAX_DRAWN_OBSERVATIONS): readonly T[] {
  if (items.length <= cap) return items;
  const rng = new Rng(1);
  const order = Array.from({ length: items.length }, (_, i) => i);
  for (let i = 0; i < cap; i++) {
    const j = i + rng.int(items.length - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order
    .slice(0, cap)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

/** " (a random 300 of the 1,000 observations are drawn)" when capped, else "". */
export function drawnNote(total: number, cap = MAX_DRAWN_OBSERVATIONS): string {
  return total > cap
    ? ` A random ${cap.toLocaleString("en-US")} of the ${total.toLocaleString("en-US")} observations are drawn.`
    : "";
}
