import { type Command, InvalidArgumentError } from "commander";
import {
  type CliContext,
  INTERRUPTED_EXIT_CODE,
  SUCCESS_EXIT_CODE,
  USAGE_EXIT_CODE,
} from "../cli-context.js";
import {
  addStorageOption,
  type StorageFlags,
  storageFailureExitCode,
  storageUrlOf,
} from "../storage-option.js";

/** Environment variable read when `--token` is not given (keeps the token off the process list). */
export const DASHBOARD_TOKEN_ENV = "ASCENT_DASHBOARD_TOKEN";

/** The dashboard command's options as commander parses them. */
interface DashboardFlags extends StorageFlags {
  port?: number;
  host?: string;
  token?: string;
}

const EXAMPLES = `
Examples:
  ascent dashboard                                   # http://127.0.0.1:8484/ over ./ascent.db
  ascent dashboard --storage sqlite:runs.db --port 0 # any free port (printed)
  ASCENT_DASHBOARD_TOKEN=s3cret ascent dashboard --host 0.0.0.0 --storage postgres://ascent@db:5432/exp

Read-only and live: pages update as trials complete while a run writes to the same store. Binding an
address other than loopback needs a token; then every request needs it (open /?token=TOKEN once in a
browser, or send Authorization: Bearer TOKEN). Ctrl-C stops it (exit 130), SIGTERM too (exit 0).
See docs/dashboard.md.`;

/** `ascent dashboard`: serves the live, read-only web dashboard over a store until interrupted. */
export function registerDashboardCommand(program: Command, context: CliContext): void {
  const command = program
    .command("dashboard")
    .description("serve a live read-only web dashboard of the stored experiments")
    .option("--port <n>", "port to listen on; 0 picks a free one (default 8484)", portNumber)
    .option("--host <address>", "address to bind (default 127.0.0.1; any other needs --token)")
    .option("--token <token>", `require this token on every request (default: $${DASHBOARD_TOKEN_ENV})`);
  addStorageOption(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: DashboardFlags) => {
      context.exitCode = await serveDashboard(flags, context);
    });
}

async function serveDashboard(flags: DashboardFlags, context: CliContext): Promise<number> {
  const [{ startDashboard }, { DashboardOptionsError, StorageError }] = await Promise.all([
    import("../dashboard/start-dashboard.js"),
    import("../../errors.js"),
  ]);
  const fromEnv = context.env[DASHBOARD_TOKEN_ENV];
  const token = flags.token ?? (fromEnv === "" ? undefined : fromEnv);
  const storage = storageUrlOf(flags, context);
  try {
    const { DBSettings } = await import("../../storage/db-settings.js");
    new DBSettings(storage); // only parses the URL: a malformed one is a usage error
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    context.err(`ascent dashboard: --storage: ${error.message}`);
    return USAGE_EXIT_CODE;
  }
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;
  try {
    dashboard = await startDashboard({
      storage,
      ...(flags.port === undefined ? {} : { port: flags.port }),
      ...(flags.host === undefined ? {} : { host: flags.host }),
      ...(token === undefined ? {} : { token }),
    });
  } catch (error) {
    if (error instanceof DashboardOptionsError) {
      context.err(`ascent dashboard: ${error.option}: ${error.message}`);
      return USAGE_EXIT_CODE;
    }
    return storageFailureExitCode(error, context, "dashboard");
  }
  context.out(`Ascent dashboard: ${dashboard.url}`);
  if (token !== undefined) {
    context.out(
      "Every request needs the token: open the URL with ?token=TOKEN once, or send Authorization: Bearer TOKEN.",
    );
  }
  context.out("Press Ctrl-C to stop.");
  const signal = await untilSignal();
  await dashboard.close();
  return signal === "SIGINT" ? INTERRUPTED_EXIT_CODE : SUCCESS_EXIT_CODE;
}

/** Resolves with the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
  });
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError("expected a port from 0 (any free one) to 65535.");
  }
  return n;
}
