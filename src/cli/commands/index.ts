import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { registerBestCommand } from "./best.js";
import { registerDashboardCommand } from "./dashboard.js";
import { registerDemoCommand } from "./demo.js";
import { registerExportCommand } from "./export.js";
import { registerListCommand } from "./list.js";
import { registerPlotCommand } from "./plot.js";
import { registerReportCommand } from "./report.js";
import { registerResumeCommand } from "./resume.js";
import { registerRunCommand } from "./run.js";
import { registerShowCommand } from "./show.js";
import { registerStopCommand } from "./stop.js";
import { registerVersionCommand } from "./version.js";
import { registerWorkerCommand } from "./worker.js";

/** Adds a command (its name, options, help and action) to the program. */
export type CommandRegistrar = (program: Command, context: CliContext) => void;

/** Every `ascent` command, one file each, in the order `ascent help` lists them. */
export const COMMANDS: readonly CommandRegistrar[] = [
  registerRunCommand,
  registerResumeCommand,
  registerListCommand,
  registerShowCommand,
  registerBestCommand,
  registerPlotCommand,
  registerExportCommand,
  registerReportCommand,
  registerDashboardCommand,
  registerStopCommand,
  registerDemoCommand,
  registerWorkerCommand,
  registerVersionCommand,
];
