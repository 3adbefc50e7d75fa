import { describe, expect, it } from "vitest";
import {
  createProgressReporter,
  formatDuration,
  formatNumber,
  LiveDisplay,
  PlainReporter,
  type ProgressEvent,
  type ProgressSnapshot,
  renderBlock,
  TrialWatcher,
} from "../../src/cli/progress/index.js";
import { makeDemoExperiment } from "../../src/cli/session/demo-experiment.js";
import { Arm } from "../../src/core/arm.js";
import { Data } from "../../src/core/data.js";
import { GeneratorRun } from "../../src/core/generator-run.js";
import { TrialStatus } from "../../src/core/trial-status.js";

const SNAPSHOT: ProgressSnapshot = {
  experimentName: "cache_tuning",
  done: 12,
  total: 30,
  running: 2,
  failed: 1,
  best: { trialIndex: 7, parameters: { threads: 8, policy: "lru" }, metric: "p99Ms", value: 12.3456789 },
  paretoSize: null,
  elapsedMs: 41_000,
  remainingMs: 62_000,
};

const EVENTS: ProgressEvent[] = [
  { kind: "started", trialIndex: 13, parameters: { threads: 4, policy: "arc" }, generator: "Sobol" },
  { kind: "completed", trialIndex: 12, parameters: { threads: 2 }, values: { p99Ms: 20.5 } },
  { kind: "failed", trialIndex: 11, status: "FAILED", reason: "exit code 1" },
  { kind: "best", best: SNAPSHOT.best! },
];

describe("progress formatting", () => {
  it("formats durations and numbers", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(62_000)).toBe("1:02");
    expect(formatDuration(3_723_000)).toBe("1:02:03");
    expect(formatNumber(0.39788735)).toBe("0.397887");
    expect(formatNumber(64)).toBe("64");
  });

  it("renders the live block: done/total with a bar, running, failed, times, best with parameters", () => {
    expect(renderBlock(SNAPSHOT)).toEqual([
      "cache_tuning [##########--------------] 12/30 done, 2 running, 1 failed",
      "elapsed 0:41, about 1:02 left",
      "best so far: p99Ms = 12.3457 (trial 7: threads=8, policy=lru)",
    ]);
    const start = renderBlock({ ...SNAPSHOT, done: 0, best: null, remainingMs: null, total: null });
    expect(start).toEqual([
      "cache_tuning 0 done, 2 running, 1 failed",
      "elapsed 0:41",
      "best so far: none yet",
    ]);
  });
});

describe("PlainReporter", () => {
  it("prints one line per event", () => {
    const lines: string[] = [];
    const reporter = new PlainReporter((l) => lines.push(l));
    reporter.report(EVENTS, SNAPSHOT);
    reporter.message("a notice");
    expect(lines).toEqual([
      "trial 13 started (Sobol): threads=4, policy=arc",
      "trial 12 completed: p99Ms = 20.5 (12/30 done, 2 running, 1 failed)",
      "trial 11 failed: exit code 1 (12/30 done, 2 running, 1 failed)",
      "best so far: p99Ms = 12.3457 (trial 7: threads=8, policy=lru)",
      "a notice",
    ]);
  });

  it("prints no events when quiet, but still messages", () => {
    const lines: string[] = [];
    const reporter = new PlainReporter((l) => lines.push(l), "quiet");
    reporter.report(EVENTS, SNAPSHOT);
    reporter.message("kept");
    expect(lines).toEqual(["kept"]);
  });
});

describe("LiveDisplay", () => {
  function terminal(columns = 100) {
    const writes: string[] = [];
    return { writes, columns, write: (t: string) => void writes.push(t) };
  }

  it("redraws its block in place and prints failures and a better best point above it", () => {
    const t = terminal();
    const display = new LiveDisplay(t);
    display.report([], SNAPSHOT);
    display.report(EVENTS, SNAPSHOT);
    display.close();
    expect(t.writes[0]).toBe(`\x1b[?25l\r${renderBlock(SNAPSHOT).join("\n")}`);
    // Back up two lines to the block's start, clear, print the kept lines, draw the block again.
    expect(t.writes[1]).toBe(
      "\r\x1b[2A\x1b[J" +
        "trial 11 failed: exit code 1 (12/30 done, 2 running, 1 failed)\n" +
        "best so far: p99Ms = 12.3457 (trial 7: threads=8, policy=lru)\n" +
        renderBlock(SNAPSHOT).join("\n"),
    );
    expect(t.writes[2]).toBe("\r\x1b[2A\x1b[J\x1b[?25h");
    display.message("after close");
    expect(t.writes[3]).toBe("after close\n");
  });

  it("cuts lines to the terminal's width so that redraws never wrap", () => {
    const t = terminal(20);
    new LiveDisplay(t).report([], SNAPSHOT);
    for (const line of t.writes[0]!.slice(7).split("\n")) expect(line.length).toBeLessThanOrEqual(19);
  });

  it("shows every event above the block when verbose", () => {
    const t = terminal();
    new LiveDisplay(t, "verbose").report(EVENTS, SNAPSHOT);
    expect(t.writes[0]).toContain("trial 13 started (Sobol): threads=4, policy=arc\n");
  });
});

describe("createProgressReporter", () => {
  const base = { writeLine: () => {}, verbosity: "normal" as const };
  it("is live on a terminal and plain elsewhere, as ASCENT_PROGRESS and TERM=dumb say", () => {
    const tty = { isTTY: true, write: () => {} };
    const pipe = { isTTY: false, write: () => {} };
    expect(createProgressReporter({ ...base, stream: tty, env: {} }).live).toBe(true);
    expect(createProgressReporter({ ...base, stream: pipe, env: {} }).live).toBe(false);
    expect(createProgressReporter({ ...base, stream: tty, env: { TERM: "dumb" } }).live).toBe(false);
    expect(createProgressReporter({ ...base, stream: tty, env: { ASCENT_PROGRESS: "plain" } }).live).toBe(
      false,
    );
    expect(createProgressReporter({ ...base, stream: pipe, env: { ASCENT_PROGRESS: "live" } }).live).toBe(
      true,
    );
    expect(createProgressReporter({ ...base, verbosity: "quiet", stream: tty, env: {} }).live).toBe(false);
  });
});

describe("TrialWatcher", () => {
  it("reports starts, completions, failures and a better best point once each", () => {
    const experiment = makeDemoExperiment();
    let now = 1_000;
    const watcher = new TrialWatcher(experiment, 4, () => now);
    const add = (x1: number) => {
      return experiment.newTrial({
        generatorRun: GeneratorRun.manual([new Arm({ parameters: { x1, x2: 1 } })]),
      });
    };
    const t0 = add(1);
    const t1 = add(2);
    expect(watcher.scan()).toEqual([]);
    t0.markRunning();
    t1.markRunning();
    expect(watcher.scan().map((e) => `${e.kind} ${"trialIndex" in e ? e.trialIndex : ""}`)).toEqual([
      "started 0",
      "started 1",
    ]);
    experiment.attachData(
      Data.fromRows([{ trialIndex: 0, armName: t0.arms[0]!.name, metricName: "branin", mean: 5, sem: 0 }]),
    );
    t0.markCompleted();
    t1.markFailed("boom");
    now = 3_000;
    const events = watcher.scan();
    expect(events.map((e) => e.kind)).toEqual(["completed", "failed", "best"]);
    expect(events[1]).toMatchObject({ status: TrialStatus.FAILED, reason: "boom" });
    expect(watcher.scan()).toEqual([]);
    expect(watcher.snapshot()).toMatchObject({
      done: 2,
      total: 4,
      running: 0,
      failed: 1,
      elapsedMs: 2_000,
      remainingMs: 2_000,
    });
    expect(watcher.best).toMatchObject({ trialIndex: 0, metric: "branin", value: 5 });
  });
});
