// End-to-end tests of the editors' cut of a large selection against the release build in
// dist/: Shift+Delete cuts as Ctrl+X does, with the text on the clipboard; a clipboard that
// refuses the text or never answers leaves it in the editor, the refusal with a notice saying
// why; and a page without navigator.clipboard leaves the key to the browser, whose cut event
// the page takes. In every case the selected text is on the clipboard or still in the editor.
// The problems under an editor are listed by line, take at most a third of it, and a click on
// one shows its line above the list.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { recordProblems, siteAndBrowser } from './harness.js';

const shared = siteAndBrowser();

const node = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: node-0\nspec: {}\n';
const pod = (n) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-${n}\n  namespace: default\nspec:\n  nodeName: node-0\n`;
// 300 pods are well above the 8,192 UTF-16 units from which the page cuts itself.
const text = node + Array.from({ length: 300 }, (_, n) => pod(n)).join('');
// The selection the tests cut: everything after the node.
const keep = node.length;

// A page in a browser context of its own with the objects editor holding `text`, and hooks to
// set the selection, read the editor, and see what the page did with each key press and cut
// event (whether it took the event from the browser, and what a cut event put on the
// clipboard). `permissions` are granted to the context; `init` runs before the page's own
// scripts.
async function editing({ permissions = [], init } = {}) {
  const context = await shared.browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.grantPermissions(permissions, { origin: new URL(shared.site.url).origin });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = recordProblems(page);
  await page.goto(shared.site.url);
  await page.locator('.status.good').waitFor({ timeout: 60_000 });

  const area = page.locator('[data-editor="objects"] textarea');
  await area.evaluate((area, text) => {
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await page.evaluate(() => {
    window.seen = [];
    for (const type of ['keydown', 'cut']) {
      window.addEventListener(type, (event) => {
        if (event.target.tagName !== 'TEXTAREA' || ['Control', 'Shift'].includes(event.key)) return;
        window.seen.push({ type, taken: event.defaultPrevented, cut: event.clipboardData?.getData('text/plain').length });
      });
    }
  });
  return {
    context,
    page,
    errors,
    notice: page.locator('[data-editor="objects"] .editor-notice'),
    select: (from, to) => area.evaluate((a, [from, to]) => { a.focus(); a.setSelectionRange(from, to); }, [from, to]),
    value: () => area.inputValue(),
    seen: () => page.evaluate(() => window.seen.splice(0)),
    clipboard: () => page.evaluate(() => navigator.clipboard.readText()),
  };
}

// Waits two animation frames, by which the page has handled what a key press started that
// does not wait on the clipboard.
const settled = (page) =>
  page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

test('Shift+Delete over a large selection cuts it: the text goes to the clipboard', async () => {
  const editor = await editing({ permissions: ['clipboard-read', 'clipboard-write'] });
  const { page } = editor;

  await editor.select(keep, text.length);
  await page.keyboard.press('Shift+Delete');
  await page.waitForFunction((node) => document.querySelector('[data-editor="objects"] textarea').value === node, node);
  assert.equal(await editor.clipboard(), text.slice(keep));
  assert.deepEqual(await editor.seen(), [{ type: 'keydown', taken: true, cut: undefined }]);
  assert.equal(await editor.notice.count(), 0);
  // The run follows the text: only the node is left.
  await page.waitForFunction(() => document.querySelectorAll('.lane').length === 1, null, { timeout: 60_000 });

  // A small selection is the browser's, which cuts it too and keeps its undo step.
  await editor.select(0, 4);
  await page.keyboard.press('Shift+Delete');
  await settled(page);
  assert.equal(await editor.value(), node.slice(4));
  assert.equal(await editor.clipboard(), node.slice(0, 4));
  assert.deepEqual((await editor.seen()).map((e) => [e.type, e.taken]), [['keydown', false], ['cut', false]]);

  assert.deepEqual(editor.errors, []);
  await editor.context.close();
});

test('a clipboard that refuses the cut leaves the text in place, and a notice says why', async () => {
  // The browser itself refuses: granting the origin only the clipboard read denies it the
  // write (Chromium rejects every permission a grant does not list).
  const editor = await editing({ permissions: ['clipboard-read'] });
  const { page } = editor;

  for (const key of ['Control+X', 'Shift+Delete']) {
    await editor.select(keep, text.length);
    await page.keyboard.press(key);
    await editor.notice.waitFor();
    // The reason is the browser's own: the write permission was denied.
    assert.match(await editor.notice.textContent(), /^The clipboard refused the cut, so the text is still here: .*permission/i, key);
    assert.equal(await editor.value(), text, key);
    // The page took the key, so the browser did not delete the text either.
    assert.deepEqual(await editor.seen(), [{ type: 'keydown', taken: true, cut: undefined }], key);

    await editor.notice.locator('button').click();
    assert.equal(await editor.notice.count(), 0, key);
  }

  // Typing on puts the notice away too.
  await editor.select(keep, text.length);
  await page.keyboard.press('Control+X');
  await editor.notice.waitFor();
  await editor.select(0, 0);
  await page.keyboard.type('#');
  assert.equal(await editor.notice.count(), 0);
  assert.equal(await editor.value(), `#${text}`);

  assert.deepEqual(editor.errors, []);
  await editor.context.close();
});

test('a clipboard that never answers leaves the text, and the next cut still goes through', async () => {
  const editor = await editing({
    permissions: ['clipboard-read', 'clipboard-write'],
    // The first write is left unanswered; the ones after it reach the real clipboard.
    init: () => {
      const write = Clipboard.prototype.writeText;
      let first = true;
      Clipboard.prototype.writeText = function (text) {
        if (first) {
          first = false;
          window.unanswered = text.length;
          return new Promise(() => {});
        }
        return write.call(this, text);
      };
    },
  });
  const { page } = editor;

  await editor.select(keep, text.length);
  await page.keyboard.press('Control+X');
  await settled(page);
  assert.equal(await page.evaluate(() => window.unanswered), text.length - keep);
  assert.equal(await editor.value(), text);
  assert.equal(await editor.notice.count(), 0);

  await editor.select(keep, text.length);
  await page.keyboard.press('Control+X');
  await page.waitForFunction((node) => document.querySelector('[data-editor="objects"] textarea').value === node, node);
  assert.equal(await editor.clipboard(), text.slice(keep));
  assert.deepEqual((await editor.seen()).map((e) => [e.type, e.taken]), [['keydown', true], ['keydown', true]]);

  assert.deepEqual(editor.errors, []);
  await editor.context.close();
});

test('without navigator.clipboard the cut key is the browser\'s, and the page takes its cut event', async () => {
  // As on a page served over plain HTTP, which has no navigator.clipboard.
  const editor = await editing({
    init: () => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true }),
  });
  const { page } = editor;

  for (const key of ['Control+X', 'Shift+Delete']) {
    await editor.select(keep, text.length);
    await page.keyboard.press(key);
    await page.waitForFunction((node) => document.querySelector('[data-editor="objects"] textarea').value === node, node);
    assert.deepEqual(
      await editor.seen(),
      [{ type: 'keydown', taken: false, cut: undefined }, { type: 'cut', taken: true, cut: text.length - keep }],
      key,
    );
    await page.locator('[data-editor="objects"] textarea').evaluate((area, text) => {
      area.value = text;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }, text);
  }

  assert.deepEqual(editor.errors, []);
  await editor.context.close();
});

// A Stage with three problems, which the engine reports out of line order: an unknown field at
// line 16, a jq expression that does not compile at line 11, a template that does not parse at
// line 19.
const brokenStage = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: my-broken
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.status.phase ||| bad'
      operator: In
      values: ["Pending"]
  delay:
    durationMilliseconds: 1000
    jiterDurationMilliseconds: 100
  next:
    statusTemplate: |
      phase: {{ .status.phase | nope }}
`;

test('an editor lists its problems by line, in at most a third of it, and a click shows the line', async () => {
  const context = await shared.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors = recordProblems(page);
  await page.goto(shared.site.url);
  await page.locator('.status.good').waitFor({ timeout: 60_000 });

  const editor = page.locator('[data-editor="stages"]');
  await editor.locator('textarea').evaluate((area, text) => {
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, brokenStage);
  const list = editor.locator('ul.problems');
  await page.waitForFunction(() => document.querySelectorAll('[data-editor="stages"] ul.problems .problem').length === 3, null, { timeout: 60_000 });

  const places = await list.locator('.problem').evaluateAll((items) =>
    items.map((item) => [Number(item.dataset.line), Number(item.dataset.column)]));
  assert.deepEqual(places.map(([line]) => line), [11, 16, 19]);
  const texts = await list.locator('.problem .message').allTextContents();
  assert.match(texts[0], /jq/);
  assert.match(texts[1], /jiterDurationMilliseconds/);
  assert.match(texts[2], /template/);
  // Each problem's full text is its title, whatever the list has room to show.
  assert.deepEqual(await list.locator('.problem').evaluateAll((items) => items.map((i) => i.title)), texts);

  // The list keeps to a third of the editor and scrolls within it.
  const [listBox, editorBox] = [await list.boundingBox(), await editor.boundingBox()];
  assert.ok(listBox.height <= editorBox.height / 3 + 1, `list ${listBox.height} of ${editorBox.height}`);

  // Each click puts the problem's line in view, above the list.
  for (const [line] of places) {
    await list.locator(`.problem[data-line="${line}"]`).click();
    const body = await editor.locator('.editor-body').boundingBox();
    const mark = await editor.locator(`.gutter [data-error-line="${line}"]`).boundingBox();
    assert.ok(mark.y >= body.y && mark.y + mark.height <= body.y + body.height, `line ${line} in view`);
    assert.ok(mark.y + mark.height <= (await list.boundingBox()).y, `line ${line} above the list`);
  }

  assert.deepEqual(errors, []);
  await context.close();
});
