import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

function capture(argv: string[]) {
  const lines: string[] = [];
  const code = main(argv, (l) => lines.push(l));
  return { code, output: lines.join("\n") };
}

describe("ascent command", () => {
  it("prints the package version", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(capture(["version"])).toEqual({ code: 0, output: pkg.version });
    expect(capture(["--version"]).output).toBe(pkg.version);
  });

  it("shows help by default and on request", () => {
    expect(capture([]).output).toContain("Usage:");
    expect(capture(["help"]).code).toBe(0);
  });

  it("rejects an unknown command with exit code 2 and the help text", () => {
    const r = capture(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.output).toContain('unknown command "frobnicate"');
    expect(r.output).toContain("Usage:");
  });

  it("rejects stray arguments", () => {
    expect(capture(["version", "extra"]).code).toBe(2);
  });
});
