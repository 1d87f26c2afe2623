import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LkDb } from '../../../src/data/db';
import { setPin, unlock } from '../../../src/data/lock';
import { lock } from '../../../src/data/lock-state';
import { write } from '../../../src/data/write';
import { login } from '../../../src/sync/api';
import { backgroundSync, syncOnce } from '../../../src/sync/engine';
import { Phone, TestServer, uniqueName } from './harness';

let server: TestServer;
let coord: { username: string; password: string };

test.before(async () => {
  server = await new TestServer().open();
  coord = await server.user('coord', 'coordinator');
});
test.after(() => server.close());

const NOTE = { roundId: 'g1|2026-11-23', step: null, text: 'Geheim verhaal uit de kring', author: 'Anna', createdAt: Date.now() };

async function phone(): Promise<Phone> {
  const p = new Phone(server, uniqueName('locked'));
  await login(p.transport, p.db, coord.username, coord.password);
  return p;
}

test('locked, sync sends nothing and keeps the outbox; after unlocking the note reaches another phone in plain text', async () => {
  const a = await phone();
  await write('notes', 'n1', 'g1', NOTE, { db: a.db });
  await setPin('246813', a.db, { iterations: 1000 });
  lock(a.db);
  let requests = 0;
  a.deliver = (req, send) => {
    requests++;
    return send(req);
  };
  assert.equal(await syncOnce(a.transport), { kind: 'locked' });
  assert.is(requests, 0, 'no request at all while locked');
  assert.is(await a.db.outbox.count(), 1);
  assert.is((await unlock('246813', a.db)).kind, 'ok');
  assert.is((await syncOnce(a.transport)).kind, 'ok');
  assert.is(await a.db.outbox.count(), 0);
  const b = await phone();
  await syncOnce(b.transport);
  assert.is((await b.db.table('notes').get('n1'))?.text, NOTE.text);
});

test('text pulled from the server onto an unlocked phone with a PIN is sealed at rest too', async () => {
  const a = await phone();
  await setPin('246813', a.db, { iterations: 1000 });
  const b = await phone();
  await write('notes', 'n3', 'g1', { ...NOTE, text: 'Van telefoon B, over het verlies van haar man' }, { db: b.db });
  await syncOnce(b.transport);
  assert.is((await syncOnce(a.transport)).kind, 'ok');
  assert.is((await a.db.table('notes').get('n3'))?.text, 'Van telefoon B, over het verlies van haar man');
  const raw = new LkDb(a.db.name);
  raw.unuse({ stack: 'dbcore', name: 'Sealing' });
  const stored = await raw.table('notes').get('n3');
  assert.is(stored?.text, undefined);
  assert.not.ok(JSON.stringify(stored).includes('verlies'));
  raw.close();
});

test('a service worker that opened the database before the PIN was set still finds it locked and resolves without a retry', async () => {
  const a = await phone();
  const worker = new LkDb(a.db.name);
  await worker.open();
  await write('notes', 'n2', 'g1', NOTE, { db: a.db });
  await setPin('246813', a.db, { iterations: 1000 });
  assert.equal(await backgroundSync({ ...a.transport, db: worker }), { kind: 'locked' });
  assert.is(await a.db.outbox.count(), 1, 'nothing was sent or set aside');
  assert.is(await a.db.rejected.count(), 0);
  worker.close();
});

test.run();
