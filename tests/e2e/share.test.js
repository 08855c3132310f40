// End-to-end tests of sharing against the release build in dist/: a copied link opens in a
// fresh browser to the same timeline and view, a tampered or truncated link says so and keeps
// the saved work, typed text survives a reload, and a hostile link's HTML and scripts are
// shown as text and never run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';

import { recordProblems, siteAndBrowser } from './harness.js';

const shared = siteAndBrowser();

// A page in a browser context of its own (its own localStorage), recording every console
// error or warning, uncaught exception and dialog.
async function fresh(path = '') {
  const context = await shared.browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  const errors = recordProblems(page);
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  await page.goto(`${shared.site.url}${path}`);
  return { context, page, errors };
}

const ran = (page) => page.locator('.status.good').waitFor({ timeout: 60_000 });

// Every marker as "object stage time", in document order.
const markers = (page) =>
  page
    .locator('.marker')
    .evaluateAll((nodes) => nodes.map((n) => `${n.dataset.object} ${n.dataset.stage} ${n.dataset.timeMs}`));

const position = (page) => page.locator('.clock').getAttribute('data-position-ms');

async function inspected(page) {
  const play = page.locator('.inspector [data-inspected-object]');
  await play.waitFor();
  return [await play.getAttribute('data-inspected-object'), await play.getAttribute('data-inspected-stage')];
}

async function copyLink(page) {
  await page.locator('button.copy-link').click();
  const url = page.locator('.share-link .share-url');
  await url.waitFor();
  return url.inputValue();
}

const stagesEditor = (page) => page.locator('[data-editor="stages"] textarea');

// A share link of an envelope, as the engine writes one: zlib, then base64url.
function link(envelope) {
  return `v1.${deflateSync(Buffer.from(JSON.stringify(envelope))).toString('base64url')}`;
}

test('a copied link opens in a fresh browser to the same timeline and view', async () => {
  const first = await fresh();
  await ran(first.page);
  // Select web-0's pod-ready play: the cursor and the inspector follow it.
  await first.page.locator('.marker[data-object="Pod/default/web-0"][data-stage="pod-ready"]').first().click();
  const view = await inspected(first.page);
  assert.deepEqual(view, ['Pod/default/web-0', 'pod-ready']);
  const at = await position(first.page);
  const timeline = await markers(first.page);

  const url = await copyLink(first.page);
  assert.match(url, /#v1\./);
  const length = Number(await first.page.locator('.share-link').getAttribute('data-length'));
  assert.equal(length, url.length);
  assert.ok(url.split('#')[1].length <= 1500, `the default link is ${url.length} characters`);

  const second = await fresh(url.slice(shared.site.url.length));
  await ran(second.page);
  assert.deepEqual(await markers(second.page), timeline);
  await second.page.waitForFunction((want) => document.querySelector('.clock')?.dataset.positionMs === want, at);
  assert.deepEqual(await inspected(second.page), view);
  await second.page.locator('.share-notice').waitFor();

  assert.deepEqual([...first.errors, ...second.errors], []);
  await first.context.close();
  await second.context.close();
});

test('a tampered and a truncated link give a message and keep the saved work', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);
  const mine = '# my own work\n' + (await stagesEditor(page).inputValue());
  await stagesEditor(page).fill(mine);
  const good = (await copyLink(page)).split('#')[1];

  const broken = {
    truncated: good.slice(0, Math.floor(good.length / 2)),
    // One character of the payload changed: the checksum or the inflater catches it.
    tampered: good.slice(0, 40) + (good[40] === 'A' ? 'B' : 'A') + good.slice(41),
    newer: 'v9.' + good.slice(3),
  };
  for (const [what, bad] of Object.entries(broken)) {
    const other = await context.newPage();
    await other.goto(`${shared.site.url}#${bad}`);
    const notice = other.locator('.share-notice.bad');
    await notice.waitFor();
    assert.match(await notice.innerText(), /could not be opened/, what);
    assert.match(await notice.innerText(), /saved work is untouched/, what);
    assert.equal(await stagesEditor(other).inputValue(), mine, `${what}: the editor shows the saved work`);
    await other.close();
  }
  const notice = async (p) => p.locator('.share-notice.bad').innerText();
  const last = await context.newPage();
  await last.goto(`${shared.site.url}#${broken.newer}`);
  assert.match(await notice(last), /newer version/);
  await last.goto(`${shared.site.url}`);
  await last.reload();
  assert.equal(await stagesEditor(last).inputValue(), mine, 'the saved work is still there');

  assert.deepEqual(errors, []);
  await context.close();
});

test('typed text survives a reload, and a link keeps it one click away', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);
  const objects = page.locator('[data-editor="objects"] textarea');
  const typed = (await objects.inputValue()) + '# typed just now\n';
  await objects.fill(typed);
  await page.reload();
  assert.equal(await objects.inputValue(), typed);

  // Open someone else's link in the same browser: the own work stays saved.
  const theirs = link({
    engine: '0.1.0',
    scenario: { stages: [{ preset: 'pod/fast', version: 'v0.8.0' }], objects: [{ preset: 'objects/default', version: '1' }] },
    view: {},
  });
  await page.goto(`${shared.site.url}#${theirs}`);
  await page.locator('.share-notice').waitFor();
  assert.notEqual(await objects.inputValue(), typed);
  await page.locator('button.back-to-work').click();
  assert.equal(await objects.inputValue(), typed);
  assert.equal(new URL(page.url()).hash, '');

  assert.deepEqual(errors, []);
  await context.close();
});

test('Reset asks with the page dialog before discarding typed work', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);
  const typed = '# keep me\n' + (await stagesEditor(page).inputValue());
  await stagesEditor(page).fill(typed);
  await page.locator('.topbar button', { hasText: /^Reset$/ }).click();
  const dialog = page.locator('.dialog[role="alertdialog"]');
  await dialog.waitFor();
  await dialog.locator('.dialog-no').click();
  assert.equal(await stagesEditor(page).inputValue(), typed);
  await page.locator('.topbar button', { hasText: /^Reset$/ }).click();
  await dialog.locator('.dialog-yes').click();
  assert.notEqual(await stagesEditor(page).inputValue(), typed);

  assert.deepEqual(errors, []);
  await context.close();
});

test('a preset asks with the page dialog before discarding typed work', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);
  const typed = '# keep me\n' + (await stagesEditor(page).inputValue());
  await stagesEditor(page).fill(typed);
  const choose = async () => {
    await page.locator('.gallery > button', { hasText: 'Presets' }).click();
    await page.locator('.gallery-panel .preset').nth(1).click();
  };
  await choose();
  const dialog = page.locator('.dialog[role="alertdialog"]');
  await dialog.waitFor();
  await dialog.locator('.dialog-no').click();
  assert.equal(await stagesEditor(page).inputValue(), typed, 'Cancel keeps the work');
  await choose();
  await dialog.locator('.dialog-yes').click();
  assert.notEqual(await stagesEditor(page).inputValue(), typed);

  // A preset as shipped is no work to lose: the next one opens without a question.
  await choose();
  assert.equal(await dialog.count(), 0);

  assert.deepEqual(errors, []);
  await context.close();
});

test('a hostile link shows its HTML and scripts as text and runs none of them', async () => {
  const img = '<img src=x onerror="window.__pwned=1">';
  const script = '<script>window.__pwned=2</script>';
  const stage = [
    'apiVersion: kwok.x-k8s.io/v1alpha1',
    'kind: Stage',
    'metadata:',
    `  name: '${img}'`,
    'spec:',
    '  resourceRef: {apiGroup: v1, kind: Pod}',
    '  selector: {}',
    '  next:',
    '    event:',
    `      reason: '${script}'`,
    `      message: '${img}'`,
    '',
  ].join('\n');
  const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\n  labels:\n    x: '${script}'\nspec: {nodeName: node-0}\n`;
  const hostile = link({
    engine: `0.1.0${script}`,
    scenario: { stages: [{ name: img, text: stage }], objects: [{ name: script, text: pod }], horizon: '1m' },
    view: { selected: img, panels: [script] },
  });
  const unknownPreset = link({
    engine: '0.1.0',
    scenario: { stages: [{ preset: script, version: img }] },
    view: {},
  });

  const { context, page, errors } = await fresh(`#${hostile}`);
  await page.locator('[data-status]:not([data-status="idle"]):not([data-status="running"])').waitFor({ timeout: 60_000 });
  assert.ok((await stagesEditor(page).inputValue()).includes(img), 'the Stage is in the editor as text');
  await page.goto(`${shared.site.url}#${unknownPreset}`);
  const notice = page.locator('.share-notice.bad');
  await notice.waitFor();
  assert.ok((await notice.innerText()).includes(script), 'the preset name is shown as text');

  const state = await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    images: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.scripts].filter((s) => s.textContent.includes('__pwned')).length,
  }));
  assert.deepEqual(state, { pwned: null, images: 0, scripts: 0 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('exports download the engine files and picked files are imported', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);
  await page.locator('.marker[data-object="Pod/default/web-1"]').first().click();

  const downloaded = async (id) => {
    await page.locator('.export-menu summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-export="${id}"]`).click()]);
    return download;
  };
  assert.equal((await downloaded('kwokctl')).suggestedFilename(), 'stage-playground-kwokctl.tar');
  assert.equal((await downloaded('testdata')).suggestedFilename(), 'pod-default-web-1-testdata.tar');
  const timeline = await downloaded('timeline');
  assert.equal(timeline.suggestedFilename(), 'timeline.json');
  const timelineText = await readDownload(timeline);
  assert.ok(JSON.parse(timelineText).entries.length > 0);
  assert.ok(timelineText.includes('"pod-create"'), 'the timeline names the Stages played');
  const scenarioFile = await readDownload(await downloaded('scenario'));
  assert.ok(JSON.parse(scenarioFile).stages.length > 0);

  // A Stage file is added to the Stages editor, and an object file to the objects editor;
  // each time a notice says which editor took it.
  const stage = 'apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: imported\n';
  await page.locator('.file-input').setInputFiles({ name: 'imported.yaml', mimeType: 'text/yaml', buffer: Buffer.from(stage) });
  await page.waitForFunction(() => document.querySelector('[data-editor="stages"] textarea').value.includes('name: imported'));
  await page.locator('.share-notice', { hasText: 'Added imported.yaml to the end of the Stages editor.' }).waitFor();
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: picked\n  namespace: default\n';
  await page.locator('.file-input').setInputFiles({ name: 'pod.yaml', mimeType: 'text/yaml', buffer: Buffer.from(pod) });
  await page.waitForFunction(() => document.querySelector('[data-editor="objects"] textarea').value.includes('name: picked'));
  await page.locator('.share-notice', { hasText: 'Added pod.yaml to the end of the objects editor.' }).waitFor();

  // The scenario file exported before opens again, after the page's own question.
  await page.locator('.file-input').setInputFiles({ name: 'scenario.json', mimeType: 'application/json', buffer: Buffer.from(scenarioFile) });
  await page.locator('.dialog .dialog-yes').click();
  await page.waitForFunction(() => !document.querySelector('[data-editor="stages"] textarea').value.includes('name: imported'));
  await page.locator('.share-notice', { hasText: 'Opened the scenario scenario.json' }).waitFor();

  assert.deepEqual(errors, []);
  await context.close();
});

test('the engine makes an export while the menu says so, and a failed export, an unreadable file and files picked together are taken as before', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);

  // Every text the Export menu's button shows, recorded as it changes.
  await page.evaluate(() => {
    const summary = document.querySelector('.export-menu summary');
    window.exportLabels = [];
    new MutationObserver(() => window.exportLabels.push(summary.textContent.trim())).observe(summary, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
  await page.locator('.export-menu summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="timeline"]').click()]);
  assert.equal(download.suggestedFilename(), 'timeline.json');
  const labels = await page.evaluate(() => window.exportLabels);
  assert.ok(labels.includes('Preparing…'), `the menu said nothing while the export was made: ${labels}`);
  assert.equal(labels.at(-1), 'Export');

  // Two files picked together both go to their editors.
  const stage = 'apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: together\n';
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: together\n  namespace: default\n';
  await page.locator('.file-input').setInputFiles([
    { name: 'stage.yaml', mimeType: 'text/yaml', buffer: Buffer.from(stage) },
    { name: 'pod.yaml', mimeType: 'text/yaml', buffer: Buffer.from(pod) },
  ]);
  await page.waitForFunction(() =>
    ['stages', 'objects'].every((editor) =>
      document.querySelector(`[data-editor="${editor}"] textarea`).value.includes('name: together'),
    ),
  );

  // A file that is not YAML is named with its line and column.
  await page.locator('.file-input').setInputFiles({ name: 'bad.yaml', mimeType: 'text/yaml', buffer: Buffer.from('a: [1,\n') });
  const bad = page.locator('.share-notice.bad');
  await bad.waitFor();
  assert.match(await bad.innerText(), /The file could not be read: bad\.yaml:\d+:\d+: /);
  await bad.locator('.dismiss').click();

  // An export of Stages that do not load says where they fail.
  await stagesEditor(page).fill('kind: Stage\nmetadata: {name: a}\nspec: [1,\n');
  await page.locator('.export-menu summary').click();
  await page.locator('[data-export="kwokctl"]').click();
  await bad.waitFor();
  assert.match(await bad.innerText(), /The export could not be made: stages\[0\]:\d+:\d+:/);
  assert.equal(await page.locator('.export-menu summary').innerText(), 'Export');

  assert.deepEqual(errors, []);
  await context.close();
});

// Drops files ({name, text}) on an editor's drop zone, as the browser does; the files whose
// name is in `unreadable` fail to read, as a folder or a file removed since does.
async function drop(page, editor, files, unreadable = []) {
  await page.evaluate(
    ({ editor, files, unreadable }) => {
      const text = File.prototype.text;
      File.prototype.text = function () {
        return unreadable.includes(this.name)
          ? Promise.reject(new DOMException('The requested file could not be read.', 'NotReadableError'))
          : text.call(this);
      };
      const data = new DataTransfer();
      for (const file of files) data.items.add(new File([file.text], file.name, { type: 'text/yaml' }));
      const zone = document.querySelector(`[data-editor="${editor}"]`).closest('.drop-zone');
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      File.prototype.text = text;
    },
    { editor, files, unreadable },
  );
}

const editorHas = (page, editor, text) =>
  page.waitForFunction(
    ([editor, text]) => document.querySelector(`[data-editor="${editor}"] textarea`).value.includes(text),
    [editor, text],
    { timeout: 20_000 },
  );

test('two drops made before the engine answers both reach their editors, the files worker then ends, and an unreadable file is named', async () => {
  const { context, page, errors } = await fresh();
  await ran(page);

  // The first drop starts the files' worker, which has the engine module to load: the
  // second drop is sent before the first is answered.
  const started = [];
  page.on('worker', (worker) => started.push(worker));
  const stage = 'apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: first-drop\n';
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: second-drop\n  namespace: default\n';
  await Promise.all([
    drop(page, 'stages', [{ name: 'stage.yaml', text: stage }]),
    drop(page, 'objects', [{ name: 'pod.yaml', text: pod }]),
  ]);
  await editorHas(page, 'stages', 'name: first-drop');
  await editorHas(page, 'objects', 'name: second-drop');

  // Nothing waits for the files' worker any more (the first worker started after the
  // drops; the run the edits ask for starts its own after the typing pause).
  const files = started[0];
  assert.ok(files, 'the drops started no worker');
  if (page.workers().includes(files)) {
    await new Promise((resolve, reject) => {
      files.once('close', resolve);
      setTimeout(() => reject(new Error('the files worker is still running')), 10_000);
    });
  }

  // A file the browser cannot read is named with the reason; the file dropped with it is
  // taken in.
  const other = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: beside-unread\n  namespace: default\n';
  await drop(
    page,
    'objects',
    [
      { name: 'gone.yaml', text: 'kind: Pod\n' },
      { name: 'beside.yaml', text: other },
    ],
    ['gone.yaml'],
  );
  await editorHas(page, 'objects', 'name: beside-unread');
  const bad = page.locator('.share-notice.bad');
  await bad.waitFor();
  assert.equal(
    await bad.locator('.notice-text').innerText(),
    'The file could not be read: gone.yaml: the browser could not read the file: The requested file could not be read.',
  );
  // A drop of nothing readable says so too, without the engine.
  await bad.locator('.dismiss').click();
  await drop(page, 'stages', [{ name: 'folder', text: '' }], ['folder']);
  await page.locator('.share-notice.bad', { hasText: 'folder: the browser could not read the file' }).waitFor();

  assert.deepEqual(errors, []);
  await context.close();
});

async function readDownload(download) {
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
