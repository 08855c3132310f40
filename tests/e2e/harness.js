// What the end-to-end test files share: the served release build and one Chromium for all
// of a file's tests, and a record of what a page reports as going wrong.

import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

import { serveDist, launchOptions } from './dist-server.js';

// Serves dist/ and starts Chromium before the file's tests, and stops both after them. The
// returned object's `site` and `browser` are set by the time a test runs.
export function siteAndBrowser() {
  const shared = { site: undefined, browser: undefined };
  before(async () => {
    shared.site = await serveDist();
    shared.browser = await chromium.launch(launchOptions());
  });
  after(async () => {
    await shared.browser?.close();
    await shared.site?.close();
  });
  return shared;
}

// Collects the page's console errors and warnings and its uncaught exceptions in `problems`.
export function recordProblems(page, problems = []) {
  page.on('console', (message) => {
    if (['error', 'warning'].includes(message.type())) problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  return problems;
}

// A page in a browser context of its own (its own storage) at `path` of the served build,
// recording what it reports as going wrong in `errors`.
export async function freshPage(shared, path = '', viewport = { width: 1440, height: 900 }) {
  const context = await shared.browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = recordProblems(page);
  await page.goto(`${shared.site.url}${path}`);
  return { context, page, errors };
}

// Sets settings fields at once, so that they cause one run.
export async function setFields(page, values) {
  await page.evaluate((values) => {
    for (const [name, value] of Object.entries(values)) {
      const input = document.querySelector(`input[name="${name}"]`);
      input.value = value;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }, values);
}

// Sets the scrubber to a virtual position, as dragging it does.
export async function scrub(page, ms) {
  await page.locator('.scrubber').evaluate((input, value) => {
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
}

// Opens the preset gallery and picks the preset `id`.
export async function choosePreset(page, id) {
  await page.locator('.gallery > button', { hasText: 'Presets' }).click();
  await page.locator(`.gallery-panel .preset[data-preset="${id}"]`).click();
}
