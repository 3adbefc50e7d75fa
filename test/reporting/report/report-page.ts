import { pathToFileURL } from "node:url";
import type { TestBrowser, WatchedPage } from "../../support/chromium.js";

/**
 * Opens a report file in the test browser as a user would (from file://) with the network blocked:
 * every request other than the file itself is aborted and recorded in `requests`. Resolves once every
 * chart has been drawn (`<body data-charts>`).
 */
export async function openReport(
  browser: TestBrowser,
  file: string,
): Promise<WatchedPage & { requests: string[] }> {
  const watched = await browser.newPage();
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  await watched.page.route("**/*", (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  await watched.page.goto(url);
  await watched.page.waitForSelector("body[data-charts]", { timeout: 15_000 });
  return { ...watched, requests };
}

/**
 * Writes a PNG of the top of an opened report (summary and first charts) at 1280 px wide: the picture
 * in docs/report.png and the README.
 */
export async function screenshotReport(watched: WatchedPage, path: string): Promise<void> {
  await watched.page.setViewportSize({ width: 1280, height: 1100 });
  await watched.page.screenshot({ path, type: "png", clip: { x: 0, y: 0, width: 1280, height: 1100 } });
}
