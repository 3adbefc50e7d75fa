import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: Promise<string> | undefined;

/**
 * The source of the Vega runtime's browser build (a UMD script defining `vega`), to inline into a
 * self-contained page or serve from the dashboard. Read from the installed `vega` package, so the
 * page's renderer is the same version as the server's.
 */
export function vegaRuntimeSource(): Promise<string> {
  cached ??= readFile(join(dirname(fileURLToPath(import.meta.resolve("vega"))), "vega.min.js"), "utf8");
  return cached;
}
