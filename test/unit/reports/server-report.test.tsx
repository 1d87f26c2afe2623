// While the device reads its own rows the first time, the report screen shows the server's figures (GET /api/report);
// a refusal or a malformed answer shows nothing from the server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import Dexie from 'dexie';
import { LkDb, useDb } from '../../../src/data/db';
import { writeAll } from '../../../src/data/write';
import { ReportScreen } from '../../../src/app/reports/ReportScreen';
import { fetchServerReport } from '../../../src/app/reports/server-report';
import { login } from '../../../src/sync/api';
import { syncOnce } from '../../../src/sync/engine';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import { localDate, roundId } from '../../../src/shared/ids';
import { BASE, Phone, TestServer, uniqueName } from '../sync/harness';

const year = Number(localDate().slice(0, 4));
let server: TestServer;
let desk: Phone;

test.before(async () => {
  server = await new TestServer().open();
  const coord = await server.user(uniqueName('coord'), 'coordinator');
  // The organisation reaches the server from the coördinator's desk: one round this year with three present.
  desk = new Phone(server, uniqueName('desk'));
  await login(desk.transport, desk.db, coord.username, coord.password);
  const round = roundId('g1', `${year}-01-10`);
  await writeAll(
    [
      { table: 'locations', id: 'l1', groupId: null, values: { name: 'De Boom', wijk: 'Noord' } },
      { table: 'groups', id: 'g1', groupId: 'g1', values: { name: 'Boom', locationId: 'l1', rhythm: 'tweewekelijks', plan: DEFAULT_PLAN, begeleiders: [], active: true } },
      ...['a', 'b', 'c'].map((p) => ({ table: 'participants' as const, id: p, groupId: 'g1', values: { name: p.toUpperCase(), foundVia: 'flyer', status: 'actief' } })),
      { table: 'rounds', id: round, groupId: 'g1', values: { date: `${year}-01-10`, status: 'afgerond', plan: DEFAULT_PLAN } },
      ...['a', 'b', 'c'].map((p) => ({ table: 'attendance' as const, id: `${round}|${p}`, groupId: 'g1', values: { roundId: round, participantId: p, present: true } })),
    ],
    { db: desk.db },
  );
  assert.is((await syncOnce(desk.transport)).kind, 'ok');
});
test.after.each(() => cleanup());
test.after(() => server.close());

const figure = (name: string) => within(screen.getByText(name, { selector: 'dt' }).parentElement!).getByText(/./, { selector: '.figure-value' }).textContent;

test("a new device still reading its rows shows the server's figures, then its own", async () => {
  const fresh = new LkDb(uniqueName('report-fresh'));
  useDb(fresh);
  await fresh.open();
  // Another write holds the rounds table, as ten years of rows would keep the first read busy.
  let release!: () => void;
  const held = fresh.transaction('rw', fresh.table('rounds'), () => Dexie.waitFor(new Promise<void>((ok) => (release = ok)), 10_000));
  try {
    // The desk's transport carries its database, where its session's session key is.
    render(<ReportScreen transport={desk.transport} />);
    await screen.findByText('Cijfers van de server: deze telefoon leest zijn eigen gegevens nog in.');
    assert.is(figure('Rondes gehouden'), '1');
    assert.is(figure('Aanwezigen totaal'), '3');
  } finally {
    release();
    await held;
  }
  // The device's own (still empty) rows take over once read.
  await waitFor(() => assert.is(screen.queryByText(/Cijfers van de server/), null));
  assert.is(figure('Rondes gehouden'), '0');
});

test('no figures from the server when it refuses or answers in another shape', async () => {
  const filter = { from: `${year}-01-01`, to: `${year}-12-31` };
  assert.is((await fetchServerReport(desk.transport, filter))?.roundsHeld, 1, 'the coördinator gets them');
  assert.is(await fetchServerReport({ fetch: desk.fetch, baseUrl: BASE }, filter), null, 'the cookie without the session key: 401');
  const stranger = new Phone(server, uniqueName('stranger'));
  assert.is(await fetchServerReport({ fetch: stranger.fetch, baseUrl: BASE }, filter), null, 'not logged in: 401');
  const odd = async () => new Response(JSON.stringify({ roundsHeld: 'veel' }), { status: 200, headers: { 'content-type': 'application/json' } });
  assert.is(await fetchServerReport({ fetch: odd, baseUrl: BASE }, filter), null, 'a malformed answer');
  const down = async (): Promise<Response> => {
    throw new TypeError('Failed to fetch');
  };
  assert.is(await fetchServerReport({ fetch: down, baseUrl: BASE }, filter), null, 'offline');
});

test.run();
