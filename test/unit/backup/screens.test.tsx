import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { useDb } from '../../../src/data/db';
import { deviceId, write } from '../../../src/data/write';
import { BackupSave } from '../../../src/app/backup/BackupSave';
import { BackupImport } from '../../../src/app/backup/BackupImport';
import { SyncScreen } from '../../../src/app/sync/SyncScreen';
import { decodeBackup } from '../../../src/shared/backup';
import { login } from '../../../src/sync/api';
import { push } from '../../../src/server/sync';
import { formatHlc } from '../../../src/shared/hlc';
import { BASE, Phone, TestServer, uniqueName } from '../sync/harness';

const PASS = 'koffie om tien';
let server: TestServer;
let coord: { username: string; password: string };
let beg: { username: string; password: string };

test.before(async () => {
  server = await new TestServer().open();
  coord = await server.user('bk-coord', 'coordinator');
  beg = await server.user('bk-beg', 'begeleider', ['g-bk']);
});
test.after.each(() => {
  cleanup();
  location.hash = '';
});
test.after(() => server.close());

function phone(): Phone {
  const p = new Phone(server, uniqueName('backup'));
  useDb(p.db);
  return p;
}
const transport = (p: Phone) => ({ fetch: p.fetch, baseUrl: BASE });
const participant = (name: string) => ({ name, foundVia: 'flyer' as const, status: 'actief' as const });

/** The blob the download link points at: the real URL.createObjectURL, watched. */
function watchBlobs(): { last: () => Blob; stop: () => void } {
  const real = URL.createObjectURL;
  let last: Blob | null = null;
  URL.createObjectURL = (b: Blob) => {
    last = b;
    return real.call(URL, b);
  };
  return { last: () => last!, stop: () => (URL.createObjectURL = real) };
}

const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });

async function phoneWithBackup(tag = 'bk1'): Promise<{ text: string; device: string }> {
  const p = phone();
  await write('participants', `p-${tag}`, 'g-bk', participant('Fatima'), { db: p.db });
  await write('notes', `n-${tag}`, 'g-bk', { roundId: 'r.g-bk.2026-03-01', step: null, text: 'Goede ronde', author: 'b', createdAt: Date.now() }, { db: p.db });
  const blobs = watchBlobs();
  try {
    render(<BackupSave waiting={2} />);
    fireEvent.click(screen.getByRole('button', { name: 'Back-up van wachtende wijzigingen opslaan' }));
    type('Wachtwoordzin (minstens 8 tekens)', PASS);
    type('Herhaal de wachtwoordzin', PASS);
    fireEvent.click(screen.getByRole('button', { name: 'Back-up maken' }));
    await screen.findByRole('link', { name: 'Bestand opslaan' }, { timeout: 10_000 });
    const text = await blobs.last().text();
    cleanup();
    return { text, device: await deviceId(p.db) };
  } finally {
    blobs.stop();
  }
}

test('a short or unequal passphrase is refused in Dutch and what was typed stays', async () => {
  phone();
  render(<BackupSave waiting={1} />);
  fireEvent.click(screen.getByRole('button', { name: 'Back-up van wachtende wijzigingen opslaan' }));
  type('Wachtwoordzin (minstens 8 tekens)', 'kort');
  fireEvent.click(screen.getByRole('button', { name: 'Back-up maken' }));
  assert.is((await screen.findByRole('alert')).textContent, 'Kies een wachtwoordzin van minstens 8 tekens.');
  type('Wachtwoordzin (minstens 8 tekens)', PASS);
  type('Herhaal de wachtwoordzin', `${PASS}!`);
  fireEvent.click(screen.getByRole('button', { name: 'Back-up maken' }));
  await screen.findByText('De twee wachtwoordzinnen zijn niet gelijk.');
  assert.is((screen.getByLabelText('Wachtwoordzin (minstens 8 tekens)') as HTMLInputElement).value, PASS);
});

test('the saved file is named by date and opens with the passphrase to exactly the waiting changes', async () => {
  const p = phone();
  await write('participants', 'p-save', 'g-bk', participant('Sanne'), { db: p.db });
  const blobs = watchBlobs();
  try {
    render(<BackupSave waiting={1} />);
    fireEvent.click(screen.getByRole('button', { name: 'Back-up van wachtende wijzigingen opslaan' }));
    type('Wachtwoordzin (minstens 8 tekens)', PASS);
    type('Herhaal de wachtwoordzin', PASS);
    fireEvent.click(screen.getByRole('button', { name: 'Back-up maken' }));
    const link = await screen.findByRole('link', { name: 'Bestand opslaan' }, { timeout: 10_000 });
    const d = new Date();
    const name = `luisterkring-backup-${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}.lkbackup`;
    assert.is(link.getAttribute('download'), name);
    assert.match(link.getAttribute('href')!, /^blob:/);
    assert.ok(screen.getByText(`Back-up klaar: 1 wijziging in ${name}.`));
    const { entries, header } = await decodeBackup(await blobs.last().text(), PASS);
    assert.equal(entries, await p.db.outbox.toArray());
    assert.is(header.deviceId, await deviceId(p.db));
    // Saving a backup sends nothing and keeps the outbox: the phone still syncs it itself.
    assert.is(await p.db.outbox.count(), 1);
  } finally {
    blobs.stop();
  }
});

test('where the browser can share files, "Delen…" hands the same file to the share sheet', async () => {
  const p = phone();
  await write('participants', 'p-share', 'g-bk', participant('Noor'), { db: p.db });
  let shared: ShareData | null = null;
  Object.assign(navigator, { canShare: (d: ShareData) => !!d.files?.length, share: async (d: ShareData) => void (shared = d) });
  try {
    render(<BackupSave waiting={1} />);
    fireEvent.click(screen.getByRole('button', { name: 'Back-up van wachtende wijzigingen opslaan' }));
    type('Wachtwoordzin (minstens 8 tekens)', PASS);
    type('Herhaal de wachtwoordzin', PASS);
    fireEvent.click(screen.getByRole('button', { name: 'Back-up maken' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delen…' }, { timeout: 10_000 }));
    await new Promise((r) => setTimeout(r, 0));
    const file = (shared as ShareData | null)?.files?.[0];
    assert.match(file!.name, /^luisterkring-backup-.*\.lkbackup$/);
    assert.is((await decodeBackup(await file!.text(), PASS)).entries.length, 1);
  } finally {
    delete (navigator as { canShare?: unknown }).canShare;
    delete (navigator as { share?: unknown }).share;
  }
});

test('coming from a warning (#/sync/backup) the form is open at once', async () => {
  phone();
  location.hash = '#/sync/backup';
  render(<BackupSave waiting={3} />);
  assert.ok(await screen.findByLabelText('Wachtwoordzin (minstens 8 tekens)'));
});

test('with nothing waiting there is nothing to back up', () => {
  phone();
  render(<BackupSave waiting={0} />);
  assert.ok(screen.getByText('Er wachten geen wijzigingen; een back-up is niet nodig.'));
  assert.is(screen.queryByRole('button', { name: /opslaan/ }), null);
});

function chooseFile(text: string, name = 'luisterkring-backup-2026-03-01.lkbackup') {
  const input = screen.getByLabelText('Back-upbestand (.lkbackup)') as HTMLInputElement;
  Object.defineProperty(input, 'files', { configurable: true, value: [new File([text], name)] });
  fireEvent.change(input);
}

test('the coördinator imports: wrong passphrase told plainly, preview per kind and group, then the server has it; twice changes nothing', async () => {
  const { text } = await phoneWithBackup();
  const c = phone();
  await login(transport(c), c.db, coord.username, coord.password);
  await c.db.table('groups').put({ id: 'g-bk', groupId: 'g-bk', name: 'Dinsdaggroep', _h: {} } as never);
  render(<BackupImport transport={transport(c)} />);
  chooseFile(text);
  assert.ok(await screen.findByText(/met 2 wijzigingen/));
  type('Wachtwoordzin van de back-up', 'thee om tien');
  fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
  assert.is((await screen.findByRole('alert', {}, { timeout: 10_000 })).textContent, 'De wachtwoordzin klopt niet. Let op hoofdletters en spaties.');
  assert.is((screen.getByLabelText('Wachtwoordzin van de back-up') as HTMLInputElement).value, 'thee om tien');
  type('Wachtwoordzin van de back-up', PASS);
  fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
  const perKind = await screen.findByRole('list', { name: 'Per soort' }, { timeout: 10_000 });
  assert.equal(
    [...perKind.querySelectorAll('li')].map((li) => li.textContent),
    ['Deelnemers1', 'Notities1'],
  );
  assert.equal(
    [...screen.getByRole('list', { name: 'Per groep' }).querySelectorAll('li')].map((li) => li.textContent),
    ['Dinsdaggroep2'],
  );
  fireEvent.click(screen.getByRole('button', { name: '2 wijzigingen importeren' }));
  assert.ok(await screen.findByText('Klaar: 2 wijzigingen verwerkt.'));
  const rows = await server.store.db.selectFrom('records').select(['tbl', 'id']).where('group_id', '=', 'g-bk').orderBy('id').execute();
  assert.equal(rows, [
    { tbl: 'notes', id: 'n-bk1' },
    { tbl: 'participants', id: 'p-bk1' },
  ]);

  fireEvent.click(screen.getByRole('button', { name: 'Nog een back-up importeren' }));
  chooseFile(text);
  await screen.findByText(/met 2 wijzigingen/);
  type('Wachtwoordzin van de back-up', PASS);
  fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
  fireEvent.click(await screen.findByRole('button', { name: '2 wijzigingen importeren' }, { timeout: 10_000 }));
  assert.ok(await screen.findByText('2 wijzigingen waren al eerder geïmporteerd.'));
  assert.ok(screen.getByText('Klaar: 0 wijzigingen verwerkt.'));
});

test('changes the server refuses are listed with its reason and not counted as processed', async () => {
  const { text } = await phoneWithBackup('bk-elders');
  // The same ids already live in another group on the server, so the coördinator's import of them is refused.
  const elsewhere = [
    { mid: 1, table: 'participants' as const, id: 'p-bk-elders', groupId: 'g-elders', values: { name: 'Ander' }, hlc: formatHlc(Date.now(), 0, 'elders') },
    { mid: 2, table: 'notes' as const, id: 'n-bk-elders', groupId: 'g-elders', values: { text: 'Ander' }, hlc: formatHlc(Date.now(), 1, 'elders') },
  ];
  assert.equal((await push(server.store, { id: 'elders', role: 'coordinator', groups: [] }, { deviceId: uniqueName('elders'), changes: elsewhere }, Date.now())).rejected, []);
  const c = phone();
  await login(transport(c), c.db, coord.username, coord.password);
  render(<BackupImport transport={transport(c)} />);
  chooseFile(text);
  await screen.findByText(/met 2 wijzigingen/);
  type('Wachtwoordzin van de back-up', PASS);
  fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
  fireEvent.click(await screen.findByRole('button', { name: '2 wijzigingen importeren' }, { timeout: 10_000 }));
  assert.ok(await screen.findByText('Klaar: 0 wijzigingen verwerkt.'));
  assert.ok(screen.getByRole('heading', { name: 'Door de server geweigerd (2)' }));
  assert.ok(screen.getByText('Deelnemers: Dit record hoort bij een andere groep; verplaatsen kan niet'));
});

test('a file that is not a backup gets a clear Dutch message and no passphrase field', async () => {
  const c = phone();
  render(<BackupImport transport={transport(c)} />);
  chooseFile('{"hallo": "wereld"}', 'foto.jpg');
  assert.is((await screen.findByRole('alert')).textContent, 'Dit is geen back-upbestand van Luisterkring, of het bestand is onvolledig.');
  assert.is(screen.queryByLabelText('Wachtwoordzin van de back-up'), null);
});

test('a tampered backup opens to nothing: "beschadigd", and nothing reaches the server', async () => {
  const { text } = await phoneWithBackup();
  const env = JSON.parse(text);
  const bytes = Buffer.from(env.ciphertext, 'base64');
  bytes[0] ^= 0xff;
  env.ciphertext = bytes.toString('base64');
  const c = phone();
  await login(transport(c), c.db, coord.username, coord.password);
  const before = await server.store.db.selectFrom('records').select('id').execute();
  render(<BackupImport transport={transport(c)} />);
  chooseFile(JSON.stringify(env));
  await screen.findByText(/met 2 wijzigingen/);
  type('Wachtwoordzin van de back-up', PASS);
  fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
  assert.match((await screen.findByRole('alert', {}, { timeout: 10_000 })).textContent!, /beschadigd of gewijzigd.*Er is niets geïmporteerd/);
  assert.is(screen.queryByRole('button', { name: /importeren/ }), null);
  assert.equal(await server.store.db.selectFrom('records').select('id').execute(), before);
});

test('only a coördinator sees the import on the sync screen; everyone can save a backup', async () => {
  const b = phone();
  await login(transport(b), b.db, beg.username, beg.password);
  render(<SyncScreen transport={transport(b)} />);
  await screen.findByText(/Ingelogd als bk-beg/);
  assert.ok(await screen.findByRole('heading', { name: 'Back-up' }));
  assert.is(screen.queryByRole('heading', { name: 'Back-up importeren' }), null);
  cleanup();
  const c = phone();
  await login(transport(c), c.db, coord.username, coord.password);
  render(<SyncScreen transport={transport(c)} />);
  await screen.findByText(/Ingelogd als bk-coord/);
  assert.ok(await screen.findByRole('heading', { name: 'Back-up importeren' }));
});

test.run();
