/**
 * Serves learning curves of the benchmark problem to other languages (the Optuna comparison in
 * `scripts/early-stopping-optuna.py`), so they see exactly the curves Ascent sees.
 *
 * `node --import tsx bench/early-stopping/curve-server.ts` reads one JSON object per line on stdin,
 * `{"params": {"learningRate": 0.01, "l2": 1e-5, "hiddenUnits": 16, "momentum": 0.9}}`, and answers each with
 * one line, `{"curve": [v1, ..., v40]}` (validation loss after epochs 1..40), or `{"error": "..."}` for a
 * line it cannot serve. It exits when stdin closes.
 */
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { learningCurve, type TrainingParams } from "./learning-curve.js";

/** The answer line to one request line. */
export function answer(line: string): string {
  try {
    const request = JSON.parse(line) as { params?: unknown };
    if (typeof request.params !== "object" || request.params === null)
      throw new Error('expected {"params": {...}} with learningRate, l2, hiddenUnits and momentum');
    return JSON.stringify({ curve: learningCurve(request.params as TrainingParams) });
  } catch (error) {
    return JSON.stringify({ error: error instanceof Error ? error.message : String(error) });
  }
}

/** Answers stdin line by line until it closes. */
export async function serve(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    process.stdout.write(`${answer(line)}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await serve();
