// End-to-end tests of the release build in dist/: the page loads the default scenario and
// draws a marker for every pod, a broken Stage is reported at its line, the console stays
// clean, and a screenshot of the main view is kept in artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.DIST ?? join(here, '..', '..', 'dist'));
const artifacts = join(here, 'artifacts');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// The page is served under a sub-path, as it may be when deployed.
const base = '/playground/';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

let server;
let origin;
let profile;
let context;

before(async () => {
  assert.ok(existsSync(join(dist, 'index.html')), `no build in ${dist}: run trunk build --release`);
  server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    if (!path.startsWith(base)) {
      response.writeHead(404).end();
      return;
    }
    const relative = normalize(path.slice(base.length) || 'index.html');
    const file = join(dist, relative.endsWith('/') ? join(relative, 'index.html') : relative);
    if (!file.startsWith(dist)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${server.address().port}`;

  profile = await mkdtemp(join(tmpdir(), 'stage-e2e-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
});

after(async () => {
  await context?.close();
  await new Promise((done) => (server ? server.close(done) : done()));
  if (profile) await rm(profile, { recursive: true, force: true });
});

// A fresh page that records every console error and uncaught exception.
async function open() {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  await page.goto(`${origin}${base}`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  return { page, errors };
}

const pods = ['Pod/default/web-0', 'Pod/default/web-1', 'Pod/default/report-7xk2p'];

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

  // Selecting a marker fills the inspector.
  await page.locator('.marker[data-object="Pod/default/web-0"]').first().click();
  await page.locator('.inspector [data-inspected-stage="pod-create"]').waitFor();

  await mkdir(artifacts, { recursive: true });
  await page.locator('.marker[data-object="Pod/default/web-0"][data-stage="pod-ready"]').first().click();
  await page.screenshot({ path: join(artifacts, 'main-view.png') });

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
    '',
  ].join('\n');
  await page.locator('[data-editor="stages"] textarea').fill(broken);

  const mark = page.locator('[data-editor="stages"] .gutter [data-error-line="12"]');
  await mark.waitFor({ timeout: 30_000 });
  const problem = page.locator('[data-editor="stages"] .problem[data-line="12"]');
  await problem.waitFor();
  assert.match(await problem.innerText(), /stages:12/);
  await page.locator('[data-editor="stages"] .highlight .line.err').first().waitFor();

  assert.deepEqual(errors, []);
  await page.close();
});
