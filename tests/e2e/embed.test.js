// End-to-end test of embed mode against the release build in dist/: the shipped example page
// shows two working embeds without the playground's chrome; the first autoplays, the second
// runs only once scrolled into view, starts at its `start` time and stays read-only; both
// link out to the full playground with their scenario.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { recordProblems, siteAndBrowser } from './harness.js';

const shared = siteAndBrowser();

test('the example page shows two working embeds', async () => {
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = recordProblems(page);
  await page.goto(`${shared.site.url}embed-example.html`);

  const general = page.frameLocator('#embed-general');
  const finalizer = page.frameLocator('#embed-finalizer');

  // The first embed is in view: it runs and plays on its own, without the top bar.
  await general.locator('.marker[data-object="Pod/default/web-0"]').first().waitFor({ timeout: 60_000 });
  assert.equal(await general.locator('.topbar').count(), 0, 'no chrome in an embed');
  assert.equal(await general.locator('[data-editor]').count(), 0, 'only the panels asked for');
  await general.locator('.inspector').first().waitFor();
  const clock = general.locator('.clock');
  // Autoplay moves the cursor on its own: the run is a virtual minute, which it may already
  // have played to its end by now, so it is enough that the cursor left the start.
  await page.waitForFunction(
    () => Number(document.querySelector('#embed-general').contentDocument?.querySelector('.clock')?.dataset.positionMs) > 0,
    undefined,
    { timeout: 30_000 },
  );
  assert.ok(Number(await clock.getAttribute('data-position-ms')) > 0, 'autoplay moves the cursor');

  // The second is below the fold: nothing has run there yet.
  const frame = page.frames().find((f) => f.url().includes('start=55s'));
  assert.ok(frame, 'the second embed is loaded');
  await frame.locator('.app.embed').waitFor();
  assert.equal(await frame.locator('.marker').count(), 0, 'no simulation before it is in view');

  await page.locator('#embed-finalizer').scrollIntoViewIfNeeded();
  await finalizer.locator('.marker[data-object="Pod/default/db-0"]').first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(
    () => document.querySelector('#embed-finalizer').contentDocument?.querySelector('.clock')?.dataset.positionMs === '55000',
  );
  assert.equal(await finalizer.locator('button.play').getAttribute('data-playing'), 'false', 'no autoplay asked');

  // Read-only: the Stages editor is shown but cannot be changed.
  const editor = finalizer.locator('[data-editor="stages"] textarea');
  await editor.waitFor();
  assert.ok(await editor.isDisabled(), 'the editor is disabled');
  const text = await editor.inputValue();
  await editor.press('a', { timeout: 1_000 }).catch(() => {});
  assert.equal(await editor.inputValue(), text);

  // Each links out to the full playground with its scenario.
  for (const embed of [general, finalizer]) {
    const href = await embed.locator('a.open-playground').getAttribute('href');
    assert.match(href, /\/playground\/(index\.html)?#v1\./);
    assert.doesNotMatch(href, /embed=1/);
  }

  assert.deepEqual(errors, []);
  await context.close();
});
