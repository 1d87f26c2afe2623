// The audit log screen against the real server app (in-process, SQLite): entries in Dutch with Amsterdam times, paging, English, offline and refusal.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { AdminHome } from '../../../src/app/admin/AdminHome';
import { PAGE } from '../../../src/app/admin/Audit';
import { LocaleContext } from '../../../src/app/i18n';
import { recordAudit } from '../../../src/server/audit';
import { harness, T0, uniq, type Client, type Harness } from '../server/harness';

let h: Harness;
let realFetch: typeof fetch;

test.before(async () => {
  h = await harness('sqlite');
  realFetch = globalThis.fetch;
});
test.after(async () => {
  globalThis.fetch = realFetch;
  await h.close();
});
test.after.each(() => {
  cleanup();
  globalThis.fetch = realFetch;
  // The own property set by a test hides happy-dom's getter; removing it restores "online".
  delete (navigator as { onLine?: boolean }).onLine;
});

/** The page's fetch goes to the app in this process with this client's session cookie. */
function as(client: Client | null) {
  globalThis.fetch = (async (input: string, init: RequestInit = {}) =>
    h.request(init.method ?? 'GET', String(input), { headers: client ? { cookie: client.cookie } : {} })) as typeof fetch;
}

test('the Beheer menu links to the log', () => {
  render(<AdminHome />);
  assert.ok(screen.getByRole('link', { name: /^Logboek/ }));
});

test('entries read as Dutch sentences with the time in Amsterdam, who did it, and usernames instead of user ids', async () => {
  const coord = await h.user('coordinator');
  const created = await (await coord.call('POST', '/api/users', { username: uniq('marieke'), role: 'begeleider', groups: [] })).json();
  await recordAudit(h.store, { at: T0, actor: { id: coord.userId, username: 'coord-x' }, action: 'record.delete', target: 'n-42', detail: { table: 'notes', groupId: 'g1', device: 'd1' } });
  // 1 March 2026 10:00 UTC is 11:00 in Amsterdam (winter time).
  await recordAudit(h.store, { at: T0, actor: { id: coord.userId, username: 'coord-x' }, action: 'participant.erase', target: 'p-123', detail: { attendance: 4 } });
  await recordAudit(h.store, { at: T0 + 1, actor: { id: coord.userId, username: 'coord-x' }, action: 'sync.org', target: 'dev1', detail: { counts: { groups: 2, locations: 1 }, refused: 1 } });
  await recordAudit(h.store, { at: T0 + 2, actor: null, action: 'login.failed', target: null, detail: { known: false } });
  as(coord);
  render(<AdminHome section="logboek" />);
  const list = await screen.findByRole('list', { name: 'Logboek' });
  const items = within(list).getAllByRole('listitem');
  const text = items.map((li) => li.textContent);
  assert.ok(text[0]!.includes('Inloggen mislukt: onbekende gebruikersnaam'), text[0]!);
  assert.ok(text[0]!.includes('Door: niet ingelogd'));
  assert.ok(text[1]!.includes('Beheergegevens gesynchroniseerd: 2 groepen, 1 locaties, 1 geweigerd'), text[1]!);
  assert.ok(text[2]!.includes('Deelnemer p-123 gewist (AVG), met 4 aanwezigheden'), text[2]!);
  assert.ok(text[2]!.includes('11:00'), `Amsterdam time: ${text[2]}`);
  assert.ok(text[2]!.includes('Door: coord-x'));
  assert.ok(text[3]!.includes('Verwijderd uit notities: n-42'), text[3]!);
  const createdLine = text.find((s) => s!.includes('aangemaakt'))!;
  assert.ok(createdLine.includes(`Account ${created.user.username} aangemaakt (begeleider)`), createdLine);
  assert.is(items[2].querySelector('time')!.getAttribute('datetime'), new Date(T0).toISOString());
  assert.ok(items[0].classList.contains('is-failed'), 'failed logins stand out');
});

test('older entries load page by page until the start of the log', async () => {
  const coord = await h.user('coordinator');
  for (let i = 0; i < PAGE + 5; i++) await recordAudit(h.store, { at: T0 + 100 + i, actor: null, action: 'logout', target: null });
  as(coord);
  render(<AdminHome section="logboek" />);
  const list = await screen.findByRole('list', { name: 'Logboek' });
  assert.is(within(list).getAllByRole('listitem').length, PAGE);
  const total = (await h.store.db.selectFrom('audit').select('id').execute()).length;
  while (screen.queryByRole('button', { name: 'Oudere meldingen laden' })) {
    fireEvent.click(screen.getByRole('button', { name: 'Oudere meldingen laden' }));
    await waitFor(() => assert.ok(!screen.queryByRole('button', { name: 'Ouder deel ophalen…' })));
  }
  await screen.findByText('Dit is het begin van het logboek.');
  const ids = within(list).getAllByRole('listitem').length;
  assert.is(ids, total, 'every entry once');
});

test('in English the screen and the sentences are English', async () => {
  const coord = await h.user('coordinator');
  as(coord);
  render(
    <LocaleContext.Provider value="en">
      <AdminHome section="logboek" />
    </LocaleContext.Provider>,
  );
  const list = await screen.findByRole('list', { name: 'Audit log' });
  assert.ok(screen.getByRole('heading', { name: 'Audit log' }));
  assert.ok(within(list).getAllByRole('listitem')[0].textContent!.includes('Logged in'));
  assert.ok(within(list).getAllByRole('listitem')[0].textContent!.includes('By: '));
});

test('offline the screen says the log needs a connection, and loads once the connection is back', async () => {
  const coord = await h.user('coordinator');
  as(coord);
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
  render(<AdminHome section="logboek" />);
  const alert = await screen.findByRole('alert');
  assert.match(alert.textContent!, /Maak verbinding met internet/);
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
  dispatchEvent(new Event('online'));
  await screen.findByRole('list', { name: 'Logboek' });
});

test('a network failure counts as offline too, and "Opnieuw proberen" retries', async () => {
  const coord = await h.user('coordinator');
  globalThis.fetch = (async () => {
    throw new TypeError('Failed to fetch');
  }) as typeof fetch;
  render(<AdminHome section="logboek" />);
  assert.match((await screen.findByRole('alert')).textContent!, /Maak verbinding/);
  as(coord);
  fireEvent.click(screen.getByRole('button', { name: 'Opnieuw proberen' }));
  await screen.findByRole('list', { name: 'Logboek' });
});

test('a begeleider (or nobody) is told only coördinators can see it, with a way to log in', async () => {
  as(await h.user('begeleider'));
  render(<AdminHome section="logboek" />);
  assert.match((await screen.findByRole('alert')).textContent!, /Alleen een ingelogde coördinator/);
  assert.is(screen.getByRole('link', { name: 'Inloggen' }).getAttribute('href'), '#/sync');
  assert.is(screen.queryByRole('list', { name: 'Logboek' }), null);
  cleanup();
  as(null);
  render(<AdminHome section="logboek" />);
  assert.match((await screen.findByRole('alert')).textContent!, /Alleen een ingelogde coördinator/);
});

test.run();
