import type { Experiment } from "../../core/experiment.js";
import type { Parameterization } from "../../core/parameter-type.js";
import { ALL_TRIAL_STATUSES } from "../../core/trial-status.js";
import type { BestPoint } from "../best-point.js";
import { html, type SafeHtml } from "../html/html.js";
import type { MetricPrediction } from "../model-best-point.js";
import type { ViewsBestPoint } from "../model-views/views-best-point.js";
import type { ReportBest } from "./report-best.js";
import { formatDuration, type ReportDurations } from "./report-durations.js";
import { formatReportNumber, formatReportValue } from "./report-format.js";
import type { ReportStrategy } from "./report-strategy.js";

/** What the summary section shows. */
export interface SummaryParts {
  readonly best: ReportBest;
  readonly durations: ReportDurations;
  readonly strategy: ReportStrategy | null;
}

/** The summary: goal, best point, trials by status, durations and the generation strategy. */
export function summaryHtml(experiment: Experiment, parts: SummaryParts): SafeHtml {
  return html`<div class="summary-grid">
<div class="card best"><h3>Best point</h3>${bestHtml(parts.best)}</div>
<div class="card"><h3>Trials</h3>${statusHtml(experiment)}<h3>Durations</h3>${durationsHtml(parts.durations)}</div>
<div class="card"><h3>Generation strategy</h3>${strategyHtml(parts.strategy)}</div>
</div>`;
}

function statusHtml(experiment: Experiment): SafeHtml {
  const counts = ALL_TRIAL_STATUSES.map((status) => ({
    status,
    n: experiment.countTrialsWithStatus(status),
  }));
  return html`<p class="total">${experiment.numTrials} trial${experiment.numTrials === 1 ? "" : "s"}</p>
<ul class="statuses" id="trial-statuses">${counts
    .filter((c) => c.n > 0)
    .map(
      (c) =>
        html`<li><span class="status s-${c.status}">${c.status}</span> <span class="count">${c.n}</span></li>`,
    )}</ul>`;
}

function durationsHtml(d: ReportDurations): SafeHtml {
  const wall = d.wallTimeMs === null ? "no trials yet" : formatDuration(d.wallTimeMs);
  const run = d.runTimeMs;
  return html`<dl class="facts">
<dt>Wall time</dt><dd>${wall}</dd>
${
  run === null
    ? html`<dt>Trial run time</dt><dd>no trial ran to an end</dd>`
    : html`<dt>Median run time</dt><dd>${formatDuration(run.median)}</dd>
<dt>10th – 90th percentile</dt><dd>${formatDuration(run.p10)} – ${formatDuration(run.p90)}</dd>
<dt>Longest</dt><dd>${formatDuration(run.max)}</dd>
<dt>Timed trials</dt><dd>${d.numTimed}</dd>`
}</dl>`;
}

function strategyHtml(strategy: ReportStrategy | null): SafeHtml {
  if (strategy === null)
    return html`<p class="muted">No generation strategy is stored with this experiment.</p>`;
  return html`<p><strong>${strategy.name}</strong></p>
<ol class="steps">${strategy.steps.map(
    (s) =>
      html`<li${s.current ? html` class="current"` : ""}>${s.description}${
        s.maxParallelism === null ? "" : `, at most ${s.maxParallelism} at once`
      } <span class="muted">(${s.trialsProduced} produced${s.current ? ", current" : ""})</span></li>`,
  )}</ol>
<p class="reason">${strategy.reason ?? "The reason for this strategy was not recorded (it was built by hand)."}</p>`;
}

function bestHtml(best: ReportBest): SafeHtml {
  if (best.kind === "none") return html`<p class="muted">${best.message}</p>`;
  if (best.kind === "pareto") {
    const goal = best.objectives.map((o) => `${o.minimize ? "minimize" : "maximize"} ${o.metric}`).join(", ");
    if (best.points.length === 0) return html`<p class="muted">${goal}: no feasible completed trial yet.</p>`;
    return html`<p>${goal}: ${best.points.length} Pareto-optimal arm(s), observed; hypervolume
${formatReportNumber(best.hypervolume)}.</p>${best.points.slice(0, 5).map((p) => pointHtml(p, null))}${
      best.points.length > 5
        ? html`<p class="muted">and ${best.points.length - 5} more (see the table).</p>`
        : ""
    }`;
  }
  const goal = `${best.objective.minimize ? "minimize" : "maximize"} ${best.objective.metric}`;
  const byModel = best.decision.rule === "model" && best.model !== null;
  const shown = byModel ? best.model : best.observed;
  if (shown === null) return html`<p class="muted">${goal}: no feasible completed trial yet.</p>`;
  const how =
    byModel && best.model ? `by the model's prediction (${fittedOn(best.model)})` : "by observed value";
  const other = byModel ? best.observed : best.model;
  const differs =
    other !== null && (other.trialIndex !== shown.trialIndex || other.armName !== shown.armName);
  const otherName = byModel ? "Best observed value" : "The model's pick";
  return html`<p>${goal}, ${how}:</p>${pointHtml(shown, byModel ? (best.model?.predictions ?? null) : null)}
<p class="muted rule">Rule: ${best.decision.rule} (${best.decision.reason}).</p>${
    differs && other
      ? html`<p class="muted">${otherName}: trial ${other.trialIndex}, ${best.objective.metric} =
${formatReportNumber(other.values[best.objective.metric]!)} observed.</p>`
      : ""
  }`;
}

function pointHtml(point: BestPoint, predictions: Record<string, MetricPrediction> | null): SafeHtml {
  return html`<div class="point"><p class="where">trial ${point.trialIndex} (arm ${point.armName})</p>
<table class="kv"><tbody>${parameterRows(point.parameters)}${Object.entries(point.values).map(
    ([name, value]) => {
      const p = predictions?.[name];
      return html`<tr class="metric"><th scope="row">${name}</th><td>${formatReportNumber(value)}${
        p
          ? html` <span class="predicted">(predicted ${formatReportNumber(p.mean)} ± ${formatReportNumber(p.sem)})</span>`
          : ""
      }</td></tr>`;
    },
  )}</tbody></table></div>`;
}

function parameterRows(parameters: Parameterization): SafeHtml[] {
  return Object.entries(parameters).map(
    ([name, value]) => html`<tr><th scope="row">${name}</th><td>${formatReportValue(value)}</td></tr>`,
  );
}

/** "a GP of all 40 observations", or of a random subset when the views capped the fit. */
function fittedOn(model: ViewsBestPoint): string {
  const { fittedObservations: n, totalObservations: total } = model;
  return n < total
    ? `a GP fitted to a random ${n} of ${total} observations`
    : `a GP of all ${total} observations`;
}
