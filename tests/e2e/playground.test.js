// End-to-end tests of the release build in dist/: the page loads the default scenario and
// draws a marker for every pod, a broken Stage is reported at its line, stepping and
// scrubbing move the inspected object's status, a pod deleted mid-run plays its deletion
// Stages, a runaway run is ended by Stop and by the time budget while the page keeps
// answering, the console stays clean, and screenshots of the main view (dark, light,
// phone) are kept in artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { launchOptions, serveDist } from './dist-server.js';
import { recordProblems, scrub, setFields } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');

let site;
let profile;
let context;

before(async () => {
  site = await serveDist();

  profile = await mkdtemp(join(tmpdir(), 'stage-e2e-'));
  context = await chromium.launchPersistentContext(profile, {
    ...launchOptions(),
    viewport: { width: 1600, height: 1000 },
  });
});

after(async () => {
  await context?.close();
  await site?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

// A fresh page that records every console error or warning and uncaught exception.
async function open() {
  const page = await context.newPage();
  const errors = recordProblems(page);
  await page.goto(site.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  return { page, errors };
}

const pods = ['Pod/default/web-0', 'Pod/default/web-1', 'Pod/default/report-7xk2p'];

// Adds a kwok-managed pod `name` on node-0 at the end of the objects editor, as one edit.
async function addPod(page, name) {
  const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: default\n` +
    'spec:\n  nodeName: node-0\n  containers:\n  - name: main\n    image: busybox\n';
  await page.locator('[data-editor="objects"] textarea').evaluate((area, text) => {
    area.value = `${area.value.trimEnd()}\n---\n${text}`;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, pod);
}

test('the default scenario draws markers for every pod and the node', async () => {
  const { page, errors } = await open();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });

  for (const pod of [...pods, 'Node/node-0']) {
    const markers = page.locator(`.marker[data-object="${pod}"]`);
    assert.ok((await markers.count()) > 0, `no marker for ${pod}`);
    const first = markers.first();
    assert.match((await first.getAttribute('data-time-ms')) ?? '', /^\d+$/);
    assert.ok(await first.getAttribute('data-stage'));
  }
  const stagesOf = async (key) =>
    page.locator(`.marker[data-object="${key}"]`).evaluateAll((nodes) => nodes.map((n) => n.dataset.stage));
  assert.equal((await stagesOf('Pod/default/web-0'))[0], 'pod-create');
  assert.ok((await stagesOf('Pod/default/report-7xk2p')).includes('pod-complete'), 'the Job pod completes');
  assert.equal((await stagesOf('Node/node-0'))[0], 'node-initialize');
  // Every marker is in the page, also those outside the zoomed window (the heartbeat goes
  // on to the 10-minute horizon while the view shows the first minute).
  const nodeTimes = await page
    .locator('.marker[data-object="Node/node-0"]')
    .evaluateAll((nodes) => nodes.map((n) => Number(n.dataset.timeMs)));
  assert.ok(Math.max(...nodeTimes) > 540_000, `the last heartbeat is at ${Math.max(...nodeTimes)} ms`);

  // Selecting a marker fills the inspector.
  await page.locator('.marker[data-object="Pod/default/web-0"]').first().click();
  await page.locator('.inspector [data-inspected-stage="pod-create"]').waitFor();

  await mkdir(artifacts, { recursive: true });
  await page.locator('.marker[data-object="Pod/default/web-0"][data-stage="pod-ready"]').first().click();
  // The run's answer is a summary; the play's full records arrive on demand: the object
  // with the play's changes marked, the rendered template text and every Stage's why.
  const inspector = page.locator('.inspector .play[data-inspected-stage="pod-ready"]');
  await inspector.locator('pre.object.diff').waitFor();
  assert.ok((await inspector.locator('pre.object .line.added').count()) > 0, 'the play changed lines');
  assert.match(await inspector.locator('pre.rendered').first().innerText(), /status:|phase|conditions/);
  const explained = inspector.locator('[data-explained-stage]');
  await explained.first().waitFor();
  assert.equal(await inspector.locator('[data-explained-stage="pod-ready"].matched').count(), 1);
  assert.ok((await explained.count()) > 1, 'every Stage of the kind is explained');
  await page.screenshot({ path: join(artifacts, 'main.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(artifacts, 'main-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(artifacts, 'main-light.png') });

  assert.deepEqual(errors, []);
  await page.close();
});

test('a first visit draws the default run without the engine, which the first edit loads', async () => {
  const page = await context.newPage();
  const errors = recordProblems(page);
  // Only the page's worker loads the engine's module: count the workers started.
  await page.addInitScript(() => {
    window.__workers = 0;
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(...args) {
        super(...args);
        window.__workers += 1;
      }
    };
  });
  // Nothing stored: the default scenario, as on a first visit.
  await page.goto(site.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  assert.ok((await page.locator('.marker[data-object="Pod/default/web-0"]').count()) > 0);
  const recorded = page.locator('[data-status]');
  assert.doesNotMatch(await recorded.innerText(), / ms$/);
  assert.equal(await recorded.getAttribute('title'), 'Run when the page was built; an edit runs it again');
  // Playing and scrubbing need no engine either.
  await scrub(page, 90_000);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__workers), 0, 'the first visit started the engine');

  // An edit is a new run: the page starts the engine's worker and draws its answer. The
  // engine module's names are fixed, so the page asks for them with the build's version.
  const engineUrls = [];
  await page.route('**/stage-worker*', (route) => {
    engineUrls.push(new URL(route.request().url()));
    return route.continue();
  });
  await addPod(page, 'web-9');
  await page.locator('.marker[data-object="Pod/default/web-9"][data-stage="pod-create"]').waitFor({ timeout: 30_000 });
  assert.equal(await page.evaluate(() => window.__workers), 1);
  assert.match(await page.locator('[data-status]').innerText(), /plays · .* · \d+ ms$/);
  const version = await page.locator('meta[name="stage-engine-version"]').getAttribute('content');
  assert.match(version ?? '', /^[0-9a-f]{16}$/);
  assert.deepEqual(
    engineUrls.map((url) => [url.pathname.split('/').pop(), url.searchParams.get('v')]).sort(),
    [['stage-worker.js', version], ['stage-worker_bg.wasm', version]],
  );

  assert.deepEqual(errors, []);
  await page.close();
});

test('an engine module that fails to load is reported, and the next edit tries again', async () => {
  const page = await context.newPage();
  const errors = recordProblems(page);
  await page.goto(site.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  let refuse = true;
  await page.route('**/stage-worker_bg.wasm*', (route) =>
    refuse ? route.fulfill({ status: 404, body: 'gone' }) : route.continue());

  await addPod(page, 'web-8');
  const status = page.locator('[data-status="failed"]');
  await status.waitFor({ timeout: 30_000 });
  assert.match(await status.innerText(), /stage-worker_bg\.wasm.*404/);

  refuse = false;
  await addPod(page, 'web-9');
  await page.locator('.marker[data-object="Pod/default/web-9"]').first().waitFor({ timeout: 30_000 });
  await page.locator('.status.good').waitFor();

  // The refused module is the browser's own console error; nothing else is.
  assert.deepEqual(errors.filter((error) => !/404|Failed to load resource/.test(error)), []);
  await page.close();
});

test('a panic in the engine is reported with its message, and the next edit runs', async () => {
  const page = await context.newPage();
  const errors = recordProblems(page);
  // An engine glue whose run panics the way the engine's hook reports a panic, then aborts.
  const panicking = `export default async function init() {}
export function run_request() {
  self.__stageEnginePanic('panicked at crate/src/sim/run.rs:1:2:\\nan invariant broke');
  throw new WebAssembly.RuntimeError('unreachable');
}`;
  await page.goto(site.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  // Only the first worker gets it (the first visit starts none): the one the failure
  // restarts loads the real engine.
  let workers = 0;
  await page.route('**/stage-worker.js*', (route) =>
    workers++ === 0 ? route.fulfill({ contentType: 'text/javascript', body: panicking }) : route.continue());

  await addPod(page, 'web-8');
  const status = page.locator('[data-status="failed"]');
  await status.waitFor({ timeout: 30_000 });
  assert.equal(
    await status.textContent(),
    'The engine failed: panicked at crate/src/sim/run.rs:1:2:\nan invariant broke',
  );

  await addPod(page, 'web-9');
  await page.locator('.marker[data-object="Pod/default/web-9"]').first().waitFor({ timeout: 30_000 });

  assert.deepEqual(errors, []);
  await page.close();
});

test('a broken Stage is reported at its line', async () => {
  const { page, errors } = await open();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });

  const broken = [
    'apiVersion: kwok.x-k8s.io/v1alpha1',
    'kind: Stage',
    'metadata:',
    '  name: broken',
    'spec:',
    '  resourceRef:',
    '    apiGroup: v1',
    '    kind: Pod',
    '  selector:',
    '    matchExpressions:',
    "    - key: '.status.phase'",
    '      operator: Sometimes',
    // Lines after the broken one, so that the editor must scroll to show it.
    ...Array.from({ length: 200 }, (_, n) => `# note ${n}`),
    '',
  ].join('\n');
  await page.locator('[data-editor="stages"] textarea').fill(broken);

  const mark = page.locator('[data-editor="stages"] .gutter [data-error-line="12"]');
  await mark.waitFor({ timeout: 30_000 });
  const problem = page.locator('[data-editor="stages"] .problem[data-line="12"]');
  await problem.waitFor();
  assert.match(await problem.innerText(), /stages:12/);
  await page.locator('[data-editor="stages"] .highlight .line.err').first().waitFor();

  // From the end of the text, clicking the problem scrolls its line into the editor's view.
  const body = page.locator('[data-editor="stages"] .editor-body');
  await body.evaluate((element) => { element.scrollTop = element.scrollHeight; });
  await problem.click();
  const view = await body.evaluate((element) => {
    const line = element.querySelector('.highlight .line.err').getBoundingClientRect();
    const box = element.getBoundingClientRect();
    return { lineTop: line.top - box.top, lineBottom: line.bottom - box.top, height: element.clientHeight };
  });
  assert.ok(view.lineTop >= 0 && view.lineBottom <= view.height, `line 12 out of view: ${JSON.stringify(view)}`);
  const caret = await page.locator('[data-editor="stages"] textarea').evaluate((area) =>
    area.value.slice(0, area.selectionStart).split('\n').length);
  assert.equal(caret, 12);

  assert.deepEqual(errors, []);
  await page.close();
});

// Replaces an editor's text in one input event, as a paste does (typing it out through
// the automation protocol takes far longer than the page needs).
async function setText(page, editor, text) {
  await page.locator(`[data-editor="${editor}"] textarea`).evaluate((area, text) => {
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}


const phaseOf = (page, key) => page.locator(`.lane[data-lane="${key}"] .phase`).innerText();

test('stepping and scrubbing move the inspected object through its stages', async () => {
  const { page, errors } = await open();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  const web0 = 'Pod/default/web-0';
  await page.locator(`.lane[data-lane="${web0}"] .lane-label`).click();

  // At the start nothing has played yet.
  await page.keyboard.press('Home');
  assert.equal(await page.locator('.clock').getAttribute('data-position-ms'), '0');
  assert.equal((await phaseOf(page, web0)).trim(), '');

  // Step to each of web-0's markers; the phase at the marker is the one its play set.
  const times = await page
    .locator(`.marker[data-object="${web0}"]`)
    .evaluateAll((nodes) => nodes.map((n) => Number(n.dataset.timeMs)));
  const create = times[0];
  await scrub(page, create - 1);
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('.clock').getAttribute('data-position-ms'), String(create));
  assert.equal((await phaseOf(page, web0)).trim(), 'Pending');
  await page.locator('.inspector [data-inspected-stage="pod-create"]').waitFor();

  // The end of the run shows web-0 Running and ready.
  await page.keyboard.press('End');
  assert.equal((await phaseOf(page, web0)).trim(), 'Running');
  // Lanes whose objects were never selected show their phase too.
  assert.equal((await phaseOf(page, 'Pod/default/web-1')).trim(), 'Running');
  assert.equal((await phaseOf(page, 'Pod/default/report-7xk2p')).trim(), 'Succeeded');
  await page.locator('.inspector [data-inspected-stage="pod-ready"]').waitFor();

  // Scrubbing back gives the same picture as stepping did.
  await scrub(page, create);
  assert.equal((await phaseOf(page, web0)).trim(), 'Pending');
  await page.keyboard.press('ArrowLeft');
  assert.ok(Number(await page.locator('.clock').getAttribute('data-position-ms')) < create);

  assert.deepEqual(errors, []);
  await page.close();
});

test('a pod deleted mid-run plays its deletion stages', async () => {
  const { page, errors } = await open();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  const web0 = 'Pod/default/web-0';
  assert.equal(await page.locator(`.marker[data-object="${web0}"][data-stage="pod-delete"]`).count(), 0);

  await page.locator(`.lane[data-lane="${web0}"] .lane-label`).click();
  await scrub(page, 120_000);
  await page.locator('input[name="grace-period"]').fill('10');
  await page.locator('button[name="delete-object"]').click();
  await page.locator('.user-action').filter({ hasText: 'delete Pod/default/web-0' }).waitFor();

  const deleted = page.locator(`.marker[data-object="${web0}"][data-stage="pod-delete"]`);
  await deleted.waitFor({ timeout: 30_000 });
  const at = Number(await deleted.getAttribute('data-time-ms'));
  assert.ok(at >= 120_000 && at <= 130_000, `pod-delete at ${at} ms`);
  // Only web-0 is deleted, and its lane ends.
  assert.equal(await page.locator('.marker[data-stage="pod-delete"]').count(), 1);
  await page.locator(`.lane[data-lane="${web0}"] .gone`).waitFor();

  // Between the delete and pod-delete's play, the inspector shows the pod as the delete
  // left it: marked for deletion.
  assert.ok(at > 120_000, 'pod-delete plays after the delete');
  await scrub(page, 120_000);
  const marked = page.locator('.inspector .user-version[data-user-action="delete"]');
  await marked.waitFor({ timeout: 30_000 });
  const added = await marked.locator('.line.added').allInnerTexts();
  assert.ok(added.some((line) => /deletionTimestamp:/.test(line)), `added lines: ${added}`);
  await scrub(page, at);
  await page.locator('.inspector [data-inspected-stage="pod-delete"]').waitFor();
  assert.equal(await marked.count(), 0, 'pod-delete played after the delete');

  // Removing the action brings the pod back.
  await page.locator('.user-action button.remove').click();
  await page.waitForFunction(
    () => document.querySelectorAll('.marker[data-stage="pod-delete"]').length === 0 &&
      document.querySelector('[data-status="ran"]'),
    null,
    { timeout: 30_000 },
  );

  assert.deepEqual(errors, []);
  await page.close();
});

test('Stop and the time budget end a runaway run while the page keeps answering', async () => {
  const { page, errors } = await open();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });

  // Two hundred nodes with a heartbeat every 20-25 s, for a hundred thousand minutes.
  const nodes = Array.from({ length: 200 }, (_, i) =>
    `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-${i}\n  annotations:\n    kwok.x-k8s.io/node: fake\n`,
  ).join('---\n');
  await setText(page, 'objects', nodes);
  await page.locator('[data-status="ran"]').waitFor({ timeout: 60_000 });
  await setFields(page, { 'max-plays': '1000000000', horizon: '100000m' });
  await page.locator('[data-status="running"]').waitFor({ timeout: 10_000 });

  // The page answers while the worker runs: the gallery opens and closes.
  await page.locator('.gallery > button').click();
  await page.locator('.gallery-panel.open').waitFor({ timeout: 2_000 });
  await page.keyboard.press('Escape');

  // A field still being typed in commits its edit as Stop takes the focus; Stop ends the
  // run that edit would start too.
  await page.locator('input[name="max-plays"]').fill('2000000000');
  await page.locator('button.stop').click();
  const stopped = page.locator('[data-status="stopped"]');
  await stopped.waitFor({ timeout: 2_000 });
  assert.match(await stopped.innerText(), /Stopped after/);
  await page.waitForTimeout(1_000);
  assert.equal(await page.locator('[data-status="running"]').count(), 0);
  assert.match(await stopped.innerText(), /Stopped after/);

  // Run again and let the budget end it.
  await page.locator('button.run').click();
  await page.locator('[data-status="running"]').waitFor({ timeout: 2_000 });
  await stopped.waitFor({ timeout: 20_000 });
  assert.match(await stopped.innerText(), /budget/);

  // A fresh worker answers the next run.
  await setFields(page, { 'max-plays': '10000', horizon: '1m' });
  await page.locator('[data-status="ran"]').waitFor({ timeout: 30_000 });

  assert.deepEqual(errors, []);
  await page.close();
});

test('the phone layout puts the timeline first', async () => {
  const { page, errors } = await open();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  const top = (selector) => page.locator(selector).first().evaluate((n) => n.getBoundingClientRect().top);
  assert.ok((await top('.timeline')) < (await top('[data-editor="stages"]')), 'the timeline comes first');
  assert.ok((await top('.inspector')) < (await top('.config')), 'the controller comes after the inspector');
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'phone.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a thousand pods: the objects editor shows them plain and the timeline draws a page of lanes', async () => {
  const { page, errors } = await open();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  const node = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: node-0\n  annotations:\n    kwok.x-k8s.io/node: fake\nspec: {}\n';
  const pod = (n) =>
    `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-${n}\n  namespace: default\n  labels:\n    app: web\n` +
    `spec:\n  nodeName: node-0\n  containers:\n  - name: web\n    image: nginx:1.27\n`;
  const text = node + Array.from({ length: 1000 }, (_, n) => pod(n)).join('');
  assert.ok(text.length > 100_000, 'the text is above the size that is coloured');
  await setText(page, 'objects', text);

  const editor = page.locator('[data-editor="objects"]');
  await editor.locator('textarea.plain').waitFor();
  assert.equal(await editor.locator('.highlight .line').count(), 0, 'no coloured lines');
  const numbers = await editor.locator('.gutter pre.nums').innerText();
  assert.equal(numbers.trim().split('\n').length, text.split('\n').length, 'every line is numbered');

  // The plain text fills its panel and scrolls with the gutter, instead of being a textarea
  // of two rows whose text vanishes as the gutter scrolls.
  const box = (locator) => locator.evaluate((n) => ({ height: n.getBoundingClientRect().height, scroll: n.scrollHeight }));
  const area = await box(editor.locator('textarea.plain'));
  const body = await box(editor.locator('.editor-body'));
  assert.ok(area.height >= body.height, `the textarea is ${area.height} px in a body of ${body.height} px`);
  assert.ok(area.height >= area.scroll, `the textarea is ${area.height} px for ${area.scroll} px of text`);
  const gutter = await box(editor.locator('.gutter'));
  assert.ok(Math.abs(area.height - gutter.height) < 40, `textarea ${area.height} px, gutter ${gutter.height} px`);

  const more = page.locator('.lanes-more');
  await more.waitFor({ timeout: 120_000 });
  // The controller keeps its height beside a timeline of many lanes.
  const config = await box(page.locator('.config'));
  assert.ok(config.height >= config.scroll && config.height > 60, `the controller is ${config.height} px of ${config.scroll}`);
  await page.locator('input[name="max-plays"]').scrollIntoViewIfNeeded();
  assert.ok(await page.locator('input[name="max-plays"]').isVisible());
  assert.equal(await more.getAttribute('data-total'), '1001');
  assert.equal(await page.locator('.lane').count(), 100);
  await more.locator('button').click();
  await page.waitForFunction(() => document.querySelectorAll('.lane').length === 200);
  assert.equal(await more.getAttribute('data-drawn'), '200');

  assert.deepEqual(errors, []);
  await page.close();
});

test('a large selection is cut or deleted by the page, a small one by the browser', async () => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const { page, errors } = await open();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  const node = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: node-0\nspec: {}\n';
  const pod = (n) => `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-${n}\n  namespace: default\nspec:\n  nodeName: node-0\n`;
  // 300 pods are well above the size the page deletes itself.
  const text = node + Array.from({ length: 300 }, (_, n) => pod(n)).join('');
  assert.ok(text.length > 3 * 8192, `${text.length} characters`);
  await setText(page, 'objects', text);
  const area = page.locator('[data-editor="objects"] textarea');
  const select = (from, to) => area.evaluate((a, [from, to]) => { a.focus(); a.setSelectionRange(from, to); }, [from, to]);
  // What the page did with each key press and cut in the editor, as seen after its own
  // handlers: whether it took the event from the browser, and what it put on the clipboard.
  await page.evaluate(() => {
    window.seen = [];
    for (const type of ['keydown', 'cut']) {
      window.addEventListener(type, (event) => {
        if (event.target.tagName !== 'TEXTAREA' || event.key === 'Control') return;
        window.seen.push({ type, taken: event.defaultPrevented, cut: event.clipboardData?.getData('text/plain').length });
      });
    }
  });
  const seen = () => page.evaluate(() => window.seen.splice(0));
  const value = () => area.inputValue();

  // Ctrl+X after the node: the node stays, the pods are on the clipboard, and the browser
  // never got to its own cut.
  const keep = node.length;
  await select(keep, text.length);
  await page.keyboard.press('Control+X');
  await page.waitForFunction((node) => document.querySelector('[data-editor="objects"] textarea').value === node, node);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text.slice(keep));
  assert.deepEqual(await seen(), [{ type: 'keydown', taken: true, cut: undefined }]);
  // The run follows the text: only the node is left.
  await page.waitForFunction(() => document.querySelectorAll('.lane').length === 1, null, { timeout: 60_000 });

  // A cut from a menu reaches the page as a cut event, which it takes the same way.
  await setText(page, 'objects', text);
  await select(keep, text.length);
  await area.evaluate(() => document.execCommand('cut'));
  assert.equal(await value(), node);
  assert.deepEqual(await seen(), [{ type: 'cut', taken: true, cut: text.length - keep }]);

  // Backspace and Delete over a large selection.
  await setText(page, 'objects', text);
  await select(0, text.length);
  await page.keyboard.press('Backspace');
  assert.equal(await value(), '');
  await setText(page, 'objects', text);
  await select(keep, text.length - pod(299).length);
  await page.keyboard.press('Delete');
  assert.equal(await value(), node + pod(299));
  assert.deepEqual((await seen()).map((e) => [e.type, e.taken]), [['keydown', true], ['keydown', true]]);

  // A small selection is the browser's, which keeps its undo step.
  await select(0, 4);
  await page.keyboard.press('Backspace');
  assert.equal(await value(), (node + pod(299)).slice(4));
  assert.deepEqual((await seen()).map((e) => [e.type, e.taken]), [['keydown', false]]);

  assert.deepEqual(errors, []);
  await page.close();
});

test('at 1440x900 the inspector facts and the actions fit their panels', async () => {
  const { page, errors } = await open();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  await page.locator('.marker[data-object="Pod/default/web-0"][data-stage="pod-create"]').click();
  const facts = page.locator('.inspector .play[data-inspected-stage="pod-create"] .facts');
  await facts.waitFor();
  const overflow = await facts.evaluate((list) => {
    const right = list.getBoundingClientRect().right;
    return [...list.children].filter((n) => n.getBoundingClientRect().right > right + 1).map((n) => n.textContent);
  });
  assert.deepEqual(overflow, [], 'every fact ends inside the inspector');
  assert.ok(await facts.getByText(/^#\d+$/).isVisible(), 'the play number shows');

  const panel = await page.locator('.actions-panel').boundingBox();
  const edit = await page.locator('button[name="edit-object"]').boundingBox();
  assert.ok(edit.y + edit.height <= panel.y + panel.height, `Edit ends at ${edit.y + edit.height}, the panel at ${panel.y + panel.height}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('at 1440x900 the events are one tab away and show without scrolling', async () => {
  const { page, errors } = await open();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  await page.keyboard.press('End');
  await page.locator('.side-tab[data-side-tab="events"]').click();
  assert.equal(await page.locator('.side-tab[aria-selected="true"]').getAttribute('data-side-tab'), 'events');
  assert.equal(await page.locator('.actions-panel').isVisible(), false, 'the events take the column');

  // The first event rows lie inside the viewport and inside their panel, with no scroller
  // moved: the column and the page are at their tops.
  const rows = page.locator('table.events tbody tr');
  assert.ok((await rows.count()) >= 3, 'the default run has events by its end');
  const panel = await page.locator('.events-panel').boundingBox();
  for (const index of [0, 1, 2]) {
    const row = await rows.nth(index).boundingBox();
    assert.ok(row.y + row.height <= Math.min(900, panel.y + panel.height), `event row ${index} ends at ${row.y + row.height}`);
  }
  assert.deepEqual(await page.evaluate(() => [document.querySelector('.side').scrollTop, document.scrollingElement.scrollTop]), [0, 0]);

  await page.locator('.side-tab[data-side-tab="actions"]').click();
  assert.ok(await page.locator('button[name="edit-object"]').isVisible(), 'the actions are back');

  // They behave as ARIA tabs: each names the panel it shows, the selected one alone is in
  // the Tab order, and the arrow keys move between them.
  for (const name of ['actions', 'events']) {
    const panelId = await page.locator(`.side-tab[data-side-tab="${name}"]`).getAttribute('aria-controls');
    assert.equal(await page.locator(`#${panelId}`).getAttribute('role'), 'tabpanel');
  }
  assert.deepEqual(await page.locator('.side-tab').evaluateAll((tabs) => tabs.map((tab) => tab.tabIndex)), [0, -1]);
  await page.locator('.side-tab[data-side-tab="actions"]').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.sideTab), 'events');
  assert.equal(await page.locator('.actions-panel').isVisible(), false, 'ArrowRight shows the events');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.sideTab), 'actions', 'and wraps around');
  assert.deepEqual(errors, []);
  await page.close();
});

test('LAST SEEN counts whole seconds as kubectl does', async () => {
  const { page, errors } = await open();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  const created = page.locator('.marker[data-object="Pod/default/web-0"][data-stage="pod-create"]');
  const at = Number(await created.getAttribute('data-time-ms'));
  // The event is kept at its whole second and the age drops its fraction: two seconds after
  // it, whatever its milliseconds, the age is 2s.
  await scrub(page, at + 2000);
  await page.locator('.side-tab[data-side-tab="events"]').click();
  const row = page.locator('table.events tr[data-event-reason="Created"]').filter({ hasText: 'pod/web-0' });
  await row.waitFor();
  assert.match(await row.locator('td').nth(1).innerText(), /^2s/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a run cut short by the play bound has an amber status dot and counts the objects left out', async () => {
  const { page, errors } = await open();
  await page.locator('.status.good').waitFor({ timeout: 60_000 });
  await setFields(page, { 'max-plays': '2' });
  await page.locator('.status.cut[data-status="ran"]').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('.status').innerText(), /most plays/);
  assert.equal(await page.locator('.status.good').count(), 0);

  // Two plays reach two of the four objects; the banner counts the lanes left empty.
  const banner = await page.locator('.timeline-note.bound[data-stop="maxplays"]').innerText();
  const [, unplayed, all] = banner.match(/(\d+) of the (\d+) objects got no play at all/) ?? [];
  const empty = await page.locator('.lane').evaluateAll((lanes) => lanes.filter((lane) => !lane.querySelector('.marker')).length);
  assert.equal(Number(all), await page.locator('.lane').count(), banner);
  assert.equal(Number(unplayed), empty, banner);
  assert.ok(empty > 0, banner);
  assert.match(banner, /Raise Max plays/);
  assert.deepEqual(errors, []);
  await page.close();
});
