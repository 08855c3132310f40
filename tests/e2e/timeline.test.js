// End-to-end tests of the timeline against the release build in dist/: the legend names the
// Stages of the run on show and no others, lane names win over the phase pill in narrow
// views, the selection ring marks the play the inspector shows (after a click, End, steps
// and playing, and in the example page's autoplaying embed), the page's stepping keys win
// over the scrubber's own when it has the focus, a user action is marked on its object's
// lane and the inspector shows the object as the action left it once the cursor is past it
// (also when no Stage matches the new version while a job of an earlier one is still due),
// and an embed's bound banner points its reader at the playground instead of a panel it
// does not have.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { recordProblems, siteAndBrowser } from './harness.js';

const shared = siteAndBrowser();

// A page in a browser context of its own, recording every console error or
// warning and uncaught exception.
async function fresh(path = '', viewport = { width: 1440, height: 900 }) {
  const context = await shared.browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = recordProblems(page);
  await page.goto(`${shared.site.url}${path}`);
  return { context, page, errors };
}

const ran = (page) => page.locator('.status.good').waitFor({ timeout: 60_000 });
const position = async (page) => Number(await page.locator('.clock').getAttribute('data-position-ms'));
const legend = (page) => page.locator('.legend li').evaluateAll((items) => items.map((li) => li.textContent.trim()));
const markerTimes = (page) =>
  page.locator('.marker').evaluateAll((nodes) => [...new Set(nodes.map((n) => Number(n.dataset.timeMs)))].sort((a, b) => a - b));

// The Stages the drawn markers played, in the order they first played (ties in time keep
// the order of the lanes).
const playedStages = (page) =>
  page.locator('.marker').evaluateAll((nodes) => {
    const sorted = nodes
      .map((n, index) => ({ stage: n.dataset.stage, at: Number(n.dataset.timeMs), index }))
      .sort((a, b) => a.at - b.at || a.index - b.index);
    return [...new Set(sorted.map((m) => m.stage))];
  });

// Sets the scrubber to a virtual position, as dragging it does.
const scrub = (page, ms) =>
  page.locator('.scrubber').evaluate((input, value) => {
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);

async function choosePreset(page, id) {
  await page.locator('.gallery > button', { hasText: 'Presets' }).click();
  await page.locator(`.gallery-panel .preset[data-preset="${id}"]`).click();
}

test('the legend names exactly the Stages of the run on show', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);
  const first = await legend(page);
  assert.ok(first.includes('pod-ready') && first.includes('node-heartbeat'), `default legend: ${first}`);
  assert.deepEqual(new Set(first), new Set(await playedStages(page)));
  assert.equal(new Set(first).size, first.length, 'no Stage twice');

  await choosePreset(page, 'jitter');
  await page.waitForFunction(() => document.querySelectorAll('.marker[data-stage="pod-ready"]').length === 0);
  await ran(page);
  const jitter = await legend(page);
  const played = await playedStages(page);
  assert.ok(played.length > 0, 'the preset plays');
  assert.deepEqual(jitter.toSorted(), played.toSorted(), 'the legend names what the jitter preset played');
  assert.ok(!jitter.includes('pod-ready'), `no Stage of the earlier run: ${jitter}`);

  await choosePreset(page, 'default');
  await page.locator('.marker[data-stage="pod-ready"]').first().waitFor({ timeout: 60_000 });
  await ran(page);
  const again = await legend(page);
  assert.deepEqual(again.toSorted(), first.toSorted(), 'back on the default, its Stages only');
  for (const stage of jitter.filter((s) => !first.includes(s))) {
    assert.ok(!again.includes(stage), `${stage} is not in the default scenario`);
  }

  assert.deepEqual(errors, []);
  await context.close();
});

test('with the scrubber focused the arrows step from play to play', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);
  const times = await markerTimes(page);

  // A click on the scrubber at a tenth of its width moves the clock there and focuses it.
  const scrubber = page.locator('.scrubber');
  const box = await scrubber.boundingBox();
  await scrubber.click({ position: { x: box.width / 10, y: box.height / 2 } });
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'scrubber');
  const clicked = await position(page);
  assert.ok(clicked > 0, `the click moved the clock to ${clicked}`);

  await page.keyboard.press('ArrowRight');
  const next = times.find((t) => t > clicked);
  assert.equal(await position(page), next, 'ArrowRight goes to the next play, not 1 ms on');
  await page.keyboard.press('ArrowRight');
  assert.equal(await position(page), times.find((t) => t > next));
  await page.keyboard.press('ArrowLeft');
  assert.equal(await position(page), next);
  await page.keyboard.press('Home');
  assert.equal(await position(page), 0);
  await page.keyboard.press('End');
  assert.equal(await position(page), Number(await scrubber.getAttribute('max')));

  // The slider still takes a drag.
  await scrubber.click({ position: { x: box.width / 2, y: box.height / 2 } });
  const middle = await position(page);
  const end = Number(await scrubber.getAttribute('max'));
  assert.ok(Math.abs(middle - end / 2) < end / 20, `the middle of the slider is ${middle} of ${end}`);

  assert.deepEqual(errors, []);
  await context.close();
});

test('a label edit is marked on its lane and the inspector shows what it left', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);
  const web0 = 'Pod/default/web-0';
  const marks = page.locator(`.lane[data-lane="${web0}"] .action-mark`);
  assert.equal(await marks.count(), 0);

  await page.locator(`.lane[data-lane="${web0}"] .lane-label`).click();
  await scrub(page, 30_000);
  await page.locator('input[name="edit-key"]').fill('tier');
  await page.locator('input[name="edit-value"]').fill('frontend');
  await page.locator('button[name="edit-object"]').click();
  await page.locator('.user-action').filter({ hasText: 'labels tier=frontend' }).waitFor();

  const mark = page.locator(`.lane[data-lane="${web0}"] .action-mark[data-action="edit"]`);
  await mark.waitFor({ timeout: 30_000 });
  assert.equal(await mark.getAttribute('data-action-ms'), '30000');
  assert.equal(await mark.getAttribute('data-refused'), null);
  assert.equal(await page.locator('.action-mark').count(), 1, 'only the edited object is marked');

  // No Stage reacts to the label, so the last play shown is from before the edit; once the
  // cursor is past the edit, the inspector shows the object as the edit left it, the new
  // label marked as added.
  const edited = page.locator('.inspector .user-version[data-user-action="edit"]');
  await scrub(page, 20_000);
  await page.locator('.inspector [data-inspected-object]').waitFor();
  assert.equal(await page.locator('.inspector [data-user-action]').count(), 0, 'before the edit there is nothing to say');
  await scrub(page, 60_000);
  await edited.waitFor({ timeout: 30_000 });
  assert.equal(await edited.getAttribute('data-action-ms'), '30000');
  assert.match(await edited.locator('h3').innerText(), /after your edit at 0:30\.000/i);
  const added = await edited.locator('.line.added').allInnerTexts();
  assert.ok(added.some((line) => /tier: frontend/.test(line)), `added lines: ${added}`);
  // Besides the label, only the resourceVersion changed.
  const removed = await edited.locator('.line.removed').allInnerTexts();
  assert.ok(removed.every((line) => /resourceVersion:/.test(line)), `removed lines: ${removed}`);
  assert.equal(added.length, removed.length + 1, `added lines: ${added}`);
  assert.equal(await page.locator('.inspector .play[data-inspected-object]').count(), 1, 'the play before it follows');

  // A delete without a grace period takes web-1 out of the store at once.
  const web1 = 'Pod/default/web-1';
  await page.locator(`.lane[data-lane="${web1}"] .lane-label`).click();
  await scrub(page, 40_000);
  await page.locator('input[name="grace-period"]').fill('0');
  await page.locator('button[name="delete-object"]').click();
  await page.locator('.user-action').filter({ hasText: `delete ${web1}` }).waitFor();
  await page.locator(`.lane[data-lane="${web1}"] .action-mark[data-action="delete"]`).waitFor({ timeout: 30_000 });
  await scrub(page, 50_000);
  const deleted = page.locator('.inspector .user-version.deleted[data-user-action="delete"]');
  await deleted.waitFor({ timeout: 30_000 });
  assert.match(await deleted.innerText(), /^Deleted by you at 0:40\.000/);

  assert.deepEqual(errors, []);
  await context.close();
});

test('an edit no Stage matches while an earlier job is due shows the version it left', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);
  await choosePreset(page, 'jitter');
  const worker0 = 'Pod/default/worker-0';
  const lane = page.locator(`.lane[data-lane="${worker0}"]`);
  const start = lane.locator('.marker[data-stage="worker-start"]');
  await start.waitFor({ timeout: 60_000 });
  await ran(page);

  // worker-start's job for worker-0 is due 2 to 14 s after the start. At 1 s the pod stops
  // being a worker: its new version matches no Stage, and the job of the earlier one stays
  // due and plays as drawn.
  const due = Number(await start.getAttribute('data-time-ms'));
  await lane.locator('.lane-label').click();
  await scrub(page, 1_000);
  await page.locator('input[name="edit-key"]').fill('app');
  await page.locator('input[name="edit-value"]').fill('idle');
  await page.locator('button[name="edit-object"]').click();
  await page.locator('.user-action').filter({ hasText: 'labels app=idle' }).waitFor();
  await lane.locator('.action-mark[data-action="edit"]').waitFor({ timeout: 30_000 });
  await ran(page);
  assert.equal(Number(await start.getAttribute('data-time-ms')), due, 'the earlier job plays when it was due');
  assert.ok(due > 1_000, `worker-start plays after the edit: ${due}`);

  // Between the edit and that play the inspector shows the version the edit stored.
  await scrub(page, 1_500);
  const edited = page.locator('.inspector .user-version[data-user-action="edit"]');
  await edited.waitFor({ timeout: 30_000 });
  assert.match(await edited.locator('h3').innerText(), /after your edit at 0:01\.000/i);
  const added = await edited.locator('.line.added').allInnerTexts();
  const removed = await edited.locator('.line.removed').allInnerTexts();
  assert.ok(added.some((line) => /app: idle/.test(line)), `added lines: ${added}`);
  assert.ok(removed.some((line) => /app: worker/.test(line)), `removed lines: ${removed}`);
  assert.ok(
    [...added, ...removed].every((line) => /app: |resourceVersion:/.test(line)),
    `only the label and the resourceVersion changed: ${added} / ${removed}`,
  );
  assert.equal(await page.locator('.inspector .later-actions').count(), 0, 'nothing is said to be missing');

  // Once the job has played, the inspector shows that play, on the version it was matched on.
  await scrub(page, due);
  const played = page.locator(`.inspector .play[data-inspected-stage="worker-start"][data-inspected-object="${worker0}"]`);
  await played.waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('.inspector [data-user-action]').count(), 0, 'the play came after the edit');

  assert.deepEqual(errors, []);
  await context.close();
});

// Each lane's name as shown, and whether its text is cut.
const laneNames = (page) =>
  page.locator('.lane .lane-label').evaluateAll((labels) =>
    labels.map((label) => {
      const name = label.querySelector('.name');
      return { name: name.textContent, cut: name.scrollWidth > name.clientWidth + 1, phase: label.querySelector('.phase').textContent };
    }));

test('lane names win over the phase on a phone, in an embed and beside the inspector', async () => {
  const views = [
    ['phone', '', { width: 390, height: 844 }],
    ['embed', '?embed=1&readonly', { width: 800, height: 480 }],
    ['desktop', '', { width: 1440, height: 900 }],
  ];
  for (const [view, path, viewport] of views) {
    const { context, page, errors } = await fresh(path, viewport);
    await page.locator('.marker').first().waitFor({ timeout: 60_000 });
    await page.locator('.marker[data-stage="pod-complete"]').first().waitFor({ timeout: 60_000 });
    if (view === 'desktop') await page.locator('.lane[data-lane="Pod/default/report-7xk2p"] .lane-label').click();
    // At the end every lane has a phase to show.
    await page.keyboard.press('End');
    await page.waitForFunction(() => [...document.querySelectorAll('.lane .phase')].every((p) => p.textContent));
    const lanes = await laneNames(page);
    assert.equal(lanes.length, 4, view);
    assert.deepEqual(lanes.filter((lane) => lane.cut), [], `${view}: no name is cut`);
    assert.ok(lanes.every((lane) => lane.phase), `${view}: every phase shows`);
    assert.ok(lanes.some((lane) => lane.name.endsWith('web-0')) && lanes.some((lane) => lane.name.endsWith('web-1')), `${view}: ${JSON.stringify(lanes)}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

// The play the selection ring marks and the one the inspector shows, each as
// `stage on object at clock`; null when there is none.
const ringAndInspector = (frame) =>
  frame.evaluate(() => {
    const ring = [...document.querySelectorAll('.marker.selected')].map(
      (marker) => `${marker.dataset.stage} on ${marker.dataset.object} at ${marker.title.split(' · ')[1]}`,
    );
    const play = document.querySelector('.inspector .play');
    const played = [...(play?.querySelectorAll('dt') ?? [])].find((dt) => dt.textContent === 'Played');
    const inspected = play && played
      ? `${play.dataset.inspectedStage} on ${play.dataset.inspectedObject} at ${played.nextElementSibling.textContent}`
      : null;
    return { ring: ring.length === 0 ? null : ring.length === 1 ? ring[0] : ring, inspected };
  });

// Waits until the ring and the inspector name the same play and returns it.
async function agreed(frame, what) {
  let last;
  for (let tries = 0; tries < 100; tries++) {
    last = await ringAndInspector(frame);
    if (last.ring === last.inspected) return last.ring;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${what}: the ring marks ${last.ring}, the inspector shows ${last.inspected}`);
}

test('the selection ring marks the play the inspector shows', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);
  const web0 = 'Pod/default/web-0';
  const markers = page.locator(`.marker[data-object="${web0}"]`);
  const stages = await markers.evaluateAll((nodes) => nodes.map((n) => n.dataset.stage));
  assert.ok(stages.length >= 2 && stages[0] === 'pod-create', `web-0 plays ${stages}`);

  await markers.first().click();
  assert.match(await agreed(page, 'after a click'), /^pod-create on Pod\/default\/web-0/);
  // End moves the inspector to web-0's last play: the ring goes with it.
  await page.keyboard.press('End');
  assert.match(await agreed(page, 'after End'), new RegExp(`^${stages.at(-1)} on `));
  // Before web-0's first play there is nothing to show and nothing is ringed.
  await page.keyboard.press('Home');
  assert.equal(await agreed(page, 'after Home'), null);
  for (let step = 0; step < 4; step++) {
    await page.keyboard.press('ArrowRight');
    await agreed(page, `after step ${step + 1}`);
  }
  // Playing through web-0's plays at the fastest speed, and pausing at the end.
  await page.locator('select.speed').selectOption({ index: (await page.locator('select.speed option').count()) - 1 });
  await page.keyboard.press('Home');
  await markers.first().click();
  // The play button, since Space on the focused marker presses the marker.
  const play = page.locator('button.icon.play');
  await play.click();
  const last = Number(await markers.last().getAttribute('data-time-ms'));
  await page.waitForFunction((at) => Number(document.querySelector('.clock').dataset.positionMs) > at, last, { timeout: 60_000 });
  await play.click();
  assert.match(await agreed(page, 'after playing'), new RegExp(`^${stages.at(-1)} on `));
  assert.deepEqual(errors, []);
  await context.close();

  // The example page's first embed selects web-0 and plays to its end on its own.
  const example = await fresh('embed-example.html', { width: 1280, height: 900 });
  const frame = example.page.frames().find((f) => f.url().includes('autoplay'));
  assert.ok(frame, 'the autoplaying embed is loaded');
  await frame.locator('.marker').first().waitFor({ timeout: 60_000 });
  await example.page.waitForFunction(
    () => {
      const doc = document.querySelector('#embed-general').contentDocument;
      const clock = doc?.querySelector('.clock');
      return clock && Number(clock.dataset.positionMs) >= Number(doc.querySelector('.scrubber').max);
    },
    undefined,
    { timeout: 60_000 },
  );
  const shown = await agreed(frame, 'in the embed after autoplay');
  assert.match(shown ?? '', /on Pod\/default\/web-0/, `the embed shows ${shown}`);
  assert.deepEqual(example.errors, []);
  await example.context.close();
});

test('the horizon banner points at the controller panel, in an embed at the playground', async () => {
  const horizon = '.timeline-note.bound[data-stop="horizon"]';

  const full = await fresh();
  await ran(full.page);
  assert.match(await full.page.locator(horizon).innerText(), /controller panel/);
  assert.deepEqual(full.errors, []);
  await full.context.close();

  const embed = await fresh('?embed=1&readonly');
  await embed.page.locator(horizon).waitFor({ timeout: 60_000 });
  const text = await embed.page.locator(horizon).innerText();
  assert.doesNotMatch(text, /controller panel/);
  assert.match(text, /open it in the Stage Playground/);
  await embed.page.locator('a.open-playground').waitFor();
  assert.deepEqual(embed.errors, []);
  await embed.context.close();
});
