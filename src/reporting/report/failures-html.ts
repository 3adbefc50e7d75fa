import type { BaseTrial } from "../../core/base-trial.js";
import type { Experiment } from "../../core/experiment.js";
import { TrialStatus } from "../../core/trial-status.js";
import { html, type SafeHtml } from "../html/html.js";

/** Statuses whose trials the failures section lists. */
const FAILURE_STATUSES: readonly TrialStatus[] = [TrialStatus.FAILED, TrialStatus.ABANDONED];

/** Longest run metadata shown per group, in characters (the full record stays in the store). */
const MAX_METADATA_CHARS = 300;

/**
 * FAILED and ABANDONED trials with their reasons, trials with the same status and reason grouped (a
 * thousand trials failing alike make one line), most frequent first; each group shows the run
 * metadata of its first trial. Null when no trial failed.
 */
export function failuresHtml(experiment: Experiment): SafeHtml | null {
  const groups = new Map<string, BaseTrial[]>();
  for (const trial of experiment.trialsWithStatuses(FAILURE_STATUSES)) {
    const key = `${trial.status}\u0000${trial.failureReason ?? ""}`;
    const group = groups.get(key);
    if (group) group.push(trial);
    else groups.set(key, [trial]);
  }
  if (groups.size === 0) return null;
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length || a[0]!.index - b[0]!.index);
  return html`<ul class="failures">${sorted.map(groupItem)}</ul>`;
}

function groupItem(trials: BaseTrial[]): SafeHtml {
  const first = trials[0]!;
  const indices = trials.map((t) => t.index).sort((a, b) => a - b);
  const which =
    indices.length === 1 ? `trial ${indices[0]}` : `${indices.length} trials (${listIndices(indices)})`;
  const metadata = JSON.stringify(first.runMetadata);
  const shown = metadata.length > MAX_METADATA_CHARS ? `${metadata.slice(0, MAX_METADATA_CHARS)}…` : metadata;
  return html`<li><span class="status s-${first.status}">${first.status}</span> ${which}:
<span class="reason">${first.failureReason ?? "no reason recorded"}</span>${
    metadata === "{}" ? "" : html`<div class="metadata">run metadata: <code>${shown}</code></div>`
  }</li>`;
}

/** "3, 5, 9" or, for many, the first twenty and how many more. */
function listIndices(indices: readonly number[]): string {
  const head = indices.slice(0, 20).join(", ");
  return indices.length > 20 ? `${head} and ${indices.length - 20} more` : head;
}
