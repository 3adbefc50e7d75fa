import type { Parameterization } from "../../core/parameter-type.js";
import type { BestSoFar } from "./progress-event.js";

/**
 * A duration as `m:ss`, or `h:mm:ss` from an hour on.
 * @example formatDuration(62_000) // "1:02"
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * A number short enough for one line: integers as they are, others with 6 significant digits.
 * @example formatNumber(0.39788735) // "0.397887"
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

/**
 * Parameters as `name=value, ...` in their order.
 * @example formatParameters({ threads: 8, policy: "lru" }) // "threads=8, policy=lru"
 */
export function formatParameters(parameters: Parameterization): string {
  return Object.entries(parameters)
    .map(([k, v]) => `${k}=${typeof v === "number" ? formatNumber(v) : String(v)}`)
    .join(", ");
}

/**
 * Metric values as `name = value, ...`.
 * @example formatValues({ p99Ms: 12.5 }) // "p99Ms = 12.5"
 */
export function formatValues(values: Readonly<Record<string, number>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} = ${formatNumber(v)}`)
    .join(", ");
}

/**
 * The best point as one phrase.
 * @example formatBest(best) // "p99Ms = 12.5 (trial 7: threads=8, policy=lru)"
 */
export function formatBest(best: BestSoFar): string {
  return `${best.metric} = ${formatNumber(best.value)} (trial ${best.trialIndex}: ${formatParameters(best.parameters)})`;
}
