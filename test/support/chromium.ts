import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium: `.ci/run` installs it when missing; tests never download a browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Flags for a headless Chromium on a machine with a closed network: without the background-networking
 * ones it tries to reach Google's hosts at every start.
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** A headless Chromium with a fresh profile; `close()` ends it and removes the profile. */
export interface TestBrowser {
  readonly context: BrowserContext;
  /** Opens a page that records console errors and uncaught exceptions in `errors`. */
  newPage(): Promise<WatchedPage>;
  close(): Promise<void>;
}

/** A page with the errors it logged, so a test can assert there were none. */
export interface WatchedPage {
  readonly page: Page;
  /** Console messages of type "error" and uncaught page errors, in order. */
  readonly errors: string[];
  /** Every `alert`, `confirm` or `prompt` the page opened (a hostile-name test expects none). */
  readonly dialogs: string[];
}

/** Launches Debian's Chromium headless with a fresh user-data directory. */
export async function launchTestBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium)`);
  }
  const profile = mkdtempSync(join(tmpdir(), "ascent-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const browser: Browser | null = context.browser();
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const errors: string[] = [];
      const dialogs: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("dialog", (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      return { page, errors, dialogs };
    },
    async close() {
      await context.close();
      await browser?.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
