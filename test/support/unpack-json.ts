import { UNPACK_JSON_SOURCE } from "../../src/reporting/html/packed-json.js";

/** The browser's `unpackJson` (the page script's own source), run here on what a page would hold. */
export const unpackJson = new Function(`${UNPACK_JSON_SOURCE}\nreturn unpackJson;`)() as (
  value: unknown,
) => unknown;
