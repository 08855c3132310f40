// End-to-end tests of the timeline against the release build in dist/: the legend names the
// Stages of the run on show and no others, a lane's name and phase stay on one line level
// with its markers in narrow views (a long name is cut in the middle, its tail shows), the
// selection ring marks the play the inspector shows (after a click, End, steps and playing,
// and in the example page's autoplaying embed), an event reads whole in a narrow events pane,
// the page's stepping keys win over the scrubber's own when it has the focus, a user action
// is marked on its object's lane and the inspector shows the object as the action left it
// once the cursor is past it (also when no Stage matches the new version while a job of an
// earlier one is still due), and the horizon note is one muted line that points an embed's
// reader at the playground instead of a panel it does not have.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { choosePreset, freshPage, scrub, siteAndBrowser } from './harness.js';

const shared = siteAndBrowser();

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

test('the legend names exactly the Stages of the run on show', async () => {
  const { context, page, errors } = await freshPage(shared);
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

test('markers sit at their time in the zoomed window, early and late in the run', async () => {
  const { context, page, errors } = await freshPage(shared);
  await ran(page);
  await page.locator('select.zoom').selectOption('10000');
  for (const at of [0, 300_000]) {
    await scrub(page, at);
    // Each lane's markers inside the window: their centres must be as far apart as their
    // times, at the window's scale.
    const lanes = await page.locator('.lane').evaluateAll((nodes) => {
      const style = getComputedStyle(document.querySelector('.lanes'));
      const from = Number(style.getPropertyValue('--window-from'));
      const span = Number(style.getPropertyValue('--window-span'));
      return nodes.map((lane) => {
        const track = lane.querySelector('.track').getBoundingClientRect();
        const markers = [...lane.querySelectorAll('.marker')]
          .map((marker) => ({ t: Number(marker.dataset.timeMs), box: marker.getBoundingClientRect() }))
          .filter(({ t }) => t >= from && t <= from + span)
          .map(({ t, box }) => ({ t, x: box.left + box.width / 2 }));
        return { from, span, width: track.width, left: track.left, markers };
      });
    });
    let compared = 0;
    for (const { from, span, width, left, markers } of lanes) {
      assert.ok(span > 0 && span <= 10_000, `the window spans ${span} ms`);
      for (const { t, x } of markers) {
        const expected = left + ((t - from) / span) * width;
        assert.ok(Math.abs(x - expected) <= 6, `a marker at ${t} ms is at ${x}, expected near ${expected}`);
      }
      for (let n = 1; n < markers.length; n++) {
        const [a, b] = [markers[n - 1], markers[n]];
        const apart = ((b.t - a.t) / span) * width;
        assert.ok(Math.abs(b.x - a.x - apart) <= 1, `markers at ${a.t} and ${b.t} ms are ${b.x - a.x} px apart, not ${apart}`);
        compared += 1;
      }
    }
    if (at === 0) assert.ok(compared > 0, 'some lane has two markers in the first 10 s');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('with the scrubber focused the arrows step from play to play', async () => {
  const { context, page, errors } = await freshPage(shared);
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
  const { context, page, errors } = await freshPage(shared);
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
  const { context, page, errors } = await freshPage(shared);
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

// Each lane's label as laid out: the name's text and its visible tail, whether the tail or
// the phase is cut or they overlap, and the vertical centres of the name, the phase and the
// lane's markers.
const laneLabels = (page) =>
  page.locator('.lane').evaluateAll((lanes) =>
    lanes.map((lane) => {
      const label = lane.querySelector('.lane-label');
      const name = label.querySelector('.name');
      const head = name.querySelector('.head');
      const tail = name.querySelector('.tail');
      const phase = label.querySelector('.phase');
      const middle = (element) => {
        const box = element.getBoundingClientRect();
        return box.top + box.height / 2;
      };
      const box = (element) => element.getBoundingClientRect();
      return {
        key: lane.dataset.lane,
        title: label.title,
        name: name.textContent,
        tail: tail.textContent,
        tailShows: box(tail).left >= box(label).left && tail.scrollWidth <= tail.clientWidth,
        overlap: box(head).right > box(tail).left + 1 || box(tail).right > box(phase).left + 1 || box(phase).right > box(label).right + 1,
        phase: phase.textContent,
        phaseCut: phase.scrollWidth > phase.clientWidth,
        nameMiddle: middle(tail),
        phaseMiddle: middle(phase),
        markerMiddles: [...lane.querySelectorAll('.marker')].map(middle),
      };
    }));

test('a lane keeps its name and phase on one line, level with its markers', async () => {
  const views = [
    ['phone', '', { width: 390, height: 844 }],
    ['embed', '?embed=1&readonly', { width: 800, height: 480 }],
    ['desktop', '', { width: 1440, height: 900 }],
  ];
  for (const [view, path, viewport] of views) {
    const { context, page, errors } = await freshPage(shared, path, viewport);
    await page.locator('.marker[data-stage="pod-complete"]').first().waitFor({ timeout: 60_000 });
    if (view === 'desktop') await page.locator('.lane[data-lane="Pod/default/report-7xk2p"] .lane-label').click();
    // At the end every lane has a phase to show.
    await page.keyboard.press('End');
    await page.waitForFunction(() => [...document.querySelectorAll('.lane .phase')].every((p) => p.textContent));
    const lanes = await laneLabels(page);
    const report = `${view}: ${JSON.stringify(lanes)}`;
    assert.equal(lanes.length, 4, report);
    for (const lane of lanes) {
      assert.ok(lane.phase && !lane.phaseCut, `${view}: ${lane.key} shows its whole phase: ${report}`);
      assert.equal(lane.title, lane.key, `${view}: the title names the whole key`);
      assert.ok(lane.tailShows && !lane.overlap, `${view}: ${lane.key}'s tail shows beside the phase: ${report}`);
      assert.ok(Math.abs(lane.nameMiddle - lane.phaseMiddle) <= 2, `${view}: ${lane.key}'s name and phase share a line: ${report}`);
      for (const marker of lane.markerMiddles) {
        assert.ok(Math.abs(lane.nameMiddle - marker) <= 2, `${view}: ${lane.key}'s label is level with its markers: ${report}`);
      }
    }
    // The tail is what tells the pods apart.
    const tails = lanes.map((lane) => lane.tail);
    assert.ok(tails.includes('web-0') && tails.includes('web-1'), report);
    assert.ok(lanes.some((lane) => lane.key.endsWith('report-7xk2p') && lane.tail === '-7xk2p'), report);
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

// Waits until the ring and the inspector name the same play, one that `expected` matches
// (none when it is null), and returns it; fails with what each names when they do not come
// to that within five seconds.
async function agreed(frame, what, expected) {
  const wanted = (named) => (expected === null ? named === null : named !== null && expected.test(named));
  let last;
  for (let tries = 0; tries < 100; tries++) {
    last = await ringAndInspector(frame);
    if (last.ring === last.inspected && wanted(last.ring)) return last.ring;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${what}: the ring marks ${last.ring}, the inspector shows ${last.inspected}`);
}

test('the selection ring marks the play the inspector shows', async () => {
  const { context, page, errors } = await freshPage(shared);
  await ran(page);
  const web0 = 'Pod/default/web-0';
  const markers = page.locator(`.marker[data-object="${web0}"]`);
  const stages = await markers.evaluateAll((nodes) => nodes.map((n) => n.dataset.stage));
  assert.ok(stages.length >= 2 && stages[0] === 'pod-create', `web-0 plays ${stages}`);

  await markers.first().click();
  await agreed(page, 'after a click', /^pod-create on Pod\/default\/web-0 /);
  // End moves the inspector to web-0's last play: the ring goes with it.
  await page.keyboard.press('End');
  await agreed(page, 'after End', new RegExp(`^${stages.at(-1)} on Pod/default/web-0 `));
  // Before web-0's first play there is nothing to show and nothing is ringed.
  await page.keyboard.press('Home');
  await agreed(page, 'after Home', null);
  // Each step ends on some lane's play; the ring and the inspector name web-0's last play
  // at or before it, or nothing before its first.
  const plays = await markers.evaluateAll((nodes) => nodes.map((n) => [Number(n.dataset.timeMs), n.dataset.stage]));
  for (let step = 1; step <= 5; step++) {
    await page.keyboard.press('ArrowRight');
    const at = await position(page);
    const reached = plays.filter(([time]) => time <= at).at(-1);
    await agreed(page, `after step ${step} to ${at}`, reached ? new RegExp(`^${reached[1]} on Pod/default/web-0 `) : null);
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
  await agreed(page, 'after playing', new RegExp(`^${stages.at(-1)} on Pod/default/web-0 `));
  assert.deepEqual(errors, []);
  await context.close();

  // The example page's first embed selects web-0 and plays to its end on its own.
  const example = await freshPage(shared, 'embed-example.html', { width: 1280, height: 900 });
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
  await agreed(frame, 'in the embed after autoplay', /^pod-ready on Pod\/default\/web-0 /);
  assert.deepEqual(example.errors, []);
  await example.context.close();
});

// The events pane as laid out: whether the body scrolls sideways, and for each row whether
// the object and the message end inside the pane and the message sits below the object.
const eventRows = (page) =>
  page.locator('.events-body').evaluate((body) => {
    const pane = body.getBoundingClientRect();
    const rows = [...body.querySelectorAll('table.events tbody tr')].map((row) => {
      const object = row.querySelector('td.object');
      const message = row.querySelector('td.message');
      const o = object.getBoundingClientRect();
      const m = message.getBoundingClientRect();
      return {
        object: object.textContent,
        objectWhole: object.scrollWidth <= object.clientWidth + 1 && o.right <= pane.right + 1,
        messageInside: m.left >= pane.left && m.right <= pane.right + 1 && m.width > 40,
        messageBelow: m.top >= o.bottom - 1,
      };
    });
    return { sideways: body.scrollWidth > body.clientWidth + 1, rows };
  });

test('in the desktop side column and on a phone an event reads whole on two lines', async () => {
  for (const [view, viewport] of [['desktop', { width: 1440, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    const { context, page, errors } = await freshPage(shared, '', viewport);
    await ran(page);
    await page.keyboard.press('End');
    if (view === 'desktop') await page.locator('.side-tab[data-side-tab="events"]').click();
    await page.locator('table.events tbody tr').first().waitFor();
    const { sideways, rows } = await eventRows(page);
    const report = `${view}: ${JSON.stringify(rows)}`;
    assert.equal(sideways, false, `${view}: the pane does not scroll sideways`);
    assert.ok(rows.length >= 3, report);
    assert.ok(rows.some((row) => row.object === 'pod/web-0'), report);
    assert.ok(rows.every((row) => row.objectWhole && row.messageInside && row.messageBelow), report);
    assert.deepEqual(errors, []);
    await context.close();
  }
  // A pane wide enough keeps kubectl's columns (the whole width of a large tablet): the
  // message sits beside the object.
  const { context, page, errors } = await freshPage(shared, '', { width: 820, height: 900 });
  await ran(page);
  await page.keyboard.press('End');
  await page.locator('table.events tbody tr').first().waitFor();
  const { sideways, rows } = await eventRows(page);
  assert.equal(sideways, false);
  assert.ok(rows.length > 0 && rows.every((row) => row.objectWhole && !row.messageBelow), JSON.stringify(rows));
  assert.deepEqual(errors, []);
  await context.close();
});

// The horizon note as laid out: its text, its title, how many lines it takes and whether its
// colour is the warning colour.
const horizonNote = (page) =>
  page.locator('.timeline-note.bound[data-stop="horizon"]').evaluate((note) => {
    const style = getComputedStyle(note);
    const warn = getComputedStyle(document.documentElement).getPropertyValue('--warn');
    const probe = document.createElement('span');
    probe.style.color = warn;
    document.body.append(probe);
    const warning = getComputedStyle(probe).color === style.color;
    probe.remove();
    const lines = Math.round((note.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / parseFloat(style.lineHeight));
    return { text: note.textContent, title: note.title, lines, warning };
  });

test('the horizon note is one muted line that points at the controller panel, in an embed at the playground', async () => {
  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    const full = await freshPage(shared, '', viewport);
    await ran(full.page);
    const note = await horizonNote(full.page);
    assert.match(note.text, /heartbeats/);
    assert.match(note.text, /controller panel/);
    assert.equal(note.title, note.text.trim(), 'the title has the whole text when the line is cut');
    assert.equal(note.lines, 1, `${viewport.width}px: ${JSON.stringify(note)}`);
    assert.equal(note.warning, false, 'not in the warning colour');
    assert.deepEqual(full.errors, []);
    await full.context.close();
  }

  const embed = await freshPage(shared, '?embed=1&readonly');
  await embed.page.locator('.timeline-note.bound[data-stop="horizon"]').waitFor({ timeout: 60_000 });
  const note = await horizonNote(embed.page);
  assert.doesNotMatch(note.text, /controller panel/);
  assert.match(note.text, /open it in the Stage Playground/);
  assert.equal(note.lines, 1, JSON.stringify(note));
  await embed.page.locator('a.open-playground').waitFor();
  assert.deepEqual(embed.errors, []);
  await embed.context.close();
});
