import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { write } from '../../../src/data/write';
import { login } from '../../../src/sync/api';
import { readSyncState } from '../../../src/sync/state';
import { getStatus } from '../../../src/sync/status';
import { startSyncTriggers, WRITE_DEBOUNCE_MS } from '../../../src/sync/triggers';
import { Phone, TestServer, uniqueName } from './harness';

let server: TestServer;
let coord: { username: string; password: string };

test.before(async () => {
  server = await new TestServer().open();
  coord = await server.user('coord', 'coordinator');
});
test.after(() => server.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test('the page syncs on start, after a local write (debounced), on coming online and on becoming visible', async () => {
  const p = new Phone(server, uniqueName('triggers'));
  await login(p.transport, p.db, coord.username, coord.password);
  const syncs: number[] = [];
  p.deliver = (req, send) => {
    if (req.url.endsWith('/api/sync')) syncs.push(Date.now());
    return send(req);
  };
  const stop = startSyncTriggers(p.transport);
  try {
    await until('the start sync', async () => (await readSyncState(p.db)).lastSyncedAt !== null);
    assert.is(syncs.length, 1);
    const wroteAt = Date.now();
    await write('participants', 'tp1', 'g1', { name: 'Ans' }, { db: p.db });
    await write('participants', 'tp1', 'g1', { status: 'actief' }, { db: p.db });
    await until('the push after writing', async () => (await p.db.outbox.count()) === 0);
    assert.is(syncs.length, 2, 'two quick writes, one sync');
    assert.ok(syncs[1] - wroteAt >= WRITE_DEBOUNCE_MS - 50, 'waited for more taps first');
    dispatchEvent(new Event('online'));
    await until('the sync on coming online', () => syncs.length === 3 && getStatus().state === 'idle');
    document.dispatchEvent(new Event('visibilitychange'));
    await until('the sync on becoming visible', () => syncs.length === 4 && getStatus().state === 'idle');
  } finally {
    stop();
  }
  dispatchEvent(new Event('online'));
  await sleep(50);
  assert.is(syncs.length, 4, 'stopped triggers stay quiet');
});

test('offline events show in the status at once', async () => {
  const p = new Phone(server, uniqueName('triggers-offline'));
  await login(p.transport, p.db, coord.username, coord.password);
  const stop = startSyncTriggers(p.transport);
  try {
    await until('the start sync', () => getStatus().lastSyncedAt !== null && getStatus().state === 'idle');
    dispatchEvent(new Event('offline'));
    assert.is(getStatus().state, 'offline');
  } finally {
    stop();
  }
});

test.run();
