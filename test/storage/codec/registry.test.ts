import { afterEach, describe, expect, it } from "vitest";
import {
  type BaseTrial,
  Data,
  Experiment,
  Metric,
  type MetricOptions,
  Objective,
  OptimizationConfig,
  ReportedMetric,
  type RunMetadata,
  Runner,
} from "../../../src/core/index.js";
import { StorageError } from "../../../src/errors.js";
import {
  decodeExperiment,
  decodeMetric,
  encodeExperiment,
  encodeMetric,
  encodeRunner,
  getRegisteredMetric,
  isMetricRegistered,
  isRunnerRegistered,
  registerMetric,
  registerRunner,
  unregisterMetric,
  unregisterRunner,
} from "../../../src/storage/codec/index.js";
import { catchError } from "../../core/helpers.js";
import { JobRunner, LatencyMetric, MockJobRunner, richSearchSpace } from "./fixtures.js";

/** The tutorial's metric, not registered unless a test does. */
class BraninForMockJobMetric extends Metric {
  async fetchTrialData(_trial: BaseTrial): Promise<Data> {
    return Data.empty();
  }
}

interface HttpClient {
  get(url: string): Promise<number>;
}

/** A metric holding a client: not JSON, so it needs encode/decode. */
class ClientMetric extends Metric {
  readonly client: HttpClient;
  readonly url: string;
  constructor(options: MetricOptions & { client: HttpClient; url: string }) {
    super(options);
    this.client = options.client;
    this.url = options.url;
  }
  async fetchTrialData(_trial: BaseTrial): Promise<Data> {
    return Data.empty();
  }
}

class Pool {
  size = 2;
}

/** A runner holding a class instance and a callback. */
class PoolRunner extends Runner {
  readonly pool = new Pool();
  readonly onStart: (() => void) | undefined = undefined;
  async run(_trial: BaseTrial): Promise<RunMetadata> {
    return {};
  }
}

const client: HttpClient = { get: async () => 1 };

function experimentWith(metric: Metric, runner: Runner | null = null): Experiment {
  return new Experiment({
    name: "x",
    searchSpace: richSearchSpace(),
    optimizationConfig: new OptimizationConfig({ objective: new Objective({ metric, minimize: true }) }),
    runner,
  });
}

afterEach(() => {
  for (const c of [BraninForMockJobMetric, ClientMetric, LatencyMetric]) unregisterMetric(c);
  for (const c of [JobRunner, MockJobRunner, PoolRunner]) unregisterRunner(c);
});

describe("registry", () => {
  it("has ReportedMetric registered by default", () => {
    expect(isMetricRegistered("ReportedMetric")).toBe(true);
    expect(encodeMetric(new ReportedMetric({ name: "m" }))).toEqual({
      className: "ReportedMetric",
      fields: { name: "m", lowerIsBetter: null, properties: {} },
    });
  });

  it("stores a class by its name, or the name given, and forgets it when unregistered", () => {
    registerMetric(LatencyMetric);
    expect(getRegisteredMetric("LatencyMetric")?.cls).toBe(LatencyMetric);
    registerRunner(MockJobRunner, { name: "tutorial.MockJobRunner" });
    expect(encodeRunner(new MockJobRunner())).toEqual({ className: "tutorial.MockJobRunner", fields: {} });
    expect(unregisterRunner("tutorial.MockJobRunner")).toBe(true);
    expect(unregisterRunner("tutorial.MockJobRunner")).toBe(false);
    expect(isRunnerRegistered("tutorial.MockJobRunner")).toBe(false);
    expect(unregisterMetric(LatencyMetric)).toBe(true);
    expect(isMetricRegistered("LatencyMetric")).toBe(false);
  });

  it("accepts registering the same class twice, but refuses two classes under one name", () => {
    registerMetric(BraninForMockJobMetric);
    registerMetric(BraninForMockJobMetric);
    const Other = class BraninForMockJobMetric extends ReportedMetric {};
    const e = catchError(() => registerMetric(Other), StorageError);
    expect(e.message).toContain('another Metric class is already registered as "BraninForMockJobMetric"');
    expect(e.message).toContain("{ name:");
    registerMetric(Other, { name: "other.BraninForMockJobMetric" });
    expect(encodeMetric(new Other({ name: "b" })).className).toBe("other.BraninForMockJobMetric");
    expect(encodeMetric(new BraninForMockJobMetric({ name: "b" })).className).toBe("BraninForMockJobMetric");
    unregisterMetric(Other);
  });

  it("refuses a class that is not a Metric or Runner", () => {
    const notMetric = JobRunner as unknown as typeof LatencyMetric;
    expect(catchError(() => registerMetric(notMetric), StorageError).message).toContain(
      "registerMetric takes a class that extends Metric",
    );
  });

  it("refuses to save an unregistered class, naming it and the call that fixes it", () => {
    const e = catchError(
      () => encodeExperiment(experimentWith(new BraninForMockJobMetric({ name: "branin" }))),
      StorageError,
    );
    expect(e.message).toBe(
      'Metric class "BraninForMockJobMetric" of metric "branin" is not registered, so it cannot be stored. ' +
        "Call registerMetric(BraninForMockJobMetric) before saving.",
    );
    const r = catchError(
      () => encodeExperiment(experimentWith(new ReportedMetric({ name: "m" }), new JobRunner())),
      StorageError,
    );
    expect(r.message).toContain("Call registerRunner(JobRunner) before saving.");
  });

  it("refuses to load an unregistered class before constructing anything", () => {
    registerMetric(BraninForMockJobMetric);
    registerRunner(JobRunner);
    const encoded = encodeExperiment(
      experimentWith(new BraninForMockJobMetric({ name: "branin" }), new JobRunner()),
    );
    unregisterMetric(BraninForMockJobMetric);
    let constructed = 0;
    registerRunner(JobRunner, {
      decode: () => {
        constructed++;
        return new JobRunner();
      },
    });
    const e = catchError(() => decodeExperiment({ ...encoded, name: "x" }), StorageError);
    expect(e.message).toBe(
      'Metric class "BraninForMockJobMetric" of experiment "x" is not registered. Call registerMetric(BraninForMockJobMetric) before loading.',
    );
    expect(e.path).toBe("$.optimizationConfig.objectives[0].metric.className");
    expect(constructed).toBe(0);
    registerMetric(BraninForMockJobMetric);
    unregisterRunner(JobRunner);
    const r = catchError(() => decodeExperiment(encoded), StorageError);
    expect(r.message).toBe(
      'Runner class "JobRunner" of experiment "x" is not registered. Call registerRunner(JobRunner) before loading.',
    );
    expect(r.path).toBe("$.runner.className");
  });

  it("refuses a field that is not JSON-serializable, naming class and field and the fix", () => {
    registerMetric(ClientMetric);
    const e = catchError(() => encodeMetric(new ClientMetric({ name: "c", client, url: "u" })), StorageError);
    expect(e.message).toContain('Metric class "ClientMetric" has field "client.get" holding a function');
    expect(e.message).toContain("Pass encode/decode to the register call");
    expect(e.message).toContain("registerMetric(ClientMetric, { encode:");
    registerRunner(PoolRunner);
    const r = catchError(() => encodeRunner(new PoolRunner()), StorageError);
    expect(r.message).toContain('Runner class "PoolRunner" has field "pool" holding a Pool instance');
    expect(r.message).toContain("registerRunner(PoolRunner");
    const m = new LatencyMetric({ name: "l", endpoint: "e", tags: ["a"] });
    registerMetric(LatencyMetric);
    (m.tags as unknown[]).push(() => 1);
    expect(catchError(() => encodeMetric(m), StorageError).message).toContain(
      'field "tags[1]" holding a function',
    );
    (m as unknown as { percentile: number }).percentile = Number.NaN;
    m.tags.pop();
    expect(catchError(() => encodeMetric(m), StorageError).message).toContain(
      'field "percentile" holding the number NaN',
    );
  });

  it("uses a custom encode and decode", () => {
    registerMetric(ClientMetric, {
      encode: (m) => ({ name: m.name, url: m.url, lowerIsBetter: m.lowerIsBetter }),
      decode: (f) =>
        new ClientMetric({ name: String(f.name), url: String(f.url), client, lowerIsBetter: true }),
    });
    registerRunner(PoolRunner, { encode: (r) => ({ size: r.pool.size }), decode: () => new PoolRunner() });
    const original = experimentWith(
      new ClientMetric({ name: "c", client, url: "https://x" }),
      new PoolRunner(),
    );
    const encoded = encodeExperiment(original);
    expect(encoded.optimizationConfig?.objectives[0]?.metric).toEqual({
      className: "ClientMetric",
      fields: { name: "c", url: "https://x", lowerIsBetter: null },
    });
    expect(encoded.runner).toEqual({ className: "PoolRunner", fields: { size: 2 } });
    const decoded = decodeExperiment(JSON.parse(JSON.stringify(encoded)));
    const metric = decoded.requireOptimizationConfig().objectives[0]?.metric as ClientMetric;
    expect(metric).toBeInstanceOf(ClientMetric);
    expect(metric.client).toBe(client);
    expect(metric.url).toBe("https://x");
    expect(decoded.runner).toBeInstanceOf(PoolRunner);
  });

  it("checks what a custom encode returns and what a decode builds", () => {
    registerMetric(ClientMetric, { encode: (m) => ({ client: m.client as never }) });
    const e = catchError(() => encodeMetric(new ClientMetric({ name: "c", client, url: "u" })), StorageError);
    expect(e.message).toContain(
      'The encode function registered for Metric class "ClientMetric" returned field "client.get"',
    );
    registerMetric(ClientMetric, { decode: () => new JobRunner() as unknown as ClientMetric });
    const d = catchError(() => decodeMetric({ className: "ClientMetric", fields: {} }), StorageError);
    expect(d.message).toBe(
      'Decoding Metric class "ClientMetric" returned a JobRunner instance, not a Metric.',
    );
  });

  it("reports a constructor that cannot take the stored fields, with the fix", () => {
    registerMetric(ClientMetric);
    const e = catchError(
      () => decodeMetric({ className: "ClientMetric", fields: { url: "u" } }, { path: "$.m" }),
      StorageError,
    );
    expect(e.message).toContain('Could not rebuild Metric class "ClientMetric" from its stored fields');
    expect(e.message).toContain("pass decode to registerMetric(ClientMetric, { decode })");
    expect(e.path).toBe("$.m");
    expect(e.cause).toBeInstanceOf(Error);
  });
});
