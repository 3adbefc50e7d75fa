/** Evaluate functions the queue benchmark's `ascent worker` processes run. */
import { setTimeout as sleep } from "node:timers/promises";

/** Instant: the squared distance of x1 to 0.3. */
export function instant(parameters: Record<string, unknown>): number {
  return (Number(parameters.x1) - 0.3) ** 2;
}

/** Sleeps 500 ms, then returns as {@link instant}. */
export async function sleepy(parameters: Record<string, unknown>): Promise<number> {
  await sleep(500);
  return instant(parameters);
}
