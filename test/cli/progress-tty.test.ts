import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../support/temp-dir.js";
import { until } from "./run-fixture.js";

// A real pseudo-terminal: ascent runs in a tmux pane, whose screen is read with capture-pane.
const session = `ascent-tty-${process.pid}`;
const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });
const screen = () => tmux("capture-pane", "-p", "-t", session);

afterEach(() => {
  try {
    tmux("kill-session", "-t", session);
  } catch {
    // already gone
  }
});

describe("the live progress display in a terminal", () => {
  it("redraws done/total with a bar, running and failed, elapsed and remaining, the best point; erased at the end", async () => {
    const url = `sqlite:${join(tempDir(), "ascent.db")}`;
    const command = [
      `cd ${resolve(".")}`,
      `${process.execPath} --import tsx src/cli/bin.ts demo --storage ${url} --trials 6 --job-ms 400,800`,
      "echo EXIT=$?",
      "sleep 60",
    ].join(" && ");
    tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "40", command);
    let during = "";
    await until(() => {
      during = screen();
      return /best so far: branin = /.test(during) && /\d, about \d+:\d\d left/.test(during);
    }, "the live display with a best point and an estimate");
    expect(during).toMatch(/^branin_demo \[[#-]{24}\] \d\/6 done, \d running, 0 failed$/m);
    expect(during).toMatch(/^elapsed \d:\d\d, about \d+:\d\d left$/m);
    expect(during).toMatch(/^best so far: branin = [\d.]+ \(trial \d: x1=-?[\d.]+, x2=[\d.]+\)$/m);
    let after = "";
    await until(() => {
      after = screen();
      return after.includes("EXIT=");
    }, "the demo to end");
    expect(after).toContain("EXIT=0");
    expect(after).toMatch(/Best point: trial \d, branin = [\d.]+/);
    // Only one block was ever on screen, and the last one was erased: no bar or clock lines remain.
    expect(after).not.toMatch(/^branin_demo \[/m);
    expect(after).not.toMatch(/^elapsed /m);
    // Progress events that stay: the better best points, printed above the block.
    expect(after).toMatch(/^best so far: branin = /m);
  });
});
