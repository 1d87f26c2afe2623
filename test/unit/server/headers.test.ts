// Security headers on every kind of response (page, asset, API, errors), HSTS only over HTTPS, and no stack traces ever.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../../../src/server/app';
import { APP_CSP, HSTS } from '../../../src/server/headers';
import { openStore, type Store } from '../../../src/server/store';

let dist: string;
let data: string;
let store: Store;
let logs: unknown[][];
const apps = {} as Record<'plain' | 'proxied', ReturnType<typeof createApp>>;

test.before(async () => {
  dist = mkdtempSync(join(tmpdir(), 'lk-dist-'));
  data = mkdtempSync(join(tmpdir(), 'lk-data-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Luisterkring</title>');
  writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(dist, 'assets', 'index-B4x9_kQz.js'), 'console.log(1)');
  store = openStore({ dataDir: data });
  await store.migrate();
  logs = [];
  apps.plain = createApp({ store, staticDir: dist, log: (...a) => logs.push(a) });
  apps.proxied = createApp({ store, staticDir: dist, trustProxy: true, log: (...a) => logs.push(a) });
});
test.after(async () => {
  await store.close();
  rmSync(dist, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}, app = apps.plain) => app.fetch(new Request(url, { headers }));

function assertCommon(res: Response, what: string) {
  assert.is(res.headers.get('x-content-type-options'), 'nosniff', what);
  assert.is(res.headers.get('referrer-policy'), 'no-referrer', what);
  assert.is(res.headers.get('x-frame-options'), 'DENY', what);
  assert.is(res.headers.get('permissions-policy')?.includes('camera=(), microphone=(), geolocation=()'), true, what);
  assert.is(res.headers.get('cross-origin-opener-policy'), 'same-origin', what);
}

test('the app CSP allows only the own origin, no inline script or style, no framing, no base or plugins', () => {
  const d = Object.fromEntries(APP_CSP.split('; ').map((p) => [p.split(' ')[0], p.split(' ').slice(1).join(' ')]));
  assert.equal(d, {
    'default-src': "'self'",
    'script-src': "'self'",
    'style-src': "'self'",
    'img-src': "'self' data:",
    'font-src': "'self'",
    'connect-src': "'self'",
    'worker-src': "'self'",
    'manifest-src': "'self'",
    'object-src': "'none'",
    'base-uri': "'none'",
    'form-action': "'self'",
    'frame-ancestors': "'none'",
  });
  assert.not.match(APP_CSP, /unsafe|\*|http:|https:/);
});

test('page, app routes, assets and the service worker carry the app CSP and the common headers', async () => {
  for (const path of ['/', '/index.html', '/beheer', '/sw.js', '/assets/index-B4x9_kQz.js', '/ontbreekt.js']) {
    const res = await get(`http://localhost${path}`);
    assert.is(res.headers.get('content-security-policy'), APP_CSP, path);
    assertCommon(res, path);
  }
});

test('API answers, including refusals, carry the CSP and the common headers', async () => {
  const cases: [string, RequestInit, number][] = [
    ['/api/auth/me', {}, 401],
    ['/api/nergens', {}, 404],
    ['/api/sync', { method: 'POST', body: '{}' }, 403],
    ['/api/auth/login', { method: 'POST', body: 'geen json', headers: { 'x-lk': '1', 'content-type': 'application/json' } }, 400],
  ];
  for (const [path, init, status] of cases) {
    const res = await apps.plain.fetch(new Request(`http://localhost${path}`, init));
    assert.is(res.status, status, path);
    assert.is(res.headers.get('content-security-policy'), APP_CSP, path);
    assertCommon(res, path);
  }
});

test('HSTS is sent over HTTPS, never over plain HTTP or to localhost', async () => {
  assert.is((await get('https://luisterkring.example.nl/')).headers.get('strict-transport-security'), HSTS);
  assert.is((await get('https://luisterkring.example.nl/api/auth/me')).headers.get('strict-transport-security'), HSTS);
  assert.is((await get('http://luisterkring.example.nl/')).headers.get('strict-transport-security'), null);
  assert.is((await get('https://localhost/')).headers.get('strict-transport-security'), null);
  assert.is((await get('http://127.0.0.1/')).headers.get('strict-transport-security'), null);
});

test('behind a trusted proxy X-Forwarded-Proto: https turns HSTS on; without TRUST_PROXY the header is ignored', async () => {
  const fwd = { 'x-forwarded-proto': 'https' };
  assert.is((await get('http://luisterkring.example.nl/', fwd, apps.proxied)).headers.get('strict-transport-security'), HSTS);
  assert.is((await get('http://luisterkring.example.nl/', { 'x-forwarded-proto': 'http' }, apps.proxied)).headers.get('strict-transport-security'), null);
  assert.is((await get('http://luisterkring.example.nl/', fwd, apps.plain)).headers.get('strict-transport-security'), null);
});

/** A 500 whose body could give away internals: file paths, stack frames, the error's own message. */
function assertBare(body: string, secret: string) {
  assert.not.ok(body.includes(secret), 'the error message stays on the server');
  assert.not.match(body, /\bat\s+\S+\s*\(|\.ts:\d+|node_modules|\/work\/|Error:/);
  assert.equal(JSON.parse(body), { error: 'Er ging iets mis op de server; probeer het later opnieuw' });
}

test('a route that throws an Error answers the generic Dutch 500 with all headers; the stack goes to the log only', async () => {
  const app = createApp({ store, log: (...a) => logs.push(a) });
  app.get('/kapot', () => {
    throw new Error('geheim-detail /srv/luisterkring/src/server/app.ts:12');
  });
  logs.length = 0;
  const res = await app.fetch(new Request('http://localhost/kapot'));
  assert.is(res.status, 500);
  assertCommon(res, '500');
  assertBare(await res.text(), 'geheim-detail');
  assert.ok(logs.some((l) => l.some((x) => x instanceof Error && x.message.startsWith('geheim-detail'))), 'the error is logged');
});

test('a throw of something that is not an Error (Hono passes those by) gets the same generic 500', async () => {
  const app = createApp({ store, log: (...a) => logs.push(a) });
  app.get('/tekst', () => {
    throw 'geheim-als-tekst';
  });
  app.get('/object', () => {
    throw { stack: 'at geheim (/srv/x.ts:1:1)', message: 'geheim-object' };
  });
  for (const [path, secret] of [
    ['/tekst', 'geheim-als-tekst'],
    ['/object', 'geheim-object'],
  ]) {
    const res = await app.fetch(new Request(`http://localhost${path}`));
    assert.is(res.status, 500, path);
    assertCommon(res, path);
    assertBare(await res.text(), secret);
  }
});

test('a database failure in a real route (closed store) answers the generic 500, not the driver message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-closed-'));
  const closed = openStore({ dataDir: dir });
  await closed.migrate();
  const app = createApp({ store: closed, log: () => {} });
  await closed.close();
  try {
    const res = await app.fetch(
      new Request('http://localhost/api/auth/login', { method: 'POST', headers: { 'x-lk': '1', 'content-type': 'application/json' }, body: JSON.stringify({ username: 'anna', password: 'geheim-wachtwoord' }) }),
    );
    assert.is(res.status, 500);
    assert.is(res.headers.get('content-security-policy'), APP_CSP);
    const body = await res.text();
    assertBare(body, 'geheim-wachtwoord');
    assert.not.match(body, /sqlite|database|closed/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
