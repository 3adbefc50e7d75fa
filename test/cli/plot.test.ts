import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, runCli, storeExperiment, type TestStore } from "./read-commands-fixture.js";

const sqlite = BACKENDS.find((b) => b.name === "SQLite")!;

describe("ascent plot", () => {
  let store: TestStore;
  let out: string;
  beforeAll(async () => {
    store = await sqlite.create();
    out = mkdtempSync(join(tmpdir(), "ascent-plot-"));
    // 6 COMPLETED trials, then one FAILED and one RUNNING.
    await storeExperiment(store.url, "cache_tuning", { completed: 6 });
    await storeExperiment(store.url, "early", { completed: 0 });
  }, 60_000);
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await store.cleanup();
  });

  it("writes every chart that applies into a directory, numbered in reading order", async () => {
    const dir = join(out, "all");
    const r = await runCli(["plot", "cache_tuning", "--storage", store.url, "-o", `${dir}/`]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^Wrote 6 chart\(s\): /);
    // The charts of data, then the views of the model (one range parameter: no contour).
    expect(readdirSync(dir).sort()).toEqual([
      "01-optimization-trace.svg",
      "02-optimization-trace-by-time.svg",
      "03-parallel-coordinates.svg",
      "04-slices.svg",
      "05-parameter-importance.svg",
      "06-cross-validation.svg",
    ]);
    const trace = readFileSync(join(dir, "01-optimization-trace.svg"), "utf8");
    expect(trace.startsWith("<svg")).toBe(true);
    expect(trace.match(/aria-label="Trial \d arm \d_0: loss = /g)).toHaveLength(6);
    expect(trace).toContain('aria-label="Trial 6 FAILED: out of memory"');
  });

  it("writes one kind as a Vega-Lite file, or as a Vega spec to standard output", async () => {
    const file = join(out, "parallel.vl.json");
    const r = await runCli([
      "plot",
      "cache_tuning",
      "--storage",
      store.url,
      "--kind",
      "parallel-coordinates",
      "--format",
      "vega-lite",
      "-o",
      file,
    ]);
    expect(r.code).toBe(0);
    const spec = JSON.parse(readFileSync(file, "utf8"));
    expect(spec.$schema).toMatch(/vega-lite\/v6/);
    expect(spec.title).toBe("Parallel coordinates coloured by loss");
    const vega = await runCli([
      "plot",
      "cache_tuning",
      "--storage",
      store.url,
      "--kind",
      "optimization-trace",
      "--format",
      "vega",
    ]);
    expect(vega.code).toBe(0);
    expect(JSON.parse(vega.out).$schema).toMatch(/\/vega\/v6/);
  });

  it("draws a model view by its kind", async () => {
    const file = join(out, "cv.svg");
    const r = await runCli([
      "plot",
      "cache_tuning",
      "--storage",
      store.url,
      "--kind",
      "cross-validation",
      "-o",
      file,
    ]);
    expect(r.code).toBe(0);
    const svg = readFileSync(file, "utf8");
    // A point and an interval for each of the 6 observations.
    expect(svg.match(/aria-label="trial \d: observed /g)).toHaveLength(12);
    expect(svg).toContain('aria-label="y = x"');
  });

  it("an unknown kind: exit 2, the nearest kind and every kind", async () => {
    const r = await runCli(["plot", "cache_tuning", "--storage", store.url, "--kind", "optimisation-trace"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown chart kind "optimisation-trace". Did you mean "optimization-trace"');
    expect(r.err).toContain(
      "The kinds are: optimization-trace, optimization-trace-by-time, parallel-coordinates",
    );
  });

  it("an unknown experiment: exit 2 with a suggestion; an unreachable store: exit 3", async () => {
    const r = await runCli(["plot", "cache_tunin", "--storage", store.url, "-o", `${out}/`]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Did you mean "cache_tuning"?');
    const missing = await runCli(["plot", "cache_tuning", "--storage", `${store.url}.missing`]);
    expect(missing.code).toBe(3);
  });

  it("several charts and no directory: exit 2 and says how to choose", async () => {
    const r = await runCli(["plot", "cache_tuning", "--storage", store.url]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("6 charts apply");
    const file = join(out, "plain-file");
    writeFileSync(file, "keep");
    const toFile = await runCli(["plot", "cache_tuning", "--storage", store.url, "-o", file]);
    expect(toFile.code).toBe(2);
    expect(readFileSync(file, "utf8")).toBe("keep");
  });

  it("a kind that does not apply yet: exit 2 and why", async () => {
    const r = await runCli(["plot", "early", "--storage", store.url, "--kind", "parallel-coordinates"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('No parallel-coordinates chart applies to experiment "early" yet');
  });

  it("lists the kinds in its help", async () => {
    const r = await runCli(["plot", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/optimization-trace-by-time +the same by seconds/);
    expect(r.out).toContain("metric-trace");
  });

  it("the command line loads no charting library until a chart is drawn", async () => {
    // Bundled as the package is (scripts/bundle.mjs): what bin.js imports statically, through its
    // chunks, is what every command (ascent list included) pays for at start-up.
    const result = await build({
      entryPoints: ["src/cli/bin.ts"],
      outdir: join(out, "bundle"),
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      packages: "external",
      metafile: true,
      write: false,
      logLevel: "silent",
    });
    const outputs = result.metafile.outputs;
    const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint === "src/cli/bin.ts")!;
    const staticImports = new Set<string>();
    const pending = [entry];
    while (pending.length > 0) {
      for (const i of outputs[pending.pop()!]!.imports) {
        if (i.kind !== "import-statement" || staticImports.has(i.path)) continue;
        staticImports.add(i.path);
        if (outputs[i.path]) pending.push(i.path);
      }
    }
    expect([...staticImports].filter((path) => /^vega/.test(path))).toEqual([]);
    const dynamic = Object.values(outputs).flatMap((o) =>
      o.imports.filter((i) => i.kind === "dynamic-import"),
    );
    expect(dynamic.map((i) => i.path)).toEqual(expect.arrayContaining(["vega", "vega-lite"]));
  });
});
