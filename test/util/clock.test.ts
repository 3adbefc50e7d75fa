import { describe, expect, it } from "vitest";
import { FakeClock, SystemClock, systemClock } from "../../src/util/clock.js";

describe("FakeClock", () => {
  it("starts at 2026-01-01 by default, or at the given time", () => {
    expect(new FakeClock().now()).toBe(Date.UTC(2026, 0, 1));
    expect(new FakeClock(1234).now()).toBe(1234);
  });

  it("moves only when advanced or slept", () => {
    const clock = new FakeClock(0);
    expect(clock.now()).toBe(0);
    expect(clock.now()).toBe(0);
    clock.advance(1500);
    expect(clock.now()).toBe(1500);
  });

  it("sleep advances virtual time at once and records every sleep", async () => {
    const clock = new FakeClock(1000);
    const realStart = Date.now();
    await clock.sleep(60_000);
    await clock.sleep(3_600_000);
    await clock.sleep(0);
    expect(clock.now()).toBe(1000 + 60_000 + 3_600_000);
    expect(clock.sleeps).toEqual([60_000, 3_600_000, 0]);
    expect(Date.now() - realStart).toBeLessThan(1000);
  });

  it("records but does not advance for negative or aborted sleeps", async () => {
    const clock = new FakeClock(0);
    await clock.sleep(-5);
    const controller = new AbortController();
    controller.abort();
    await clock.sleep(10_000, controller.signal);
    expect(clock.now()).toBe(0);
    expect(clock.sleeps).toEqual([-5, 10_000]);
  });

  it("yields to the event loop while sleeping", async () => {
    const clock = new FakeClock(0);
    const order: string[] = [];
    // Without the yield, the sleep would resolve in a microtask, before this macrotask runs.
    setImmediate(() => order.push("other work"));
    const sleeper = clock.sleep(10).then(() => order.push("slept"));
    await sleeper;
    await new Promise<void>((r) => setImmediate(r));
    expect(order).toEqual(["other work", "slept"]);
  });
});

describe("SystemClock", () => {
  it("reads Date.now", () => {
    const before = Date.now();
    const t = new SystemClock().now();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
    expect(systemClock).toBeInstanceOf(SystemClock);
  });

  it("sleeps for about the requested time", async () => {
    const start = performance.now();
    await new SystemClock().sleep(30);
    expect(performance.now() - start).toBeGreaterThanOrEqual(25);
  });

  it("resolves early when the signal aborts", async () => {
    const controller = new AbortController();
    const start = performance.now();
    const sleeping = new SystemClock().sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await sleeping;
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it("resolves at once for an already aborted signal or a non-positive duration", async () => {
    const controller = new AbortController();
    controller.abort();
    const start = performance.now();
    await new SystemClock().sleep(60_000, controller.signal);
    await new SystemClock().sleep(0);
    await new SystemClock().sleep(-10);
    expect(performance.now() - start).toBeLessThan(1_000);
  });

  it("removes its abort listener when the timer fires", async () => {
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    }) as typeof signal.removeEventListener;
    await new SystemClock().sleep(5, signal);
    expect([added, removed]).toEqual([1, 1]);
  });
});
