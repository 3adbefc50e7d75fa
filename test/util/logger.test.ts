import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Logger, LogLevel } from "../../src/util/logger.js";
import { tempDir } from "../support/temp-dir.js";

// Local time, since the logger stamps lines in local time as Ax does.
const AT = new Date(2026, 5, 30, 21, 31, 6).getTime();

function capture(level?: LogLevel) {
  const lines: [string, LogLevel][] = [];
  const logger = new Logger({
    name: "MockJobQueueScheduler",
    ...(level === undefined ? {} : { level }),
    sink: (line, lvl) => lines.push([line, lvl]),
    now: () => AT,
  });
  return { logger, lines };
}

describe("Logger", () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("formats lines like Ax: [LEVEL mm-dd hh:mm:ss] name: message", () => {
    const { logger, lines } = capture(LogLevel.DEBUG);
    logger.info("Running trials [0]...");
    logger.debug("d");
    logger.warn("w");
    logger.error("e");
    expect(lines).toEqual([
      ["[INFO 06-30 21:31:06] MockJobQueueScheduler: Running trials [0]...", LogLevel.INFO],
      ["[DEBUG 06-30 21:31:06] MockJobQueueScheduler: d", LogLevel.DEBUG],
      ["[WARNING 06-30 21:31:06] MockJobQueueScheduler: w", LogLevel.WARNING],
      ["[ERROR 06-30 21:31:06] MockJobQueueScheduler: e", LogLevel.ERROR],
    ]);
  });

  it("pads single-digit fields with zeros", () => {
    const lines: string[] = [];
    const logger = new Logger({
      name: "n",
      sink: (l) => lines.push(l),
      now: () => new Date(2026, 0, 2, 3, 4, 5).getTime(),
    });
    logger.info("m");
    expect(lines).toEqual(["[INFO 01-02 03:04:05] n: m"]);
  });

  it("uses Python logging's numeric levels, INFO by default", () => {
    expect(LogLevel).toEqual({ DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, SILENT: 100 });
    const { logger, lines } = capture();
    expect(logger.level).toBe(LogLevel.INFO);
    logger.debug("hidden");
    logger.info("shown");
    expect(lines.map(([l]) => l.split(": ")[1])).toEqual(["shown"]);
  });

  it("drops lines below its level, and can change level", () => {
    const { logger, lines } = capture(LogLevel.WARNING);
    logger.debug("a");
    logger.info("b");
    logger.warn("c");
    logger.error("d");
    logger.level = LogLevel.SILENT;
    logger.error("e");
    logger.level = LogLevel.DEBUG;
    logger.debug("f");
    logger.log(LogLevel.INFO, "g");
    expect(lines.map(([l]) => l.slice(l.lastIndexOf(" ") + 1))).toEqual(["c", "d", "f", "g"]);
  });

  it("writes to stdout below WARNING and to stderr from WARNING up, without a sink", () => {
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const logger = new Logger({ name: "n", now: () => AT });
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(out.mock.calls).toEqual([["[INFO 06-30 21:31:06] n: i"]]);
    expect(err.mock.calls).toEqual([["[WARNING 06-30 21:31:06] n: w"], ["[ERROR 06-30 21:31:06] n: e"]]);
  });

  it("appends every written line to a file", () => {
    const dir = tempDir("ascent-logger-");
    dirs.push(dir);
    const filepath = join(dir, "run.log");
    const lines: string[] = [];
    const logger = new Logger({ name: "s", filepath, sink: (l) => lines.push(l), now: () => AT });
    logger.info("one");
    logger.debug("filtered");
    logger.error("two");
    expect(readFileSync(filepath, "utf8")).toBe(
      "[INFO 06-30 21:31:06] s: one\n[ERROR 06-30 21:31:06] s: two\n",
    );
    expect(lines).toHaveLength(2);
    new Logger({ name: "t", filepath, sink: () => {}, now: () => AT }).warn("three");
    expect(readFileSync(filepath, "utf8").split("\n")).toEqual([
      "[INFO 06-30 21:31:06] s: one",
      "[ERROR 06-30 21:31:06] s: two",
      "[WARNING 06-30 21:31:06] t: three",
      "",
    ]);
  });

  it("makes children with another name and the same outputs and level", () => {
    const dir = tempDir("ascent-logger-");
    dirs.push(dir);
    const filepath = join(dir, "child.log");
    const lines: string[] = [];
    const parent = new Logger({
      name: "parent",
      level: LogLevel.WARNING,
      filepath,
      sink: (l) => lines.push(l),
      now: () => AT,
    });
    const child = parent.child("child");
    expect(child.name).toBe("child");
    expect(child.level).toBe(LogLevel.WARNING);
    child.info("dropped");
    child.warn("kept");
    parent.error("p");
    expect(lines).toEqual(["[WARNING 06-30 21:31:06] child: kept", "[ERROR 06-30 21:31:06] parent: p"]);
    expect(readFileSync(filepath, "utf8")).toBe(`${lines.join("\n")}\n`);
    // The child's level is its own from then on.
    child.level = LogLevel.DEBUG;
    child.debug("dbg");
    parent.debug("no");
    expect(lines.at(-1)).toBe("[DEBUG 06-30 21:31:06] child: dbg");
  });

  it("makes children that write to the console when the parent does", () => {
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    new Logger({ name: "p", now: () => AT }).child("c").info("hi");
    expect(out.mock.calls).toEqual([["[INFO 06-30 21:31:06] c: hi"]]);
  });
});
