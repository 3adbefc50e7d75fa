/**
 * The main job (`npm start`): runs `ascent demo` through the command line, as a user would: it minimizes
 * Branin with the Scheduler, three simulated jobs at a time, with a live progress display on a terminal
 * (plain lines otherwise), every change stored in the embedded SQLite store `./ascent.db`. It prints the
 * best point at the end and the commands that show the stored experiment. Running it again resumes the
 * stored experiment "branin_demo" (and its generation strategy) and adds 30 more trials.
 *
 *   npm start                          # run (or resume) the demo
 *   npm start -- --fresh               # delete the stored demo experiment first
 *   npm start -- --trials 50           # add 50 trials instead of 30
 *   ASCENT_DB=postgres://... npm start # store in PostgreSQL instead (or --storage URL)
 *   npm run ascent -- show branin_demo # the trials table, afterwards
 *   npm run ascent -- best branin_demo # the best point
 */
import { main } from "../src/cli/main.js";

// In a clone, `ascent` is not installed: the commands the demo prints are spelled as run from here.
const env = { ...process.env, ASCENT_INVOKED_AS: process.env.ASCENT_INVOKED_AS ?? "npm run ascent --" };
process.exitCode = await main(["demo", ...process.argv.slice(2)], { env });
