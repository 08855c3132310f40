// End-to-end tests of the actions panel's object field against the release build in dist/:
// a small run lists every object in a select, which follows a click on a lane and takes a
// delete; a large run names the object in a text field whose suggestions are the selected
// object and at most fifty objects containing what is typed, any object of the run (drawn
// or not) can be typed and acted on, a text naming no object is reported and an empty field
// clears the selection.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { freshPage, siteAndBrowser } from './harness.js';

const shared = siteAndBrowser();


const ran = (page) => page.locator('.status.good').waitFor({ timeout: 60_000 });

// The default scenario's node and `count` plain pods on it.
function podsYaml(count) {
  const node = [
    'apiVersion: v1',
    'kind: Node',
    'metadata:',
    '  name: node-0',
    '  annotations:',
    '    kwok.x-k8s.io/node: fake',
    'spec: {}',
  ].join('\n');
  const pods = Array.from({ length: count }, (_, n) =>
    ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: pod-${n}`, '  namespace: default', 'spec:',
      '  nodeName: node-0', '  containers:', '  - name: main', '    image: busybox:1.36'].join('\n'));
  return [node, ...pods].join('\n---\n') + '\n';
}

test('a small run lists every object in the object select', async () => {
  const { context, page, errors } = await freshPage(shared);
  await ran(page);
  const select = page.locator('.actions-panel select[name="action-object"]');
  const lanes = await page.locator('.lane').evaluateAll((nodes) => nodes.map((n) => n.dataset.lane));
  const options = await select.locator('option').evaluateAll((nodes) => nodes.map((n) => n.value));
  assert.deepEqual(options, ['', ...lanes]);
  assert.equal(await page.locator('.actions-panel datalist').count(), 0);

  await page.locator('.lane[data-lane="Pod/default/web-0"] .lane-label').click();
  assert.equal(await select.inputValue(), 'Pod/default/web-0', 'the select follows the lane clicked');
  await select.selectOption('Pod/default/web-1');
  await page.locator('.lane.chosen[data-lane="Pod/default/web-1"]').waitFor();
  await page.locator('input[name="grace-period"]').fill('0');
  await page.locator('button[name="delete-object"]').click();
  await page.locator('.user-action').filter({ hasText: 'delete Pod/default/web-1' }).waitFor();

  assert.deepEqual(errors, []);
  await context.close();
});

test('a large run names the object in a text field with a few suggestions', async () => {
  const { context, page, errors } = await freshPage(shared);
  await ran(page);
  await page.locator('[data-editor=objects] textarea').evaluate((area, text) => {
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, podsYaml(400));
  const field = page.locator('.actions-panel input[name="action-object"]');
  await field.waitFor({ timeout: 60_000 });
  await ran(page);
  assert.equal(await page.locator('.actions-panel datalist option').count(), 50, 'fifty suggestions for an empty field');
  assert.equal(await page.locator('.actions-panel select[name="action-object"]').count(), 0);
  const list = await field.getAttribute('list');
  assert.equal(await page.locator(`datalist#${list}`).count(), 1);

  // What is typed narrows the suggestions to the keys containing it, in any case.
  const suggested = () => page.locator('.actions-panel datalist option').evaluateAll((nodes) => nodes.map((n) => n.value));
  await field.fill('POD-37');
  const expected = ['Pod/default/pod-37', ...Array.from({ length: 10 }, (_, n) => `Pod/default/pod-37${n}`)];
  assert.deepEqual(await suggested(), expected);

  // A whole key selects its object, drawn or not (only the first lanes are drawn), and the
  // actions take it.
  const far = 'Pod/default/pod-377';
  assert.equal(await page.locator(`.lane[data-lane="${far}"]`).count(), 0, 'pod-377 has no lane drawn');
  await field.fill(far);
  await page.locator('input[name="edit-key"]').fill('tier');
  await page.locator('input[name="edit-value"]').fill('gold');
  await page.locator('button[name="edit-object"]').click();
  await page.locator('.user-action').filter({ hasText: `edit ${far}: labels tier=gold` }).waitFor();

  // A lane clicked fills the field, and the selected object stays among the suggestions
  // whatever was typed before.
  await page.locator('.lane[data-lane="Pod/default/pod-5"] .lane-label').click();
  assert.equal(await field.inputValue(), 'Pod/default/pod-5');
  assert.equal((await suggested())[0], 'Pod/default/pod-5');

  // A text naming no object is reported when the field is left; an empty field clears the
  // selection.
  await field.fill('pod-9999');
  await field.blur();
  await page.locator('.actions-panel .problem').filter({ hasText: 'No object of this run is "pod-9999"' }).waitFor();
  await field.fill('');
  await field.blur();
  assert.equal(await page.locator('button[name="delete-object"]').isDisabled(), true, 'no object is selected');

  assert.deepEqual(errors, []);
  await context.close();
});
