import type { JsonObject } from "../../core/json.js";
import { describeKind as describe, isPlainObject, toJsonObject } from "../../core/json.js";
import { Metric, ReportedMetric } from "../../core/metric.js";
import { ResultMetric } from "../../core/result-metric.js";
import { Runner } from "../../core/runner.js";
import { StorageError, UnregisteredClassError } from "../../errors.js";

/** A stored Metric or Runner: the name its class was registered under and the fields it is rebuilt from. */
export type EncodedMetric = { className: string; fields: JsonObject };
/** A stored Runner; see {@link EncodedMetric}. */
export type EncodedRunner = { className: string; fields: JsonObject };

/** A concrete (constructible) Metric class, whatever its constructor takes. */
export type MetricClass<M extends Metric = Metric> = new (...args: never[]) => M;
/** A concrete (constructible) Runner class, whatever its constructor takes. */
export type RunnerClass<R extends Runner = Runner> = new (...args: never[]) => R;

/** Options of {@link registerMetric}. */
export interface RegisterMetricOptions<M extends Metric = Metric> {
  /** Name to store the class under; defaults to `cls.name`. Use it when two classes share a name. */
  name?: string;
  /**
   * Turns an instance into JSON fields. Default: the instance's own enumerable fields (which include
   * `name`, `lowerIsBetter` and `properties`), each of which must be JSON-serializable.
   */
  encode?: (metric: M) => JsonObject;
  /** Rebuilds an instance from its fields. Default: `new cls(fields)`. */
  decode?: (fields: JsonObject) => M;
}

/** Options of {@link registerRunner}. */
export interface RegisterRunnerOptions<R extends Runner = Runner> {
  /** Name to store the class under; defaults to `cls.name`. Use it when two classes share a name. */
  name?: string;
  /** Turns an instance into JSON fields. Default: its own enumerable, JSON-serializable fields. */
  encode?: (runner: R) => JsonObject;
  /** Rebuilds an instance from its fields. Default: `new cls(fields)`. */
  decode?: (fields: JsonObject) => R;
}

/** A registered Metric or Runner class with how it is encoded and decoded. */
export interface RegisteredClass<T> {
  /** The name the class is stored under. */
  readonly name: string;
  readonly cls: new (...args: never[]) => T;
  readonly encode: (instance: T) => JsonObject;
  readonly decode: (fields: JsonObject) => T;
  /** Whether `encode` was given by the user (its output is still checked to be JSON). */
  readonly customEncode: boolean;
}

type Kind = "Metric" | "Runner";

class ClassRegistry<T extends object> {
  private readonly byName = new Map<string, RegisteredClass<T>>();
  private readonly byClass = new Map<unknown, RegisteredClass<T>>();

  constructor(
    private readonly kind: Kind,
    private readonly base: abstract new (...args: never[]) => T,
  ) {}

  register(
    cls: new (...args: never[]) => T,
    options: {
      name?: string;
      encode?: (instance: T) => JsonObject;
      decode?: (fields: JsonObject) => T;
    },
  ): void {
    const fn = `register${this.kind}`;
    if (typeof cls !== "function" || !(cls.prototype instanceof this.base)) {
      throw new StorageError(`${fn} takes a class that extends ${this.kind}, got ${describe(cls)}.`);
    }
    const name = options.name ?? cls.name;
    if (typeof name !== "string" || name === "") {
      throw new StorageError(`${fn}: the class has no name; pass one: ${fn}(cls, { name: "MyClass" }).`);
    }
    const sameName = this.byName.get(name);
    if (sameName && sameName.cls !== cls) {
      throw new StorageError(
        `${fn}: another ${this.kind} class is already registered as "${name}". ` +
          `Pass a distinct name: ${fn}(${cls.name || "cls"}, { name: "${name}2" }).`,
      );
    }
    const sameClass = this.byClass.get(cls);
    if (sameClass && sameClass.name !== name) {
      throw new StorageError(
        `${fn}: class ${cls.name} is already registered as "${sameClass.name}"; ` +
          `call unregister${this.kind}("${sameClass.name}") first to store it under "${name}".`,
      );
    }
    const construct = cls as unknown as new (fields: JsonObject) => T;
    const entry: RegisteredClass<T> = {
      name,
      cls,
      encode: options.encode ?? ((instance) => ownJsonFields(instance, this.kind, name)),
      decode: options.decode ?? ((fields) => new construct(fields)),
      customEncode: options.encode !== undefined,
    };
    this.byName.set(name, entry);
    this.byClass.set(cls, entry);
  }

  unregister(nameOrClass: unknown): boolean {
    const entry =
      typeof nameOrClass === "string" ? this.byName.get(nameOrClass) : this.byClass.get(nameOrClass);
    if (!entry) return false;
    this.byName.delete(entry.name);
    this.byClass.delete(entry.cls);
    return true;
  }

  byStoredName(name: string): RegisteredClass<T> | undefined {
    return this.byName.get(name);
  }

  forInstance(instance: T): RegisteredClass<T> | undefined {
    return this.byClass.get(instance.constructor);
  }
}

const metrics = new ClassRegistry<Metric>("Metric", Metric);
const runners = new ClassRegistry<Runner>("Runner", Runner);

/**
 * Registers a Metric class so that experiments using it can be saved and loaded. It is stored by its
 * class name (`cls.name`, or `options.name`). By default an instance is stored as its own enumerable
 * fields (`name`, `lowerIsBetter`, `properties` and any field the subclass adds) and rebuilt with
 * `new cls({ name, lowerIsBetter, properties, ...otherFields })`; pass `encode`/`decode` for classes
 * that hold anything else (clients, functions). Registering the same class again replaces its options.
 * @throws StorageError when another class is registered under the same name, or `cls` is not a Metric.
 * @example
 * registerMetric(BraninForMockJobMetric);
 * registerMetric(LatencyMetric, {
 *   encode: (m) => ({ name: m.name, endpoint: m.endpoint }),
 *   decode: (f) => new LatencyMetric({ name: String(f.name), client: httpClient, endpoint: String(f.endpoint) }),
 * });
 */
export function registerMetric<M extends Metric>(
  cls: MetricClass<M>,
  options: RegisterMetricOptions<M> = {},
): void {
  metrics.register(cls, options as unknown as RegisterMetricOptions<Metric>);
}

/**
 * Registers a Runner class so that experiments using it can be saved and loaded. Stored by class name
 * (or `options.name`); by default as its own enumerable JSON fields, rebuilt with `new cls(fields)`
 * (a runner without fields gets `{}`). Pass `encode`/`decode` for runners holding clients or functions.
 * @throws StorageError when another class is registered under the same name, or `cls` is not a Runner.
 * @example registerRunner(MockJobRunner);
 */
export function registerRunner<R extends Runner>(
  cls: RunnerClass<R>,
  options: RegisterRunnerOptions<R> = {},
): void {
  runners.register(cls, options as unknown as RegisterRunnerOptions<Runner>);
}

/** Removes a registered Metric class (by stored name or class); returns whether one was registered. */
export function unregisterMetric(nameOrClass: string | MetricClass): boolean {
  return metrics.unregister(nameOrClass);
}

/** Removes a registered Runner class (by stored name or class); returns whether one was registered. */
export function unregisterRunner(nameOrClass: string | RunnerClass): boolean {
  return runners.unregister(nameOrClass);
}

/** The Metric class registered under `className`, or undefined. */
export function getRegisteredMetric(className: string): RegisteredClass<Metric> | undefined {
  return metrics.byStoredName(className);
}

/** The Runner class registered under `className`, or undefined. */
export function getRegisteredRunner(className: string): RegisteredClass<Runner> | undefined {
  return runners.byStoredName(className);
}

/** Whether a Metric class is registered under `className`. */
export function isMetricRegistered(className: string): boolean {
  return metrics.byStoredName(className) !== undefined;
}

/** Whether a Runner class is registered under `className`. */
export function isRunnerRegistered(className: string): boolean {
  return runners.byStoredName(className) !== undefined;
}

/**
 * Encodes a metric as `{ className, fields }`.
 * @throws StorageError when its class is not registered, or a field is not JSON-serializable (the
 * message names the class and field and says to pass `encode`/`decode` to `registerMetric`).
 */
export function encodeMetric(metric: Metric): EncodedMetric {
  return encodeInstance(metrics, "Metric", metric, `metric "${metric.name}"`);
}

/**
 * Encodes a runner as `{ className, fields }`.
 * @throws StorageError when its class is not registered or a field is not JSON-serializable.
 */
export function encodeRunner(runner: Runner): EncodedRunner {
  return encodeInstance(runners, "Runner", runner, "the runner");
}

/**
 * Rebuilds a metric from `{ className, fields }`.
 * @throws StorageError when the class is not registered, or its decoding throws or returns something
 * that is not a Metric.
 */
export function decodeMetric(
  encoded: EncodedMetric,
  context: { experimentName?: string; path?: string } = {},
): Metric {
  return decodeInstance(metrics, "Metric", Metric, encoded, context);
}

/**
 * Rebuilds a runner from `{ className, fields }`.
 * @throws StorageError when the class is not registered, or its decoding throws or returns something
 * that is not a Runner.
 */
export function decodeRunner(
  encoded: EncodedRunner,
  context: { experimentName?: string; path?: string } = {},
): Runner {
  return decodeInstance(runners, "Runner", Runner, encoded, context);
}

/**
 * The error for a stored class that is not registered, worded for loading: what is missing, where, and
 * the call that fixes it.
 */
export function unregisteredClassError(
  kind: Kind,
  className: string,
  context: { experimentName?: string; path?: string } = {},
): UnregisteredClassError {
  const of = context.experimentName === undefined ? "" : ` of experiment "${context.experimentName}"`;
  return new UnregisteredClassError(
    `${kind} class "${className}"${of} is not registered. Call register${kind}(${className}) before loading.`,
    { kind, className, ...(context.path === undefined ? {} : { path: context.path }) },
  );
}

function encodeInstance<T extends object>(
  registry: ClassRegistry<T>,
  kind: Kind,
  instance: T,
  what: string,
): EncodedMetric {
  const entry = registry.forInstance(instance);
  if (!entry) {
    const cls = instance.constructor.name || "(anonymous class)";
    throw new UnregisteredClassError(
      `${kind} class "${cls}" of ${what} is not registered, so it cannot be stored. ` +
        `Call register${kind}(${cls}) before saving.`,
      { kind, className: cls },
    );
  }
  if (!entry.customEncode) return { className: entry.name, fields: entry.encode(instance) };
  let fields: unknown;
  try {
    fields = entry.encode(instance);
  } catch (cause) {
    throw new StorageError(
      `The encode function registered for ${kind} class "${entry.name}" threw on ${what}.`,
      {
        cause,
      },
    );
  }
  if (!isPlainObject(fields)) {
    throw new StorageError(
      `The encode function registered for ${kind} class "${entry.name}" must return a JSON object, got ${describe(fields)}.`,
    );
  }
  return {
    className: entry.name,
    fields: toJsonObject(fields, (field, why) => notJsonError(kind, entry.name, field, why, true)),
  };
}

function decodeInstance<T extends object>(
  registry: ClassRegistry<T>,
  kind: Kind,
  base: abstract new (...args: never[]) => T,
  encoded: EncodedMetric,
  context: { experimentName?: string; path?: string },
): T {
  const entry = registry.byStoredName(encoded.className);
  if (!entry) throw unregisteredClassError(kind, encoded.className, context);
  const pathOption = context.path === undefined ? {} : { path: context.path };
  let instance: unknown;
  try {
    // A copy, so a decoder that keeps or mutates its input cannot change what was stored.
    instance = entry.decode(structuredClone(encoded.fields));
  } catch (cause) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    throw new StorageError(
      `Could not rebuild ${kind} class "${encoded.className}" from its stored fields: ${msg} ` +
        `If its constructor does not take its fields, pass decode to register${kind}(${encoded.className}, { decode }).`,
      { cause, ...pathOption },
    );
  }
  if (!(instance instanceof base)) {
    throw new StorageError(
      `Decoding ${kind} class "${encoded.className}" returned ${describe(instance)}, not a ${kind}.`,
      pathOption,
    );
  }
  return instance;
}

/** Own enumerable fields of `instance`, checked and copied as JSON; undefined fields are left out. */
function ownJsonFields(instance: object, kind: Kind, className: string): JsonObject {
  return toJsonObject(instance as Record<string, unknown>, (field, why) =>
    notJsonError(kind, className, field, why, false),
  );
}

function notJsonError(
  kind: Kind,
  className: string,
  field: string,
  why: string,
  custom: boolean,
): StorageError {
  const source = custom
    ? `The encode function registered for ${kind} class "${className}" returned`
    : `${kind} class "${className}" has`;
  return new StorageError(
    `${source} field "${field}" holding ${why}, which is not JSON-serializable. ` +
      `Pass encode/decode to the register call, e.g. register${kind}(${className}, { encode: (x) => ({ ... }), decode: (fields) => new ${className}(...) }).`,
    { path: field },
  );
}

registerMetric(ReportedMetric);
registerMetric(ResultMetric);
