import type { Experiment } from "../../core/experiment.js";
import type { Parameter } from "../../core/parameter.js";
import { parseParameterConstraint } from "../../core/parameter-constraint.js";
import { SearchSpace } from "../../core/search-space.js";
import type { ConfigProblem } from "../../errors.js";
import type { CreateExperimentOptions } from "../../service/client-types.js";
import { experimentFromOptions } from "../../service/experiment-from-options.js";
import { type ParameterSpec, parameterFromSpec } from "../../service/experiment-spec.js";
import { type ObjectiveSpec, optimizationFromSpec } from "../../service/optimization-spec.js";
import type { ExperimentConfigInput } from "./config-schema.js";
import { check } from "./library-problem.js";
import { nearestKey } from "./nearest-key.js";

/** The keys of the file that make up the experiment. */
const EXPERIMENT_KEYS: readonly string[] = [
  "name",
  "description",
  "isTest",
  "parameters",
  "parameterConstraints",
  "objectives",
  "outcomeConstraints",
  "trackingMetrics",
  "trackingMetricNames",
  "statusQuo",
];

/**
 * Whether the schema accepted the value at `path` (a formatted path such as `parameters[2]`): only such
 * values are checked further. Unknown keys leave a value clean unless `strict` is set.
 */
export type IsClean = (path: string, strict?: boolean) => boolean;

/** What {@link checkExperiment} found. */
export interface ExperimentCheck {
  /** `Client.createExperiment` options of the file; undefined when the experiment part has problems. */
  readonly options: CreateExperimentOptions | undefined;
  /** The experiment built from them (not saved, no runner), to check the rest of the file against. */
  readonly experiment: Experiment | undefined;
  /** Names of the parameters that could be read, for checks of other sections. */
  readonly parameterNames: readonly string[];
}

/**
 * Runs the library's own checks on the experiment part of a config (parameters, constraints,
 * objectives, outcome constraints, tracking metrics, status quo), piece by piece so every problem is
 * reported with its path, and builds the experiment when there are none.
 * @param input the file's data; sections the schema refused (see `isClean`) are skipped.
 */
export function checkExperiment(
  input: ExperimentConfigInput,
  isClean: IsClean,
  problems: ConfigProblem[],
): ExperimentCheck {
  const start = problems.length;
  const parameters = isClean("parameters") ? checkParameters(input.parameters, isClean, problems) : undefined;
  // Read from the raw list (the schema may have refused some entries): other sections are checked against it.
  const rawParameters: unknown[] = Array.isArray(input.parameters) ? input.parameters : [];
  const parameterNames = rawParameters.flatMap((p) => {
    const name = (p as { name?: unknown } | null)?.name;
    return typeof name === "string" ? [name] : [];
  });
  if (parameters && isClean("parameterConstraints")) {
    checkParameterConstraints(parameters, input.parameterConstraints ?? [], problems);
  }
  const trackingKey = input.trackingMetricNames === undefined ? "trackingMetrics" : "trackingMetricNames";
  if (input.trackingMetricNames !== undefined && input.trackingMetrics !== undefined) {
    problems.push({
      path: "trackingMetricNames",
      message: "give trackingMetrics or trackingMetricNames (the same list), not both",
    });
  }
  const tracking = input.trackingMetricNames ?? input.trackingMetrics ?? [];
  if (isClean("objectives", true) && isClean("outcomeConstraints") && isClean(trackingKey)) {
    checkMetrics(input, tracking, trackingKey, parameterNames, problems);
  }
  if (problems.length > start || !EXPERIMENT_KEYS.every((key) => isClean(key, true)))
    return { options: undefined, experiment: undefined, parameterNames };
  const options: CreateExperimentOptions = {
    name: input.name,
    parameters: input.parameters as ParameterSpec[],
    parameterConstraints: input.parameterConstraints ?? [],
    objectives: input.objectives as Record<string, ObjectiveSpec>,
    outcomeConstraints: input.outcomeConstraints ?? [],
    trackingMetricNames: tracking,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.isTest === undefined ? {} : { isTest: input.isTest }),
    ...(input.statusQuo === undefined ? {} : { statusQuo: input.statusQuo }),
  };
  const path = input.statusQuo === undefined ? [] : ["statusQuo"];
  const experiment = check(problems, path, () => experimentFromOptions(options));
  return { options: experiment ? options : undefined, experiment, parameterNames };
}

/** Each parameter through `parameterFromSpec`, then the names checked for duplicates. */
function checkParameters(
  specs: readonly unknown[],
  isClean: IsClean,
  problems: ConfigProblem[],
): Parameter[] | undefined {
  const built: Parameter[] = [];
  const firstIndex = new Map<string, number>();
  specs.forEach((spec, i) => {
    const name = (spec as { name?: unknown }).name;
    const first = typeof name === "string" ? firstIndex.get(name) : undefined;
    if (typeof name === "string" && first === undefined) firstIndex.set(name, i);
    if (first !== undefined) {
      // SearchSpace refuses duplicates too, but stops at the first; this names every one and its twin.
      problems.push({
        path: `parameters[${i}].name`,
        message: `"${name}" is also the name of parameters[${first}]; parameter names must be unique`,
      });
      return;
    }
    // parameterFromSpec refuses unknown keys itself; the schema has already named them.
    if (!isClean(`parameters[${i}]`, true)) return;
    const parameter = check(
      problems,
      (error) => ["parameters", i, ...parameterKey(error)],
      () => parameterFromSpec(spec as ParameterSpec, i),
    );
    if (parameter) built.push(parameter);
  });
  return built.length === specs.length ? built : undefined;
}

/** Which key of a parameter spec the library's message is about (its errors name parameters, not keys). */
const PARAMETER_KEYS: readonly [RegExp, string][] = [
  [/logScale|log scale/, "logScale"],
  [/digits/, "digits"],
  [/bounds|lower|upper|width/, "bounds"],
  [/isOrdered/, "isOrdered"],
  [/valueType|not a valid .* value|type/, "valueType"],
  [/\bvalues\b/, "values"],
  [/\bvalue\b/, "value"],
  [/name/, "name"],
];

function parameterKey(error: unknown): string[] {
  const message = error instanceof Error ? error.message : "";
  const key = PARAMETER_KEYS.find(([pattern]) => pattern.test(message))?.[1];
  return key === undefined ? [] : [key];
}

/** Each constraint parsed and checked against the search space on its own, so each gets its own problem. */
function checkParameterConstraints(
  parameters: Parameter[],
  constraints: readonly string[],
  problems: ConfigProblem[],
): void {
  const names = parameters.map((p) => p.name);
  constraints.forEach((text, k) => {
    const before = problems.length;
    check(problems, ["parameterConstraints", k], () => {
      const constraint = parseParameterConstraint(text);
      return new SearchSpace({ parameters, parameterConstraints: [constraint] });
    });
    const problem = problems[before];
    const unknown = problem ? /unknown parameter "([^"]+)"/.exec(problem.message)?.[1] : undefined;
    if (problem && unknown !== undefined) {
      const near = nearestKey(unknown, names);
      problems[before] = {
        ...problem,
        message:
          `${problem.message}${near ? `; did you mean "${near}"?` : ""} ` +
          `(parameters: ${names.join(", ")})`,
      };
    }
  });
}

/** Objectives, then each outcome constraint, then the tracking metrics, through `optimizationFromSpec`. */
function checkMetrics(
  input: ExperimentConfigInput,
  tracking: readonly string[],
  trackingKey: string,
  parameterNames: readonly string[],
  problems: ConfigProblem[],
): void {
  const objectives = input.objectives as Record<string, ObjectiveSpec>;
  const objectivesOk = check(
    problems,
    (e) => objectivePath(e),
    () => optimizationFromSpec({ objectives }),
  );
  for (const name of Object.keys(objectives)) {
    if (parameterNames.includes(name)) problems.push(sameNameProblem("objectives", name));
  }
  if (!objectivesOk) return;
  const valid = checkOutcomeConstraints(objectives, input.outcomeConstraints ?? [], parameterNames, problems);
  if (!valid) return;
  tracking.forEach((name, i) => {
    if (parameterNames.includes(name)) problems.push(sameNameProblem(`${trackingKey}[${i}]`, name));
  });
  check(
    problems,
    (e) => {
      const index = tracking.lastIndexOf(metricNameOf(e) ?? "");
      return index < 0 ? [trackingKey] : [trackingKey, index];
    },
    () => optimizationFromSpec({ objectives, outcomeConstraints: valid, trackingMetricNames: tracking }),
  );
}

/**
 * Each outcome constraint with the objectives, on its own, so each gets its own problem.
 * @returns the constraints when all are valid, else undefined.
 */
function checkOutcomeConstraints(
  objectives: Record<string, ObjectiveSpec>,
  constraints: readonly string[],
  parameterNames: readonly string[],
  problems: ConfigProblem[],
): string[] | undefined {
  let valid = true;
  constraints.forEach((text, k) => {
    const ok = check(problems, ["outcomeConstraints", k], () =>
      optimizationFromSpec({ objectives, outcomeConstraints: [text] }),
    );
    valid &&= ok !== undefined;
    const metric = ok?.optimizationConfig.outcomeConstraints[0]?.metric.name;
    if (metric !== undefined && parameterNames.includes(metric)) {
      problems.push({
        path: `outcomeConstraints[${k}]`,
        message: `"${metric}" is a parameter, not a metric; outcome constraints bound metrics (parameterConstraints bound parameters)`,
      });
    }
  });
  return valid ? [...constraints] : undefined;
}

function sameNameProblem(path: string, name: string): ConfigProblem {
  return {
    path,
    message: `"${name}" is also a parameter name; give the metric and the parameter different names`,
  };
}

function metricNameOf(error: unknown): string | undefined {
  const name = (error as { metricName?: unknown }).metricName;
  return typeof name === "string" ? name : undefined;
}

/** `objectives.<metric>`, and `.threshold` when the library's message is about the threshold. */
function objectivePath(error: unknown): (string | number)[] {
  const name = metricNameOf(error);
  if (name === undefined) return ["objectives"];
  const aboutThreshold = error instanceof Error && /threshold/.test(error.message);
  return aboutThreshold ? ["objectives", name, "threshold"] : ["objectives", name];
}
