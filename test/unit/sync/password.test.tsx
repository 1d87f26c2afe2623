// First login with a one-time code: the sync screen asks for an own password, refuses bad input in Dutch without
// clearing what was typed, and after saving the code no longer logs in while the new password does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { useDb } from '../../../src/data/db';
import { writeAll } from '../../../src/data/write';
import { keyHeaders, login, LoginError } from '../../../src/sync/api';
import { SyncScreen } from '../../../src/app/sync/SyncScreen';
import { BASE, Phone, TestServer, uniqueName } from './harness';

let server: TestServer;

test.before(async () => {
  server = await new TestServer().open();
});
test.after.each(() => cleanup());
test.after(() => server.close());

function phone(): Phone {
  const p = new Phone(server, uniqueName('password'));
  useDb(p.db);
  return p;
}
const transport = (p: Phone) => ({ fetch: p.fetch, baseUrl: BASE });

async function logIn(username: string, password: string) {
  fireEvent.input(await screen.findByLabelText('Gebruikersnaam'), { target: { value: username } });
  fireEvent.input(screen.getByLabelText('Wachtwoord'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Inloggen' }));
  // A chosen password costs the server a full scrypt (N = 2^17): give a busy machine time.
  await screen.findByText(new RegExp(`Ingelogd als ${username}`), {}, { timeout: 10_000 });
}

function fill(code: string, next: string, repeat: string) {
  fireEvent.input(screen.getByLabelText('Eenmalige code'), { target: { value: code } });
  fireEvent.input(screen.getByLabelText('Nieuw wachtwoord'), { target: { value: next } });
  fireEvent.input(screen.getByLabelText('Herhaal het nieuwe wachtwoord'), { target: { value: repeat } });
  fireEvent.click(screen.getByRole('button', { name: 'Wachtwoord opslaan' }));
}

const value = (label: string) => (screen.getByLabelText(label) as HTMLInputElement).value;

test('after a one-time code the begeleider chooses an own password; the code stops working', async () => {
  const user = await server.user('sanne', 'begeleider', ['gsanne'], { oneTimeCode: true });
  const p = phone();
  await writeAll([{ table: 'participants', id: 'psanne', groupId: 'gsanne', values: { name: 'Ria', foundVia: 'flyer', status: 'actief' } }]);
  render(<SyncScreen transport={transport(p)} />);
  await logIn('sanne', user.password);
  await screen.findByRole('heading', { name: 'Kies je eigen wachtwoord' });
  // The code opens nothing but the password change: the sync waits, and the change with it.
  await screen.findByText(/Kies eerst hieronder je eigen wachtwoord/);
  assert.is(await p.db.outbox.count(), 1, 'the waiting change stays');
  const refused = await p.fetch(`${BASE}/api/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lk': '1', ...(await keyHeaders(p.db)) },
    body: JSON.stringify({ deviceId: 'dsanne', cursor: '0', changes: [] }),
  });
  assert.is(refused.status, 403);
  assert.is(((await refused.json()) as { mustChangePassword?: boolean }).mustChangePassword, true);

  fill(user.password, 'kort', 'kort');
  assert.is((await screen.findByRole('alert')).textContent, 'Het nieuwe wachtwoord moet minstens 10 tekens hebben.');
  fill(user.password, 'een-lang-wachtwoord', 'een-ander-wachtwoord');
  await screen.findByText('De twee nieuwe wachtwoorden zijn niet gelijk.');
  assert.is(value('Nieuw wachtwoord'), 'een-lang-wachtwoord', 'what was typed stays');
  fill('verkeerde-code', 'een-lang-wachtwoord', 'een-lang-wachtwoord');
  await screen.findByText('Het oude wachtwoord klopt niet', undefined, { timeout: 5000 });
  assert.is(value('Herhaal het nieuwe wachtwoord'), 'een-lang-wachtwoord');

  fill(user.password, 'een-lang-wachtwoord', 'een-lang-wachtwoord');
  await waitFor(() => assert.not.ok(screen.queryByRole('heading', { name: 'Kies je eigen wachtwoord' })), { timeout: 5000 });
  screen.getByText(/Ingelogd als sanne/);
  // Saving the password lets the waiting change out at once.
  await waitFor(async () => assert.is(await p.db.outbox.count(), 0), { timeout: 5000 });
  await waitFor(() => assert.not.ok(screen.queryByText(/Kies eerst hieronder je eigen wachtwoord/)));

  const other = new Phone(server, uniqueName('password-other'));
  try {
    await login(transport(other), other.db, 'sanne', user.password);
    assert.unreachable('the one-time code still logged in');
  } catch (e) {
    assert.instance(e, LoginError);
    assert.is((e as LoginError).problem, 'wrong');
  }
  const back = await login(transport(other), other.db, 'sanne', 'een-lang-wachtwoord');
  assert.is(back.mustChangePassword, false, 'the server no longer asks for a change');
});

test('an own password already chosen: no password form', async () => {
  const user = await server.user('piet', 'begeleider');
  const elsewhere = new Phone(server, uniqueName('password-elsewhere'));
  await login(transport(elsewhere), elsewhere.db, 'piet', user.password);
  const res = await elsewhere.fetch(`${BASE}/api/auth/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lk': '1', ...(await keyHeaders(elsewhere.db)) },
    body: JSON.stringify({ old: user.password, new: 'pieten-wachtwoord' }),
  });
  assert.is(res.status, 200);
  const p = phone();
  render(<SyncScreen transport={transport(p)} />);
  await logIn('piet', 'pieten-wachtwoord');
  assert.not.ok(screen.queryByRole('heading', { name: 'Kies je eigen wachtwoord' }));
  assert.not.ok(screen.queryByLabelText('Eenmalige code'));
});

test.run();
