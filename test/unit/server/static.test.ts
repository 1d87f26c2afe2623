import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../../../src/server/app';
import { pickEncoding } from '../../../src/server/static';
import { openStore, type Store } from '../../../src/server/store';

const BIG_JS = Array.from({ length: 400 }, (_, i) => `export const deelnemer${i} = "Luisterkring ${i}";`).join('\n');
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
  writeFileSync(join(dist, 'assets', 'big-C5y0_lRa.js'), BIG_JS);
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

const getWith = (path: string, acceptEncoding: string) => app.fetch(new Request(`http://localhost${path}`, { headers: { 'accept-encoding': acceptEncoding } }));

test('scripts go out brotli- or gzip-compressed when the browser takes it, and decompress to the same bytes', async () => {
  const br = await getWith('/assets/big-C5y0_lRa.js', 'gzip, deflate, br, zstd');
  assert.is(br.status, 200);
  assert.is(br.headers.get('content-encoding'), 'br');
  assert.is(br.headers.get('vary'), 'Accept-Encoding');
  const brBytes = Buffer.from(await br.arrayBuffer());
  assert.ok(brBytes.length < BIG_JS.length / 4, `compressed to ${brBytes.length} of ${BIG_JS.length} bytes`);
  assert.is(brotliDecompressSync(brBytes).toString(), BIG_JS);
  const gz = await getWith('/assets/big-C5y0_lRa.js', 'gzip');
  assert.is(gz.headers.get('content-encoding'), 'gzip');
  assert.is(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), BIG_JS);
  assert.match(gz.headers.get('cache-control')!, /immutable/);
  const plain = await getWith('/assets/big-C5y0_lRa.js', 'identity');
  assert.is(plain.headers.get('content-encoding'), null);
  assert.is(await plain.text(), BIG_JS);
  const refused = await getWith('/assets/big-C5y0_lRa.js', 'br;q=0, gzip;q=0');
  assert.is(refused.headers.get('content-encoding'), null);
});

test('tiny files and HEAD requests are sent as they are', async () => {
  const small = await getWith('/assets/index-B4x9_kQz.js', 'br');
  assert.is(small.headers.get('content-encoding'), null);
  assert.is(await small.text(), 'console.log(1)');
  const head = await app.fetch(new Request('http://localhost/assets/big-C5y0_lRa.js', { method: 'HEAD', headers: { 'accept-encoding': 'br' } }));
  assert.is(head.status, 200);
  assert.is(head.headers.get('content-encoding'), null);
});

test('Accept-Encoding is read with its weights', () => {
  assert.is(pickEncoding('gzip, br'), 'br');
  assert.is(pickEncoding('gzip;q=1.0, br;q=0'), 'gzip');
  assert.is(pickEncoding('deflate'), null);
  assert.is(pickEncoding(undefined), null);
  assert.is(pickEncoding(' GZIP '), 'gzip');
});

test.run();
