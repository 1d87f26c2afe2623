// Begeleider accounts against the real server app (in-process, SQLite): create with a one-time code, assign, reset, deactivate.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { LkDb, db, useDb } from '../../../src/data/db';
import { createGroup, createLocation } from '../../../src/data/actions';
import type { Group } from '../../../src/shared/schema';
import { listUsers } from '../../../src/server/users';
import { AdminHome } from '../../../src/app/admin/AdminHome';
import { harness, type Harness } from '../server/harness';

let h: Harness;
let realFetch: typeof fetch;
let realConfirm: typeof confirm;

test.before(async () => {
  h = await harness('sqlite');
  realFetch = globalThis.fetch;
  realConfirm = globalThis.confirm;
});
test.after(async () => {
  globalThis.fetch = realFetch;
  globalThis.confirm = realConfirm;
  await h.close();
});
test.after.each(() => cleanup());

let n = 0;
async function setUp(role: 'coordinator' | 'begeleider'): Promise<Group> {
  useDb(new LkDb(`admin-beg-${++n}-${Date.now()}`));
  const client = await h.user(role);
  // The page's fetch goes to the app in this process, with the logged-in user's session cookie.
  globalThis.fetch = (async (input: string, init: RequestInit = {}) =>
    h.request(init.method ?? 'GET', String(input), { raw: init.body as string | undefined, headers: { cookie: client.cookie } })) as typeof fetch;
  const locationId = await createLocation({ name: 'Buurthuis', wijk: 'Oost', address: '' });
  const id = await createGroup({ name: 'Dinsdaggroep', locationId, rhythm: 'wekelijks' });
  return (await db().table('groups').get(id)) as Group;
}

const group = async (id: string) => (await db().table('groups').get(id)) as Group;
const serverUser = async (username: string) => (await listUsers(h.store)).find((u) => u.username === username)!;

test('a new begeleider gets a one-time code shown once, and is assigned on the server and in the group record', async () => {
  const g = await setUp('coordinator');
  render(<AdminHome section="groepen" id={g.id} />);
  fireEvent.input(await screen.findByRole('textbox', { name: 'Gebruikersnaam' }), { target: { value: 'marieke' } });
  fireEvent.click(screen.getByRole('button', { name: 'Account maken' }));
  await screen.findByRole('heading', { name: 'Eenmalige code voor marieke' });
  assert.ok(screen.getByRole('button', { name: 'Kopieer de code' }));
  const code = document.querySelector('.admin-code-value code')!.textContent!;
  assert.ok(code.length >= 8);
  const u = await serverUser('marieke');
  assert.equal(u.groups, [g.id]);
  assert.equal((await group(g.id)).begeleiders, [u.id]);
  fireEvent.click(screen.getByRole('button', { name: 'Ik heb de code doorgegeven' }));
  await waitFor(() => assert.is(document.querySelector('.admin-code'), null));
});

test('unassigning, resetting and deactivating a begeleider', async () => {
  const g = await setUp('coordinator');
  render(<AdminHome section="groepen" id={g.id} />);
  fireEvent.input(await screen.findByRole('textbox', { name: 'Gebruikersnaam' }), { target: { value: 'kees' } });
  fireEvent.click(screen.getByRole('button', { name: 'Account maken' }));
  const box = (await screen.findByRole('checkbox', { name: 'kees begeleidt deze groep' })) as HTMLInputElement;
  await waitFor(() => assert.ok(box.checked));
  fireEvent.click(box);
  await waitFor(async () => assert.equal((await serverUser('kees')).groups, []));
  await waitFor(async () => assert.equal((await group(g.id)).begeleiders, []));

  fireEvent.click(screen.getByRole('button', { name: 'Ik heb de code doorgegeven' }));
  fireEvent.click(screen.getByRole('button', { name: 'Nieuwe code voor kees' }));
  await screen.findByRole('heading', { name: 'Eenmalige code voor kees' });

  globalThis.confirm = () => true;
  fireEvent.click(screen.getByRole('button', { name: 'Deactiveer kees' }));
  await waitFor(async () => assert.is((await serverUser('kees')).active, false));
  await screen.findByText('(gedeactiveerd)');
});

test('a taken username is refused with the server’s Dutch reason, and the name stays typed', async () => {
  const g = await setUp('coordinator');
  render(<AdminHome section="groepen" id={g.id} />);
  const input = await screen.findByRole('textbox', { name: 'Gebruikersnaam' });
  fireEvent.input(input, { target: { value: 'anna' } });
  fireEvent.click(screen.getByRole('button', { name: 'Account maken' }));
  await screen.findByRole('heading', { name: 'Eenmalige code voor anna' });
  fireEvent.input(input, { target: { value: 'anna' } });
  fireEvent.click(screen.getByRole('button', { name: 'Account maken' }));
  await screen.findByText('Gebruikersnaam anna bestaat al');
  assert.is((input as HTMLInputElement).value, 'anna');
});

test('for a begeleider the panel explains it is for coördinators only', async () => {
  const g = await setUp('begeleider');
  render(<AdminHome section="groepen" id={g.id} />);
  await screen.findByText(/Alleen voor coördinatoren, en alleen met verbinding/);
  assert.is(screen.queryByRole('textbox', { name: 'Gebruikersnaam' }), null);
});

test.run();
