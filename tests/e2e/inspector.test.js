// End-to-end tests of the inspector against the release build in dist/: an object selected
// while it has no play at the cursor is named with the reason nothing has happened to it
// yet (its first play comes later, the run was cut short by Max plays, no Stage matched it
// and why each Stage did not) and shown as it was created, and once the cursor
// reaches its first play the inspector shows that play as before.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { choosePreset, freshPage, scrub, setFields, siteAndBrowser } from './harness.js';

const shared = siteAndBrowser();

const ran = (page) => page.locator('.status[data-status="ran"]').waitFor({ timeout: 60_000 });
const position = async (page) => Number(await page.locator('.clock').getAttribute('data-position-ms'));
const unplayed = (page, key) => page.locator(`.inspector .unplayed[data-unplayed-object="${key}"]`);
const selectLane = (page, key) => page.locator(`.lane[data-lane="${key}"] .lane-label`).click();

test('an object selected before its first play says when it comes and shows it as created', async () => {
  const { context, page, errors } = await freshPage(shared);
  await ran(page);
  const web0 = 'Pod/default/web-0';
  await scrub(page, 0);
  assert.equal(await position(page), 0);
  const first = Number(await page.locator(`.marker[data-object="${web0}"]`).first().getAttribute('data-time-ms'));
  assert.ok(first > 0, `web-0's first play is after the start: ${first}`);
  const stage = await page.locator(`.marker[data-object="${web0}"]`).first().getAttribute('data-stage');

  await selectLane(page, web0);
  const shown = unplayed(page, web0);
  await shown.waitFor();
  assert.equal(await shown.getAttribute('data-why'), 'not-yet');
  assert.equal(await shown.locator('.object-key').innerText(), web0);
  assert.equal(await shown.locator('.when').innerText(), 'No play yet at 0:00.000.');
  const seconds = (first / 1000).toFixed(3).padStart(6, '0');
  assert.equal(await shown.locator('.why').innerText(), `Its first play, ${stage}, comes at 0:${seconds}.`);
  assert.equal(await page.locator('.inspector .empty').count(), 0, 'not the generic hint');

  // The object as the store took it, from the object's full records.
  assert.equal(await shown.locator('h3').last().textContent(), 'Object as created at 0:00.000');
  const object = await shown.locator('pre.object').innerText({ timeout: 30_000 });
  assert.match(object, /name: web-0/);
  assert.match(object, /resourceVersion:/);
  assert.doesNotMatch(object, /phase: Running/, 'before any Stage wrote its status');

  // The moment of its first play, the play is shown as before.
  await scrub(page, first);
  await page.locator(`.inspector .play[data-inspected-object="${web0}"]`).waitFor();
  assert.equal(await page.locator('.inspector .unplayed').count(), 0);
  assert.equal(await page.locator('.inspector .play-head .stage-name').innerText(), stage);
  await page.locator('.inspector .play .object').first().waitFor({ timeout: 30_000 });

  // Back before it, the reason returns with the cursor's time.
  await scrub(page, first - 1);
  await shown.waitFor();
  assert.match(await shown.locator('.when').innerText(), /^No play yet at 0:0\d\.\d{3}\.$/);

  assert.deepEqual(errors, []);
  await context.close();
});

test('an object left without a play by Max plays says the run was cut short', async () => {
  const { context, page, errors } = await freshPage(shared);
  await ran(page);
  await setFields(page, { 'max-plays': '2' });
  await page.locator('.status.cut[data-status="ran"]').waitFor({ timeout: 30_000 });
  const empty = await page
    .locator('.lane')
    .evaluateAll((lanes) => lanes.filter((lane) => !lane.querySelector('.marker')).map((lane) => lane.dataset.lane));
  assert.ok(empty.length > 0, 'two plays leave lanes empty');
  const key = empty.find((lane) => lane.startsWith('Pod/')) ?? empty[0];

  await page.keyboard.press('End');
  await selectLane(page, key);
  const shown = unplayed(page, key);
  await shown.waitFor();
  assert.equal(await shown.getAttribute('data-why'), 'max-plays');
  assert.equal(await shown.locator('.when').count(), 0, 'it never plays, so not "yet"');
  assert.match(await shown.locator('.why').innerText(), /^Got no play: the run was cut short by Max plays at \d+:\d\d\.\d{3}/);
  const object = await shown.locator('pre.object').innerText({ timeout: 30_000 });
  assert.match(object, new RegExp(`name: ${key.split('/').at(-1)}`));

  assert.deepEqual(errors, []);
  await context.close();
});

test('an object no Stage matched says which Stage did not match and why', async () => {
  const { context, page, errors } = await freshPage(shared);
  await ran(page);
  await choosePreset(page, 'jitter');
  await page.locator('.marker[data-stage="worker-start"]').first().waitFor({ timeout: 60_000 });
  await ran(page);

  // The preset has no Stage for nodes: its node was never matched against one.
  await selectLane(page, 'Node/node-0');
  const node = unplayed(page, 'Node/node-0');
  await node.waitFor();
  assert.equal(await node.getAttribute('data-why'), 'no-stage');
  assert.match(await node.locator('.why').innerText(), /none is for its kind/);
  await node.locator('pre.object').waitFor({ timeout: 30_000 });

  // A pod that is not a worker: worker-start, the preset's one Stage, passes over it.
  const idle = 'Pod/default/idle-0';
  const objects = page.locator('[data-editor="objects"] textarea');
  const text = await objects.inputValue();
  await objects.fill(
    `${text}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: idle-0\n  namespace: default\n` +
      `  labels:\n    app: idle\nspec:\n  nodeName: node-0\n  containers:\n  - name: main\n    image: busybox:1.36\n`,
  );
  await page.locator(`.lane[data-lane="${idle}"]`).waitFor({ timeout: 60_000 });
  await ran(page);
  assert.equal(await page.locator(`.marker[data-object="${idle}"]`).count(), 0, 'idle-0 gets no play');

  await selectLane(page, idle);
  const shown = unplayed(page, idle);
  await shown.waitFor();
  assert.equal(await shown.getAttribute('data-why'), 'no-stage');
  assert.equal(await shown.locator('.why').innerText(), 'Got no play: no Stage matched it.');
  const missed = shown.locator('li[data-missed-stage="worker-start"]');
  await missed.waitFor({ timeout: 30_000 });
  assert.match(await missed.innerText(), /\.metadata\.labels\.app In \["worker"\].*idle/, 'the clause and the label it saw');
  assert.equal(await shown.locator('[data-missed-stage]').count(), 1);
  assert.match(await shown.locator('pre.object').innerText(), /app: idle/);

  assert.deepEqual(errors, []);
  await context.close();
});
