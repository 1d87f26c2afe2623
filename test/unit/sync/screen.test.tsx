import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { useDb } from '../../../src/data/db';
import { write } from '../../../src/data/write';
import { login } from '../../../src/sync/api';
import { syncOnce } from '../../../src/sync/engine';
import { SyncBadge, badgeText } from '../../../src/app/sync/SyncBadge';
import { deriveState } from '../../../src/sync/status';
import type { SyncStatus } from '../../../src/sync/status';
import { SyncScreen } from '../../../src/app/sync/SyncScreen';
import { BASE, Phone, TestServer, uniqueName } from './harness';

let server: TestServer;
let coord: { username: string; password: string };

test.before(async () => {
  server = await new TestServer().open();
  coord = await server.user('coord', 'coordinator');
});
test.after.each(() => cleanup());
test.after(() => server.close());

function phone(): Phone {
  const p = new Phone(server, uniqueName('screen'));
  useDb(p.db);
  return p;
}

const transport = (p: Phone) => ({ fetch: p.fetch, baseUrl: BASE });
const participant = (name: string) => ({ name, foundVia: 'flyer' as const, status: 'actief' as const });

async function typeLogin(username: string, password: string) {
  fireEvent.input(await screen.findByLabelText('Gebruikersnaam'), { target: { value: username } });
  fireEvent.input(screen.getByLabelText('Wachtwoord'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Inloggen' }));
}

const base: SyncStatus = {
  loaded: true,
  loggedOut: false,
  state: 'idle',
  lastSyncedAt: 1,
  waiting: 0,
  oldestWaitingAt: null,
  rejected: [],
  held: [],
  lastProblem: null,
  clockOffset: 0,
  user: null,
  nextRetryAt: null,
};

test('the badge puts what needs a person first and never claims "synced" before it knows', () => {
  assert.is(badgeText({ ...base, loaded: false }).key, 'checking');
  assert.is(badgeText(base).key, 'synced');
  assert.is(badgeText({ ...base, waiting: 3 }).key, 'waitingMany');
  assert.is(badgeText({ ...base, waiting: 3, state: 'needs-login' }).key, 'login');
  assert.is(badgeText({ ...base, waiting: 3, state: 'offline' }).key, 'offlineWaiting');
  assert.is(badgeText({ ...base, waiting: 3, rejected: [{} as never] }).key, 'rejected');
  assert.equal(badgeText({ ...base, waiting: 3, state: 'needs-password' }), { key: 'password', tone: 'warn' });
});

test('a one-time code still to swap is a step to take, not a failure', () => {
  const s = { running: false, online: true, needsLogin: false };
  assert.is(deriveState({ ...s, lastProblem: { code: 'password' } }), 'needs-password');
  assert.is(deriveState({ ...s, lastProblem: { code: 'http', status: 500 } }), 'error');
  assert.is(deriveState({ ...s, needsLogin: true, lastProblem: { code: 'password' } }), 'needs-login');
});

test('a wrong password gets a Dutch message and keeps what was typed; a good one logs in and syncs', async () => {
  const p = phone();
  render(<SyncScreen transport={transport(p)} />);
  await typeLogin('coord', 'fout-wachtwoord');
  // A login costs the server a scrypt run; on a busy machine that can take a second or more.
  assert.is((await screen.findByRole('alert', {}, { timeout: 10_000 })).textContent, 'Gebruikersnaam of wachtwoord klopt niet.');
  assert.is((screen.getByLabelText('Gebruikersnaam') as HTMLInputElement).value, 'coord');
  await typeLogin('coord', coord.password);
  await screen.findByText(/Ingelogd als coord/, {}, { timeout: 10_000 });
  await screen.findByText('Laatst gesynchroniseerd: zojuist');
});

test('too many attempts: the server’s wait is shown in minutes', async () => {
  const p = phone();
  render(<SyncScreen transport={transport(p)} />);
  for (let i = 0; i < 5; i++) {
    await typeLogin('raden', `gok-${i}`);
    // Each wrong guess costs the server a full scrypt (N = 2^17), about half a second on a busy machine.
    await screen.findByText('Gebruikersnaam of wachtwoord klopt niet.', {}, { timeout: 10_000 });
    await waitFor(() => assert.not.ok((screen.getByRole('button', { name: /Inloggen/ }) as HTMLButtonElement).disabled), { timeout: 10_000 });
  }
  await typeLogin('raden', 'nog-een-gok');
  await screen.findByText('Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw.', {}, { timeout: 10_000 });
});

test('waiting changes are counted with the age of the oldest, on the screen and in the badge', async () => {
  const p = phone();
  await login(transport(p), p.db, coord.username, coord.password);
  const threeDaysAgo = Date.now() - 3 * 86_400_000 - 3600_000;
  await write('participants', 'w1', 'g1', participant('Ans'), { db: p.db, now: threeDaysAgo });
  await write('participants', 'w2', 'g1', participant('Bep'), { db: p.db });
  render(
    <>
      <SyncBadge />
      <SyncScreen transport={transport(p)} />
    </>,
  );
  await screen.findByText('2 wijzigingen wachten op verzending — oudste wacht 3 dagen');
  const badge = await screen.findByRole('link', { name: '2 wachten — synchronisatie, details openen' });
  assert.is(badge.getAttribute('href'), '#/sync');
});

test('a phone that never logged in says "inloggen nodig" before any sync has run, not "bijgewerkt"', async () => {
  phone();
  render(<SyncBadge />);
  const badge = await screen.findByRole('link', { name: 'inloggen nodig — synchronisatie, details openen' });
  assert.is(badge.textContent, 'inloggen nodig');
});

test('the badge says "inloggen nodig" after the server refused the session', async () => {
  const p = phone();
  await write('participants', 'w3', 'g1', participant('Cor'), { db: p.db });
  render(
    <>
      <SyncBadge />
      <SyncScreen transport={transport(p)} />
    </>,
  );
  const badge = await screen.findByRole('link', { name: 'inloggen nodig — synchronisatie, details openen' });
  assert.is(badge.textContent, 'inloggen nodig');
});

test('logging out with changes waiting asks first and keeps them', async () => {
  const p = phone();
  await login(transport(p), p.db, coord.username, coord.password);
  await write('participants', 'w4', 'g1', participant('Dirk'), { db: p.db });
  render(<SyncScreen transport={transport(p)} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Uitloggen' }));
  await screen.findByText(/Er wachten nog 1 wijzigingen\. Ze blijven op deze telefoon bewaard/);
  fireEvent.click(screen.getByRole('button', { name: 'Annuleren' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Uitloggen' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Ja, uitloggen' }));
  await screen.findByLabelText('Gebruikersnaam');
  assert.is(await p.db.outbox.count(), 1);
  assert.ok(await p.db.table('participants').get('w4'));
});

test('a refused change is listed with its reason and leaves the list only after confirming', async () => {
  const p = phone();
  await p.db.rejected.put({
    mid: 7,
    table: 'participants',
    id: 'x1',
    groupId: 'g2',
    values: { name: 'Gijs' },
    hlc: '001790000000000:000000:dtest',
    at: Date.now(),
    reason: 'Je bent niet ingedeeld bij deze groep',
  });
  render(<SyncScreen transport={transport(p)} />);
  await screen.findByText('niet gesynchroniseerd: Je bent niet ingedeeld bij deze groep');
  fireEvent.click(screen.getByRole('button', { name: 'Verwijderen uit lijst: Deelnemer: Gijs' }));
  await screen.findByText(/Deze melding verwijderen\?/);
  assert.is(await p.db.rejected.count(), 1, 'nothing removed before confirming');
  fireEvent.click(screen.getByRole('button', { name: 'Ja, verwijderen' }));
  await waitFor(() => assert.is(screen.queryByText(/niet gesynchroniseerd:/), null));
  assert.is(await p.db.rejected.count(), 0);
});

test('a busy server (429) is explained in plain words and the waiting change stays', async () => {
  const p = phone();
  await login(transport(p), p.db, coord.username, coord.password);
  await write('participants', 'w9', 'g1', participant('Hanna'), { db: p.db });
  const busy = {
    baseUrl: BASE,
    fetch: (input: string, init?: RequestInit) =>
      String(input).endsWith('/api/sync')
        ? Promise.resolve(new Response(JSON.stringify({ error: 'Te veel synchronisatieverzoeken' }), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' } }))
        : p.fetch(input, init),
  };
  render(<SyncScreen transport={busy} />);
  const button = await screen.findByRole('button', { name: 'Nu synchroniseren' });
  await waitFor(() => assert.not.ok((button as HTMLButtonElement).disabled));
  fireEvent.click(button);
  await screen.findByText(/De server krijgt nu te veel verzoeken\. Er gaat niets verloren/);
  assert.is(await p.db.outbox.count(), 1);
  assert.is(await p.db.rejected.count(), 0);
});

test('a begeleider’s refused location rename: the screen says what was refused, never "Alles is bijgewerkt", and the phone shows the server’s name again', async () => {
  const c = phone();
  await login(c.transport, c.db, coord.username, coord.password);
  await write('locations', 'l-refused', null, { name: 'De Linde', wijk: 'Oost' }, { db: c.db });
  await syncOnce(c.transport);
  const beg = await server.user(uniqueName('beg'), 'begeleider', ['g1']);
  const p = phone();
  await login(p.transport, p.db, beg.username, beg.password);
  await syncOnce(p.transport);
  await write('locations', 'l-refused', null, { name: 'De Lindeboom' }, { db: p.db });
  render(
    <>
      <SyncBadge />
      <SyncScreen transport={transport(p)} />
    </>,
  );
  const button = await screen.findByRole('button', { name: 'Nu synchroniseren' });
  await waitFor(() => assert.not.ok((button as HTMLButtonElement).disabled));
  fireEvent.click(button);
  await screen.findByText('niet gesynchroniseerd: Alleen een coördinator mag locaties, categorieën en instellingen wijzigen', {}, { timeout: 5000 });
  await screen.findByText('Gesynchroniseerd, maar de server weigerde 1 wijziging(en): zie hieronder.');
  assert.is(screen.queryByText('Alles is bijgewerkt met de server.'), null);
  assert.ok(screen.getByText('⚠ 1 geweigerd'));
  assert.is(screen.queryByText(/bijgewerkt/), null, 'no status says bijgewerkt');
  assert.is((await p.db.table('locations').get('l-refused'))?.name, 'De Linde');
});

test.run();
