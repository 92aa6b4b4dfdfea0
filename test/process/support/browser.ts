// Debian's Chromium driven by playwright-core (no browser download): every page checked with
// axe-core, every request outside the server's own origin refused and recorded, every console error
// recorded, and screenshots of the main pages at 1280 and 360 px under test-output/portal/.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOTS = join('test-output', 'portal');
export const CHROMIUM = '/usr/bin/chromium';
/** WCAG 2.1 A and AA, and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** What went wrong in a browser context: requests elsewhere, console errors, serious a11y findings. */
export interface Findings {
  foreignRequests: string[];
  consoleErrors: string[];
  violations: { page: string; violation: AxeViolation }[];
}

export interface Portal {
  context: BrowserContext;
  page: Page;
  findings: Findings;
  /** Runs axe on the current page (and screenshots it when `screenshot` names it). */
  check(name: string, options?: { screenshot?: boolean }): Promise<void>;
}

export async function openPortal(browser: Browser, origin: string, who: string): Promise<Portal> {
  const findings: Findings = { foreignRequests: [], consoleErrors: [], violations: [] };
  const context = await browser.newContext({
    baseURL: origin,
    viewport: { width: 1280, height: 900 },
    locale: 'sq-AL',
  });
  // The network is limited to the server's own origin: anything else is refused and recorded.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    findings.foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') findings.consoleErrors.push(`${who}: ${message.text()}`);
  });
  page.on('pageerror', (error) => findings.consoleErrors.push(`${who}: ${error.message}`));
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).host !== new URL(origin).host) findings.foreignRequests.push(socket.url());
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    findings,
    async check(name, options = {}) {
      // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') allows it.
      await page.evaluate(AXE_SOURCE);
      const violations = (await page.evaluate(
        `axe.run({ runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } }).then((result) => result.violations)`,
      )) as AxeViolation[];
      for (const violation of violations)
        if (violation.impact === 'serious' || violation.impact === 'critical')
          findings.violations.push({ page: name, violation });
      if (options.screenshot) {
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-1280.png`), fullPage: true });
        await page.setViewportSize({ width: 360, height: 740 });
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-360.png`), fullPage: true });
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    },
  };
}

/** The newest message to `to` in the development outbox whose body matches `pattern`: group 1. */
export async function fromOutbox(origin: string, to: string, pattern: RegExp): Promise<string> {
  const answer = await fetch(`${origin}/dev/outbox?to=${encodeURIComponent(to)}`);
  const messages = (await answer.json()) as { body: string }[];
  for (const message of messages) {
    const found = message.body.match(pattern)?.[1];
    if (found) return found;
  }
  throw new Error(`no message to ${to} matches ${pattern}`);
}

export const CODE = /\b(\d{6})\b/;
export const TEMPORARY_PASSWORD = /(?:është|is) (\S+?)\. (?:Përdoret|It works)/;
