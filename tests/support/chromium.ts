/**
 * Headless Chromium for the report's browser tests (tests/cli/report/): where it is (CHROMIUM_PATH,
 * else /usr/bin/chromium), the flags that keep it offline and quiet, and a launch that says how to
 * install it when it is missing. Chromium is required, not optional: without it those tests fail.
 */
import * as fs from "fs";
import { Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Fails, saying how to install Chromium, when it is not at CHROMIUM; call before the slow setup. */
export function requireChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is required by this test and was not found at ${CHROMIUM}. Install it (Debian/Ubuntu: apt-get install chromium) ` +
        `or set CHROMIUM_PATH to a Chromium or Chrome executable.`,
    );
  }
}

/** Chromium started headless; an error that says which executable did not start. */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new Error(`Chromium at ${CHROMIUM} did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
