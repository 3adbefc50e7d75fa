import { mkdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { Option } from "commander";
import type { Experiment } from "../../core/experiment.js";
import type { Chart } from "../../reporting/charts/chart.js";
import { PLOT_KINDS } from "../../reporting/plots/plot-kinds.js";
import { type CliContext, USAGE_EXIT_CODE } from "../cli-context.js";
import { similarNames } from "../format/similar-names.js";
import { registerExperimentReadCommand } from "../read-command.js";
import { type CliStore, loadStoredExperiment, type StorageFlags } from "../storage-option.js";

/** Output formats of a chart and the file extension of each. */
const FORMATS = { svg: ".svg", "vega-lite": ".vl.json", vega: ".vg.json" } as const;
type ChartFormat = keyof typeof FORMATS;

/** The plot command's options as commander parses them. */
interface PlotFlags extends StorageFlags {
  kind?: string;
  format: ChartFormat;
  output?: string;
}

const EXAMPLES = `
Examples:
  ascent plot cache_tuning -o plots/                 every chart that applies, one file each
  ascent plot cache_tuning --kind optimization-trace -o trace.svg
  ascent plot cache_tuning --kind parallel-coordinates --format vega-lite > parallel.vl.json

Kinds:
${PLOT_KINDS.map((k) => `  ${k.kind.padEnd(28)}${k.summary}`).join("\n")}

svg: a standalone SVG image. vega-lite: the chart's Vega-Lite (v6) spec, data inlined, for any Vega
embedder. vega: the Vega (v6) spec it compiles to, which the Vega runtime alone renders.
A directory (an existing one, or a path ending in /) receives one file per chart, numbered in reading
order (01-optimization-trace.svg, ...). Without -o a single chart goes to standard output.`;

/** `ascent plot <name>`: an experiment's charts as SVG or Vega(-Lite) JSON. */
export function registerPlotCommand(program: Command, context: CliContext): void {
  registerExperimentReadCommand<PlotFlags>(program, context, {
    name: "plot",
    description: "draw an experiment's charts (optimization trace, parallel coordinates, ...) as SVG or JSON",
    examples: EXAMPLES,
    configure: (command) =>
      command
        .option(
          "--kind <kind>",
          "only charts of this kind (see Kinds below); default: every one that applies",
        )
        .addOption(
          new Option("--format <format>", "svg, vega-lite or vega")
            .choices(Object.keys(FORMATS))
            .default("svg"),
        )
        .option("-o, --output <path>", "a file for one chart, or a directory (ending in /) for several"),
    run: (opened, name, flags) => plotExperiment(opened, name, flags, context),
  });
}

async function plotExperiment(opened: CliStore, name: string, flags: PlotFlags, context: CliContext) {
  if (flags.kind !== undefined && !PLOT_KINDS.some((k) => k.kind === flags.kind)) {
    context.err(`ascent plot: ${unknownKindMessage(flags.kind)}`);
    return USAGE_EXIT_CODE;
  }
  const experiment = await loadStoredExperiment(opened, name);
  const charts = await chartsToDraw(experiment, flags.kind);
  if (charts.length === 0) {
    const what = flags.kind === undefined ? "No chart applies" : `No ${flags.kind} chart applies`;
    context.err(`ascent plot: ${what} to experiment "${name}" yet: ${emptyReason(experiment)}`);
    return flags.kind === undefined ? 0 : USAGE_EXIT_CODE;
  }
  const directory = await directoryOf(flags.output);
  if (directory === null && charts.length > 1) {
    context.err(
      `ascent plot: ${charts.length} charts apply to "${name}" (${charts.map((c) => c.kind).join(", ")}); ` +
        `${flags.output === undefined ? "give" : `${flags.output} is not a directory: give`} a directory ` +
        "with -o DIR/ to write them all, or choose one with --kind.",
    );
    return USAGE_EXIT_CODE;
  }
  const texts = await Promise.all(charts.map((chart) => chartText(chart, flags.format)));
  if (flags.output === undefined) {
    context.out(texts[0]!.replace(/\n$/, ""));
    return 0;
  }
  return writeCharts(charts, texts, directory ?? flags.output, directory !== null, flags.format, context);
}

/** The charts of `kind` (every applicable one without), fitting no model for a kind that needs none. */
async function chartsToDraw(experiment: Experiment, kind: string | undefined): Promise<Chart[]> {
  const { experimentCharts } = await import("../../reporting/plots/experiment-charts.js");
  const models = kind === undefined || PLOT_KINDS.some((k) => k.kind === kind && k.model);
  const charts = await experimentCharts(experiment, { models });
  return kind === undefined ? charts : charts.filter((c) => c.kind === kind);
}

/** The chart as the requested format's text (JSON ends with a newline, as files do). */
async function chartText(chart: Chart, format: ChartFormat): Promise<string> {
  const { compileChart, renderChartSvg } = await import("../../reporting/charts/render-chart.js");
  if (format === "svg") return `${await renderChartSvg(chart)}\n`;
  const spec = format === "vega" ? await compileChart(chart) : chart.spec;
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/** The absolute directory `-o` names (an existing directory, or a path ending in a slash), else null. */
async function directoryOf(output: string | undefined): Promise<string | null> {
  if (output === undefined) return null;
  if (/[/\\]$/.test(output)) return resolve(output);
  const info = await stat(output).catch(() => null);
  return info?.isDirectory() ? resolve(output) : null;
}

async function writeCharts(
  charts: readonly Chart[],
  texts: readonly string[],
  target: string,
  isDirectory: boolean,
  format: ChartFormat,
  context: CliContext,
): Promise<number> {
  const { writeOutputFile } = await import("../format/output-file.js");
  if (isDirectory) await mkdir(target, { recursive: true });
  const written: string[] = [];
  for (const [i, chart] of charts.entries()) {
    const path = isDirectory ? join(target, chartFileName(chart, i, format)) : target;
    const result = await writeOutputFile(path, texts[i]!);
    if (!result.ok) {
      context.err(`ascent plot: -o: ${result.message}`);
      return USAGE_EXIT_CODE;
    }
    written.push(result.path);
  }
  context.err(`Wrote ${written.length} chart(s): ${written.join(", ")}`);
  return 0;
}

/** `01-optimization-trace.svg`: numbered in reading order, so repeated kinds never collide. */
function chartFileName(chart: Chart, index: number, format: ChartFormat): string {
  return `${String(index + 1).padStart(2, "0")}-${chart.kind}${FORMATS[format]}`;
}

function unknownKindMessage(kind: string): string {
  const kinds = PLOT_KINDS.map((k) => k.kind);
  const similar = similarNames(kind, kinds);
  return (
    `unknown chart kind "${kind}". ${similar.length > 0 ? `Did you mean ${similar.map((s) => `"${s}"`).join(", ")}? ` : ""}` +
    `The kinds are: ${kinds.join(", ")}.`
  );
}

function emptyReason(experiment: Experiment): string {
  if (!experiment.optimizationConfig) return "it has no optimization config.";
  if (experiment.numTrials === 0) return "it has no trials.";
  return "no trial has ended with the data this chart draws (see ascent show).";
}
