import { jsonForScript } from "../../../reporting/html/json-for-script.js";

/** What the page script needs to know about the page it runs on; every user string travels here as JSON. */
export interface PageBoot {
  readonly page: "list" | "experiment" | "not-found";
  /** The experiment's name (experiment and not-found pages). */
  readonly name?: string;
  /** Where the store is, credentials masked. */
  readonly storage: string;
  /** The milliseconds between two polls of the experiments list. */
  readonly listPollMs: number;
}

/** The URLs of the page's assets (content-hashed, so they can be cached for good). */
export interface AssetUrls {
  readonly css: string;
  readonly script: string;
  readonly vega: string;
}

/**
 * The HTML of every page: a fixed skeleton with no user string in its markup. The page script reads
 * `boot` (and the experiment's state, `stateScriptJson` from `scriptSafeJsonText`, inlined to save a
 * round trip) and builds the content with DOM calls and `textContent` only.
 */
export function pageShell(boot: PageBoot, assets: AssetUrls, stateScriptJson?: string): string {
  const vega = boot.page === "experiment" ? `<script src="${assets.vega}" defer></script>\n` : "";
  const state =
    stateScriptJson === undefined
      ? ""
      : `<script type="application/json" id="state">${stateScriptJson}</script>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ascent dashboard</title>
<link rel="stylesheet" href="${assets.css}">
<script type="application/json" id="boot">${jsonForScript(boot)}</script>
${state}${vega}<script src="${assets.script}" defer></script>
</head>
<body>
<header><a class="home" href="/">Ascent</a><span class="where" id="where"></span><span class="live" id="live"></span></header>
<main id="main"><div class="banner" id="banner" role="alert"></div></main>
</body>
</html>
`;
}
