import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseHistory } from '../../src/history/analyse.js';
import type { HistoryFinding } from '../../src/history/model.js';
import { renderHistoryHtml } from '../../src/history/render-html.js';
import { chromiumPath } from '../helpers/chromium.js';
import { nightlyReport, REPORT_NOW } from '../helpers/nightly-history.js';

// The nightly HTML report loaded from a file in Debian's headless Chromium, as someone opening a CI
// artefact would: its own script and styles run under its Content-Security-Policy, the chart and tables
// render at desktop and phone widths, sorting and filters work, axe-core finds no serious problem, and
// hostile names stay text. Screenshots and the rendered files are kept in test-artifacts/html-report/
// (git-ignored) for a person to look at.

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(repo, 'test-artifacts/html-report');
const require = createRequire(import.meta.url);

const DESKTOP = { width: 1280, height: 800 } as const;
const PHONE = { width: 375, height: 812 } as const;

let browser: Browser;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** What went wrong in a page: console errors and warnings (CSP violations among them), uncaught errors, dialogs, requests. */
interface Trouble {
  readonly console: string[];
  readonly errors: string[];
  readonly dialogs: string[];
  readonly requests: string[];
}

/**
 * Writes `html` to the artefacts folder and opens it from there (file://) in a fresh context.
 * `bypassCSP` only for axe-core, which is injected as an inline script the report's policy rightly blocks.
 */
async function open(name: string, html: string, viewport: { width: number; height: number }, bypassCSP = false): Promise<{ page: Page; context: BrowserContext; trouble: Trouble; url: string }> {
  const file = path.join(artifacts, name);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport, bypassCSP });
  // Fail fast: a missing element should not wait out the test's whole timeout.
  context.setDefaultTimeout(5_000);
  const page = await context.newPage();
  const trouble: Trouble = { console: [], errors: [], dialogs: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') trouble.console.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => trouble.errors.push(error.message));
  page.on('dialog', (dialog) => {
    trouble.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    if (request.url() !== url) trouble.requests.push(request.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, context, trouble, url };
}

/** The text of one column of a table's visible body rows. */
function column(page: Page, table: string, index: number): Promise<string[]> {
  return page.$$eval(`#${table} tbody tr:not([hidden])`, (rows, cell) => rows.map((row) => (row as HTMLTableRowElement).cells[cell]!.textContent!.trim()), index);
}

/**
 * Elements that stick out of the viewport sideways, outside the tables' own scroll containers (which
 * may scroll, as long as they fit), and the page's scroll width against its width.
 */
function overflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; outside: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      if (element.parentElement?.closest('.table-scroll')) continue;
      const box = element.getBoundingClientRect();
      if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) outside.push(`${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.getAttribute('class') ? `.${element.getAttribute('class')}` : ''} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, outside };
  });
}

describe('the nightly HTML report in Chromium', () => {
  const html = renderHistoryHtml(nightlyReport());

  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`renders at ${label} width (${viewport.width}x${viewport.height}) without errors, its chart and tables visible, nothing overflowing`, async () => {
      const { page, context, trouble } = await open(`report-${label}.html`, html, viewport);
      try {
        // The report's own script ran (it turns the headers into buttons) and nothing else was blocked,
        // fetched or thrown.
        await expect.poll(() => page.locator('#open th button').count()).toBe(10);
        expect(trouble).toEqual({ console: [], errors: [], dialogs: [], requests: [] });

        // The chart: one band per severity, least severe at the bottom, one point per run of the window.
        const chart = page.locator('svg[role="img"]');
        const box = (await chart.boundingBox())!;
        expect(box.width).toBeGreaterThan(viewport.width === PHONE.width ? 300 : 700);
        expect(box.height).toBeGreaterThan(80);
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
        expect(await page.$$eval('svg[role="img"] polygon > title', (titles) => titles.map((title) => title.textContent))).toEqual(['info', 'low', 'medium', 'high', 'critical']);
        for (const band of await page.locator('svg[role="img"] polygon').all()) expect((await band.boundingBox())!.height).toBeGreaterThan(0);
        const points = await page.$$eval('svg[role="img"] circle', (circles) => circles.map((circle) => [circle.querySelector('title')!.textContent!.split(',')[0], circle.getAttribute('fill')]));
        expect(points).toEqual([
          ['nightly-2026-11-02', '#1f2328'],
          ['nightly-2026-11-03', '#1f2328'],
          ['nightly-2026-11-04', '#1f2328'],
          ['nightly-2026-11-05', '#fff'],
          ['nightly-2026-11-06', '#1f2328'],
          ['nightly-2026-11-07', '#fff'],
        ]);

        // The tables, with their rows.
        for (const id of ['by-provider', 'by-policy', 'open', 'past-sla', 'previous-new', 'window-new', 'window-fixed', 'time-to-fix', 'unknown']) {
          const table = (await page.locator(`#${id}`).boundingBox())!;
          expect(table.width, id).toBeGreaterThan(0);
          expect(table.height, id).toBeGreaterThan(0);
        }
        expect(await column(page, 'open', 2)).toEqual(['aws_api_gateway_method.orders_post (POST /orders)', 'catalog-api', 'catalog-browser-key', 'azurerm_api_management_api.payments', 'aws_api_gateway_stage.prod']);
        expect(await column(page, 'past-sla', 2)).toEqual(['aws_api_gateway_method.orders_post (POST /orders)']);
        expect(await column(page, 'window-fixed', 1)).toEqual(['route-requires-auth', 'throttling-configured', 'stage-data-trace']);
        expect(await column(page, 'unknown', 5)).toEqual(['authorization is var.catalog_auth, which has no value here']);
        expect(await column(page, 'time-to-fix', 2)).toEqual(['0', '2', '0', '0', '1']);

        // Nothing sticks out sideways: wide tables scroll inside their own container.
        expect(await overflow(page)).toEqual({ scrollWidth: viewport.width, clientWidth: viewport.width, outside: [] });
        for (const scroller of await page.locator('.table-scroll').all()) {
          const scrollBox = (await scroller.boundingBox())!;
          expect(scrollBox.x + scrollBox.width).toBeLessThanOrEqual(viewport.width);
        }

        await page.screenshot({ path: path.join(artifacts, `${label}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    });
  }

  it('sorts a table by a click on a header, and again the other way; by keyboard too', async () => {
    const { page, context, trouble } = await open('report-sort.html', html, DESKTOP);
    try {
      const age = page.locator('#open').getByRole('columnheader', { name: 'Age (days)' });
      await age.getByRole('button').click();
      await expect.poll(() => age.getAttribute('aria-sort')).toBe('ascending');
      expect(await column(page, 'open', 8)).toEqual(['8', '11', '12', '13', '14']);
      expect(await column(page, 'open', 1)).toEqual(['api-keys-restricted', 'stage-access-logging', 'no-static-api-keys', 'cors-not-open', 'route-requires-auth']);
      await age.getByRole('button').click();
      expect(await age.getAttribute('aria-sort')).toBe('descending');
      expect(await column(page, 'open', 8)).toEqual(['14', '13', '12', '11', '8']);

      // Severity sorts by rank, not by name; the header sorted before loses its aria-sort.
      const severity = page.locator('#open').getByRole('columnheader', { name: 'Severity' });
      await severity.getByRole('button').focus();
      await page.keyboard.press('Enter');
      expect(await severity.getAttribute('aria-sort')).toBe('ascending');
      expect(await age.getAttribute('aria-sort')).toBeNull();
      expect(await column(page, 'open', 0)).toEqual(['low', 'medium', 'medium', 'high', 'critical']);
      await page.keyboard.press('Space');
      expect(await column(page, 'open', 0)).toEqual(['critical', 'high', 'medium', 'medium', 'low']);

      // Text sorts alphabetically.
      await page.locator('#open').getByRole('button', { name: 'Policy' }).click();
      expect(await column(page, 'open', 1)).toEqual(['api-keys-restricted', 'cors-not-open', 'no-static-api-keys', 'route-requires-auth', 'stage-access-logging']);
      expect(trouble).toEqual({ console: [], errors: [], dialogs: [], requests: [] });
    } finally {
      await context.close();
    }
  });

  it('filters every finding table by text and by severity', async () => {
    const { page, context, trouble } = await open('report-filter.html', html, DESKTOP);
    try {
      await page.getByRole('searchbox', { name: 'Filter' }).fill('catalog');
      expect(await column(page, 'open', 2)).toEqual(['catalog-api', 'catalog-browser-key']);
      expect(await column(page, 'unknown', 2)).toEqual(['aws_api_gateway_method.catalog_get (GET /catalog)']);
      expect(await column(page, 'window-fixed', 2)).toEqual([]);
      // Announced: 2 open, 1 new since the previous run, 2 since the window started, 1 undecided, of 5 + 1 + 1 + 4 + 3 + 1 rows.
      expect(await page.getByRole('status').textContent()).toBe('6 of 15 rows of the finding tables shown');

      await page.getByRole('combobox', { name: 'Severity' }).selectOption('medium');
      expect(await column(page, 'open', 2)).toEqual(['catalog-browser-key']);
      expect(await column(page, 'unknown', 2)).toEqual([]);

      await page.getByRole('searchbox', { name: 'Filter' }).fill('');
      expect(await column(page, 'open', 2)).toEqual(['catalog-browser-key', 'azurerm_api_management_api.payments']);
      expect(await column(page, 'window-new', 2)).toEqual(['catalog-browser-key', 'azurerm_api_management_api.payments']);

      // Words match case-insensitively anywhere in the row (here the file of "Where").
      await page.getByRole('combobox', { name: 'Severity' }).selectOption('');
      expect(await page.getByRole('status').textContent()).toBe('');
      await page.getByRole('searchbox', { name: 'Filter' }).fill('STAGE.TF');
      expect(await column(page, 'open', 2)).toEqual(['aws_api_gateway_stage.prod']);
      expect(await column(page, 'window-fixed', 2)).toEqual(['aws_api_gateway_stage.prod', 'aws_api_gateway_method_settings.prod']);
      expect(trouble).toEqual({ console: [], errors: [], dialogs: [], requests: [] });
    } finally {
      await context.close();
    }
  });

  it('has no serious or critical accessibility violation (axe-core), at either width', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { page, context, trouble } = await open('report-axe.html', html, viewport, true);
      try {
        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const violations = await page.evaluate(async () => {
          const result = await (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run(document);
          return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(' ')) }));
        });
        expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);
        expect(trouble).toEqual({ console: [], errors: [], dialogs: [], requests: [] });
      } finally {
        await context.close();
      }
    }
  });

  it('shows hostile names and messages as text: no markup, no script, no dialog, no request', async () => {
    const address = 'aws_api_gateway_method.x["</style><script>window.pwned=1;alert(1)</script>"]';
    const routeKey = `GET /"><svg onload="window.pwned=4;alert(4)">'`;
    const message = `"'><img src=x onerror="window.pwned=2;alert(2)"></td></tr></table><script>alert(3)</script><style>body{display:none}</style>`;
    const hostile: HistoryFinding[] = [
      { fingerprint: 'fp-hostile', state: 'open', policyId: 'route-requires-auth', severity: 'high', provider: 'aws', frameworks: {}, entityKind: 'route', entityId: address, address, routeKey, location: 'infra/</script>.tf:1', file: 'infra/</script>.tf', message },
      { fingerprint: 'unknown:hostile', state: 'unknown', policyId: 'route-requires-auth', severity: 'high', provider: 'aws', frameworks: {}, entityKind: 'route', entityId: address, address, location: 'infra/</script>.tf:2', file: 'infra/</script>.tf', message },
    ];
    const { page, context, trouble } = await open('report-hostile.html', renderHistoryHtml(nightlyReport(hostile)), DESKTOP);
    try {
      await expect.poll(() => page.locator('#open th button').count()).toBe(10);
      expect(trouble).toEqual({ console: [], errors: [], dialogs: [], requests: [] });
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      // The page's own script and style only; nothing the input named became an element. 11 tables: the 7
      // finding and time tables and the breakdowns by provider, policy, owner ("(no owner)") and target.
      expect(await page.evaluate(() => [document.scripts.length, document.querySelectorAll('style').length, document.querySelectorAll('img, svg').length, document.querySelectorAll('table').length])).toEqual([1, 1, 1, 11]);
      expect(await page.locator('body').isVisible()).toBe(true);
      // Shown exactly as written, each in its own cell.
      expect(await column(page, 'open', 2)).toContain(`${address} (${routeKey})`);
      expect(await column(page, 'open', 3)).toContain('infra/</script>.tf:1');
      expect(await column(page, 'unknown', 5)).toEqual(['authorization is var.catalog_auth, which has no value here', message]);
      expect(await page.$$eval('#unknown tbody tr', (rows) => rows.map((row) => (row as HTMLTableRowElement).cells.length))).toEqual([6, 6]);
    } finally {
      await context.close();
    }
  });
});

describe('the HTML report of an empty history in Chromium', () => {
  it('says no run is recorded, and its script runs without the tables and filters it has nothing for', async () => {
    const { page, context, trouble } = await open('report-empty.html', renderHistoryHtml(analyseHistory([], { now: REPORT_NOW })), PHONE);
    try {
      expect(await page.locator('main p').textContent()).toBe('No run is recorded in this history yet. Record one with gatewarden scan --history DB.');
      expect(await page.locator('table, svg, input').count()).toBe(0);
      expect(trouble).toEqual({ console: [], errors: [], dialogs: [], requests: [] });
      expect(await overflow(page)).toEqual({ scrollWidth: PHONE.width, clientWidth: PHONE.width, outside: [] });
    } finally {
      await context.close();
    }
  });
});

describe('the Chromium the browser tests use', () => {
  it('is CHROMIUM_PATH when set, else Debian\'s /usr/bin/chromium; a missing one fails and says how to install it', () => {
    expect(chromiumPath({})).toBe('/usr/bin/chromium');
    expect(chromiumPath({ CHROMIUM_PATH: '/usr/bin/chromium' })).toBe('/usr/bin/chromium');
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      "The HTML report's browser tests need Chromium, and CHROMIUM_PATH (/nonexistent/chromium) is not an executable. Install Debian's: sudo apt-get install chromium (.ci/run does), or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  });
});
