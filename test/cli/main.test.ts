import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

async function capture(argv: string[]) {
  const lines: string[] = [];
  const code = await main(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return { code, output: lines.join("\n") };
}

describe("ascent command", () => {
  it("prints the package version", async () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(await capture(["version"])).toEqual({ code: 0, output: pkg.version });
    expect((await capture(["--version"])).output).toBe(pkg.version);
    expect((await capture(["-v"])).output).toBe(pkg.version);
  });

  it("shows help by default and on request, listing every command", async () => {
    for (const argv of [[], ["help"], ["--help"]]) {
      const r = await capture(argv);
      expect(r.code).toBe(0);
      expect(r.output).toContain("Usage: ascent");
      expect(r.output).toMatch(
        /worker \[options\] \[argv\.\.\.\]\s+evaluate the trials a QueueRunner queues/,
      );
      expect(r.output).toMatch(/version\s+print the installed version/);
    }
  });

  it("shows a command's help", async () => {
    const r = await capture(["help", "worker"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain("Usage: ascent worker");
    expect(r.output).toContain("--queue <name>");
    expect(r.output).toContain("ASCENT_REDIS_URL");
  });

  it("rejects an unknown command with exit code 2 and the help text", async () => {
    const r = await capture(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.output).toContain("unknown command 'frobnicate'");
    expect(r.output).toContain("Usage: ascent");
  });

  it("rejects stray arguments", async () => {
    const r = await capture(["version", "extra"]);
    expect(r.code).toBe(2);
    expect(r.output).toContain("too many arguments");
  });
});

describe("ascent worker: arguments", () => {
  it("needs a queue", async () => {
    const r = await capture(["worker", "--module", "x.js"]);
    expect(r.code).toBe(2);
    expect(r.output).toContain("required option '--queue <name>' not specified");
  });

  it.each([
    [["--queue", "q"], "give exactly one of --module <path> or --command"],
    [["--queue", "q", "--module", "m.js", "--command", "--", "echo"], "give exactly one of --module"],
    [["--queue", "q", "--command"], "--command needs the program after --"],
    [["--queue", "q", "--module", "m.js", "stray"], "unexpected arguments stray"],
    [["--queue", "q", "--module", "m.js", "--concurrency", "0"], "expected an integer ≥ 1"],
    [
      ["--queue", "a:b", "--module", "test/cli/fixtures/evaluate.ts"],
      'queue name must be a non-empty string without ":"',
    ],
    [
      ["--queue", "q", "--module", "test/cli/fixtures/evaluate.ts", "--export", "nope"],
      'has no exported function "nope"',
    ],
    [["--queue", "q", "--module", "test/cli/fixtures/missing.ts"], "could not import --module"],
    [
      ["--queue", "q", "--redis", "http://x", "--module", "test/cli/fixtures/evaluate.ts"],
      'has scheme "http:"',
    ],
  ])("refuses %j with exit code 2", async (args, message) => {
    const r = await capture(["worker", ...args]);
    expect(r.code).toBe(2);
    expect(r.output).toContain(message);
  });
});
