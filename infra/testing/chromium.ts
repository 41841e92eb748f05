// Debian's Chromium driven by playwright-core for the browser tests: each browser gets a fresh
// profile directory of its own, and closeBrowsers() removes them all.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the browser tests save their screenshots (git-ignored). */
export const screenshotDir = fileURLToPath(
  new URL('../../.artifacts/screenshots/', import.meta.url),
);

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails with the way to get one when the machine has no Chromium. */
export function assertChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath}: apt-get install chromium, or set CHROMIUM_PATH`,
    );
  }
}

/** Browsers opened by one test file, to close in its afterAll. */
export type Browsers = Array<{ context: BrowserContext; profile: string }>;

/** Opens a browser with a fresh profile and returns its first page. */
export async function openBrowser(
  browsers: Browsers,
  options: Parameters<typeof chromium.launchPersistentContext>[1] = {},
): Promise<Page> {
  const profile = await mkdtemp(join(tmpdir(), 'tatkal-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    timeout: 30_000,
    ...options,
  });
  browsers.push({ context, profile });
  context.setDefaultTimeout(15_000);
  return context.pages()[0] ?? (await context.newPage());
}

export async function closeBrowsers(browsers: Browsers): Promise<void> {
  for (const { context, profile } of browsers.splice(0)) {
    await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
  }
}
