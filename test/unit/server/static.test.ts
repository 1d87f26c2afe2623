import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../../../src/server/app';
import { openStore, type Store } from '../../../src/server/store';

let dist: string;
let data: string;
let store: Store;
let app: ReturnType<typeof createApp>;

test.before(async () => {
  dist = mkdtempSync(join(tmpdir(), 'lk-dist-'));
  data = mkdtempSync(join(tmpdir(), 'lk-data-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Luisterkring</title>');
  writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(dist, 'manifest.webmanifest'), '{}');
  writeFileSync(join(dist, 'assets', 'index-B4x9_kQz.js'), 'console.log(1)');
  writeFileSync(join(data, 'secret.txt'), 'geheim');
  store = openStore({ dataDir: data });
  await store.migrate();
  app = createApp({ store, staticDir: dist });
});
test.after(async () => {
  await store.close();
  rmSync(dist, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

const get = (path: string) => app.fetch(new Request(`http://localhost${path}`));

test('the page and the service worker are served with Cache-Control no-cache so updates reach phones', async () => {
  for (const path of ['/', '/index.html', '/sw.js', '/manifest.webmanifest']) {
    const res = await get(path);
    assert.is(res.status, 200, path);
    assert.is(res.headers.get('cache-control'), 'no-cache', path);
  }
  assert.match((await get('/sw.js')).headers.get('content-type')!, /javascript/);
  assert.match((await get('/')).headers.get('content-type')!, /text\/html/);
});

test('hashed assets are cached for a year as immutable', async () => {
  const res = await get('/assets/index-B4x9_kQz.js');
  assert.is(res.status, 200);
  assert.is(await res.text(), 'console.log(1)');
  assert.match(res.headers.get('cache-control')!, /immutable/);
});

test('app paths fall back to index.html; a missing asset stays 404', async () => {
  const res = await get('/groep/abc');
  assert.is(res.status, 200);
  assert.match(await res.text(), /Luisterkring/);
  assert.is((await get('/assets/gone-12345678.js')).status, 404);
});

test('unknown /api paths answer JSON 404, never the page', async () => {
  const res = await get('/api/bestaat-niet');
  assert.is(res.status, 404);
  assert.type((await res.json()).error, 'string');
});

test('paths cannot climb out of dist/', async () => {
  for (const path of ['/../' + data.split('/').pop() + '/secret.txt', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
    const res = await get(path);
    assert.not.match(await res.text(), /geheim|root:/, path);
  }
});

test('responses carry nosniff and no-framing headers', async () => {
  const res = await get('/');
  assert.is(res.headers.get('x-content-type-options'), 'nosniff');
  assert.is(res.headers.get('x-frame-options'), 'DENY');
});

test.run();
