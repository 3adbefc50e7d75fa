import { describeValue as describe } from "../core/json.js";
import type { Metric } from "../core/metric.js";
import { ReportedMetric } from "../core/metric.js";
import { ComparisonOp, OutcomeConstraint } from "../core/outcome-constraint.js";
import { OptimizationConfigError } from "../errors.js";

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const CONSTRAINT = new RegExp(String.raw`^\s*([^\s<>=!]+)\s*(<=|>=)\s*(${NUMBER})\s*(%?)\s*$`);

/**
 * Parses an outcome constraint written as text, as Ax's Client takes it: `"<metric> <= <bound>"` or
 * `"<metric> >= <bound>"`, absolute, or relative to the status quo in percent with a trailing `%`
 * (`"latency <= 5%"`: at most 5% above the status quo). Metric names are any text without spaces, `<`, `>`, `=` or `!`.
 * @param metricFor returns the metric object for a name (a new {@link ReportedMetric} by default), so a
 * caller can share one metric between an objective and several constraints.
 * @throws OptimizationConfigError when the text is not of that form, with the form to write instead.
 * @example parseOutcomeConstraint("cost <= 10") // cost LEQ 10, absolute
 * @example parseOutcomeConstraint("qps >= -2.5%") // qps GEQ -2.5, relative
 */
export function parseOutcomeConstraint(
  text: string,
  metricFor: (name: string) => Metric = (name) => new ReportedMetric({ name }),
): OutcomeConstraint {
  if (typeof text !== "string") {
    throw new OptimizationConfigError(
      `Outcome constraints are strings such as "cost <= 10" or "latency <= 5%", got ${describe(text)}.`,
    );
  }
  const m = CONSTRAINT.exec(text);
  if (!m) throw new OptimizationConfigError(explainFailure(text));
  const [, name = "", op, bound = "", percent] = m;
  return new OutcomeConstraint({
    metric: metricFor(name),
    op: op === "<=" ? ComparisonOp.LEQ : ComparisonOp.GEQ,
    bound: Number(bound),
    relative: percent === "%",
  });
}

function explainFailure(text: string): string {
  const head = `Cannot parse outcome constraint ${JSON.stringify(text)}`;
  const form =
    'write "<metric> <= <number>", "<metric> >= <number>", or with a trailing % for a bound relative to the status quo ("latency <= 5%")';
  if (/==|!=/.test(text) || /(^|[^<>])[<>](?!=)/.test(text)) {
    return `${head}: only <= and >= are supported; ${form}.`;
  }
  if (/[<>]=.*[<>]=/.test(text)) return `${head}: give one bound per constraint; ${form}.`;
  if (/^\s*\S+\s+\S+.*(<=|>=)/.test(text)) {
    return `${head}: the left-hand side must be a single metric name without spaces (sums of metrics are not supported); ${form}.`;
  }
  if (/(<=|>=)\s*[A-Za-z_]/.test(text)) {
    return `${head}: the right-hand side must be a number, not a metric; ${form}.`;
  }
  return `${head}: ${form}.`;
}
