import { describe, expect, it } from "vitest";
import { abortOnInterrupt } from "../../src/scheduler/interrupt-signal.js";

describe("abortOnInterrupt", () => {
  it("aborts its signal on the first SIGINT and reports it", () => {
    const seen: string[] = [];
    const before = process.listenerCount("SIGINT");
    const handle = abortOnInterrupt({ onInterrupt: (s) => seen.push(s) });
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    expect(handle.signal.aborted).toBe(false);
    process.emit("SIGINT", "SIGINT");
    expect(handle.signal.aborted).toBe(true);
    expect(seen).toEqual(["SIGINT"]);
    handle.dispose();
    expect(process.listenerCount("SIGINT")).toBe(before);
  });

  it("listens only to the signals it is given", () => {
    const handle = abortOnInterrupt({ signals: ["SIGUSR2"] });
    process.emit("SIGINT", "SIGINT");
    expect(handle.signal.aborted).toBe(false);
    process.emit("SIGUSR2", "SIGUSR2");
    expect(handle.signal.aborted).toBe(true);
    handle.dispose();
  });
});
