import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { useDb } from '../../../src/data/db';
import { write } from '../../../src/data/write';
import { LocaleContext } from '../../../src/app/i18n';
import { DurabilityWarnings, formatBytes, staleFor, storageNearlyFull } from '../../../src/app/pwa/Warnings';
import { Durability } from '../../../src/app/pwa/Durability';
import { setPwaState } from '../../../src/app/pwa/register';
import { login } from '../../../src/sync/api';
import { getStatus } from '../../../src/sync/status';
import { BASE, Phone, TestServer, uniqueName } from '../sync/harness';

const DAY = 24 * 3600_000;
const MB = 1024 * 1024;
let estimate = { usage: 10 * MB, quota: 2000 * MB };
Object.defineProperty(navigator, 'storage', {
  configurable: true,
  value: { estimate: async () => estimate, persist: async () => false, persisted: async () => false },
});

let server: TestServer;
let coord: { username: string; password: string };
test.before(async () => {
  server = await new TestServer().open();
  coord = await server.user('warn-coord', 'coordinator');
});
test.after.each(() => {
  cleanup();
  estimate = { usage: 10 * MB, quota: 2000 * MB };
  setPwaState({ persisted: null });
});
test.after(() => server.close());

function phone(): Phone {
  const p = new Phone(server, uniqueName('warn'));
  useDb(p.db);
  return p;
}
const participant = (name: string) => ({ name, foundVia: 'flyer' as const, status: 'actief' as const });

test('storage counts as nearly full from 80 % used or under 50 MB free, never when unknown', () => {
  assert.not.ok(storageNearlyFull(null));
  assert.not.ok(storageNearlyFull({ usage: 0, quota: 0 }));
  assert.not.ok(storageNearlyFull({ usage: 790 * MB, quota: 1000 * MB }));
  assert.ok(storageNearlyFull({ usage: 800 * MB, quota: 1000 * MB }));
  assert.ok(storageNearlyFull({ usage: 31 * MB, quota: 80 * MB }));
  assert.not.ok(storageNearlyFull({ usage: 29 * MB, quota: 80 * MB }));
});

test('a week is stale when changes wait: by the last sync or by the oldest waiting change', () => {
  const now = 100 * DAY;
  assert.is(staleFor({ waiting: 0, lastSyncedAt: now - 30 * DAY, oldestWaitingAt: null }, now), null);
  assert.is(staleFor({ waiting: 2, lastSyncedAt: now - 6 * DAY, oldestWaitingAt: now - 6 * DAY }, now), null);
  assert.is(staleFor({ waiting: 2, lastSyncedAt: now - 8 * DAY, oldestWaitingAt: now - DAY }, now), 8 * DAY);
  assert.is(staleFor({ waiting: 2, lastSyncedAt: now - DAY, oldestWaitingAt: now - 9 * DAY }, now), 9 * DAY);
  assert.is(staleFor({ waiting: 1, lastSyncedAt: null, oldestWaitingAt: now - 7 * DAY }, now), 7 * DAY);
  assert.is(staleFor({ waiting: 1, lastSyncedAt: null, oldestWaitingAt: now - DAY }, now), null);
});

test('sizes read as MB or GB in the locale', () => {
  assert.is(formatBytes(1.5 * 1024 * MB, 'nl'), '1,5 GB');
  assert.is(formatBytes(42 * MB, 'en'), '42 MB');
});

test('nothing is shown while changes are fresh and storage has room', async () => {
  const p = phone();
  await write('participants', 'p1', 'g1', participant('Fatima'), { db: p.db, now: Date.now() - DAY });
  const { container } = render(<DurabilityWarnings />);
  // Only once the status knows about the waiting change does "nothing shown" mean anything.
  await waitFor(() => assert.is(getStatus().waiting, 1));
  await new Promise((r) => setTimeout(r, 20));
  assert.is(container.innerHTML, '');
});

test('changes 8 days old without a sync: the warning names Safari and offers a backup and logging in', async () => {
  const p = phone();
  await write('participants', 'p1', 'g1', participant('Fatima'), { db: p.db, now: Date.now() - 8 * DAY });
  await write('participants', 'p2', 'g1', participant('Ahmed'), { db: p.db, now: Date.now() - 2 * DAY });
  setPwaState({ persisted: false });
  render(<DurabilityWarnings />);
  assert.ok(await screen.findByRole('heading', { name: 'Al 8 dagen niet gesynchroniseerd' }));
  assert.ok(screen.getByText(/2 wijzigingen staan alleen op deze telefoon\. Safari kan de gegevens wissen/));
  assert.ok(screen.getByText('De browser heeft geen blijvende opslag toegestaan.'));
  assert.is(screen.getByRole('link', { name: 'Back-up opslaan' }).getAttribute('href'), '#/sync/backup');
  // Not logged in yet: syncing needs the sync screen first.
  assert.is(screen.getByRole('link', { name: 'Inloggen om te synchroniseren' }).getAttribute('href'), '#/sync');
});

test('the English locale says the same', async () => {
  const p = phone();
  await write('participants', 'p1', 'g1', participant('Fatima'), { db: p.db, now: Date.now() - 10 * DAY });
  render(
    <LocaleContext.Provider value="en">
      <DurabilityWarnings />
    </LocaleContext.Provider>,
  );
  assert.ok(await screen.findByRole('heading', { name: 'Not synced for 10 days' }));
  assert.ok(screen.getByText(/1 change exists only on this phone\. Safari may delete/));
});

test('storage nearly full is shown with what is left, even with nothing waiting', async () => {
  phone();
  estimate = { usage: 900 * MB, quota: 1000 * MB };
  render(<DurabilityWarnings />);
  assert.ok(await screen.findByRole('heading', { name: 'Opslag bijna vol' }));
  assert.ok(screen.getByText(/Er is nog 100 MB vrij voor Luisterkring \(90\s?% in gebruik\)/));
  assert.is(screen.queryByRole('link', { name: 'Back-up opslaan' }), null);
});

test('"Nu synchroniseren" sends the old changes and the warning goes away', async () => {
  const p = phone();
  const transport = { fetch: p.fetch, baseUrl: BASE };
  await login(transport, p.db, coord.username, coord.password);
  await write('participants', 'p1', 'g-warn', participant('Fatima'), { db: p.db, now: Date.now() - 9 * DAY });
  render(<DurabilityWarnings transport={transport} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Nu synchroniseren' }));
  await waitFor(() => assert.is(screen.queryByRole('heading', { name: /niet gesynchroniseerd/ }), null));
  assert.is(await p.db.outbox.count(), 0);
  const stored = await server.store.db.selectFrom('records').select('id').where('id', '=', 'p1').where('group_id', '=', 'g-warn').execute();
  assert.is(stored.length, 1);
});

test('the durability panel shows the persistence answer and how much storage is used', async () => {
  phone();
  setPwaState({ persisted: true });
  estimate = { usage: 12 * MB, quota: 3 * 1024 * MB };
  render(<Durability />);
  assert.ok(screen.getByText(/Opslag is blijvend/));
  assert.ok(await screen.findByText('In gebruik door Luisterkring: 12 MB van de 3 GB die de browser toestaat.'));
});

test.run();
