#!/usr/bin/env node
/**
 * One trial of examples/cli/experiment.yaml: compresses a generated corpus of service logs (JSON lines,
 * 1 MB, the same for every trial) with Node's zlib, gzip or Brotli at the given settings, and prints
 * what it measured as one JSON line, which `ascent run` reads as the trial's result:
 *
 *   {"sizeKb": 181.2, "compressMs": 35.1, "ratio": 11.3}
 *
 * Usage: node evaluate.mjs --codec gzip|brotli --level 1..9 --window-bits 10..15
 * The time is the median of 3 runs, so that one slow run (a busy machine) does not decide the trial.
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith("--") ? [[arg.slice(2), all[i + 1]]] : [])),
);
const codec = args.codec ?? "gzip";
const level = Number(args.level ?? 6);
const windowBits = Number(args["window-bits"] ?? 15);
if (
  !["gzip", "brotli"].includes(codec) ||
  !(level >= 1 && level <= 9) ||
  !(windowBits >= 10 && windowBits <= 15)
) {
  console.error(`bad arguments: ${process.argv.slice(2).join(" ")}`);
  process.exit(2);
}

/** A deterministic corpus: log lines of a made-up web service (seeded, so every trial compresses the same). */
function corpus(bytes) {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = (list) => list[Math.floor(random() * list.length)];
  const paths = ["/api/users", "/api/orders", "/api/cart", "/health", "/static/app.js", "/api/search"];
  const agents = ["curl/8.5", "Mozilla/5.0 (X11; Linux x86_64)", "okhttp/4.12", "python-requests/2.31"];
  const lines = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = JSON.stringify({
      ts: 1_700_000_000_000 + i * 37,
      level: random() < 0.95 ? "info" : "warn",
      method: random() < 0.8 ? "GET" : "POST",
      path: `${pick(paths)}/${Math.floor(random() * 5000)}`,
      status: random() < 0.97 ? 200 : pick([404, 500, 503]),
      ms: Math.round(random() * random() * 900),
      agent: pick(agents),
      requestId: Math.floor(random() * 2 ** 31).toString(16),
    });
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join("\n"));
}

const input = corpus(1024 * 1024);
const compress =
  codec === "gzip"
    ? () => gzipSync(input, { level, windowBits })
    : () =>
        brotliCompressSync(input, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: level,
            [constants.BROTLI_PARAM_LGWIN]: windowBits,
            [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
          },
        });

const times = [];
let output = compress();
for (let i = 0; i < 3; i++) {
  const start = process.hrtime.bigint();
  output = compress();
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
times.sort((a, b) => a - b);
const round = (x) => Math.round(x * 100) / 100;
console.log(
  JSON.stringify({
    sizeKb: round(output.length / 1024),
    compressMs: round(times[1]),
    ratio: round(input.length / output.length),
  }),
);
