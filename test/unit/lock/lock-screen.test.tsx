import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { LkDb, useDb } from '../../../src/data/db';
import { setPin } from '../../../src/data/lock';
import { lock, lockStatus } from '../../../src/data/lock-state';
import { write } from '../../../src/data/write';
import { LockGate } from '../../../src/app/lock/LockGate';
import { LockSettings } from '../../../src/app/lock/LockSettings';

let n = 0;
let d: LkDb;
test.before.each(() => {
  d = new LkDb(`lock-screen-${++n}`);
  useDb(d);
  location.hash = '#/';
});
test.after.each(() => cleanup());

const App = () => (
  <LockGate>
    <p>De app zelf</p>
  </LockGate>
);

async function lockedWithNote() {
  await write('notes', 'n1', 'g1', { roundId: 'r1', step: null, text: 'iets', author: '', createdAt: 1 }, { db: d });
  await setPin('246813', d, { iterations: 1000 });
  lock(d);
}

const tap = (digits: string) => {
  for (const c of digits) fireEvent.click(screen.getByRole('button', { name: c }));
};

test('without a PIN the app shows at once', async () => {
  render(<App />);
  await screen.findByText('De app zelf');
});

test('locked, only the lock screen shows; a wrong PIN is refused and the right one on the pad opens the app', async () => {
  await lockedWithNote();
  render(<App />);
  await screen.findByRole('heading', { name: 'Luisterkring is vergrendeld' });
  assert.is(screen.queryByText('De app zelf'), null);
  tap('111111');
  fireEvent.click(screen.getByRole('button', { name: 'Ontgrendel' }));
  await screen.findByText('Deze pincode klopt niet.');
  assert.is((screen.getByLabelText('Pincode') as HTMLInputElement).value, '', 'the wrong PIN is cleared for the next try');
  tap('246813');
  fireEvent.click(screen.getByRole('button', { name: 'Ontgrendel' }));
  await screen.findByText('De app zelf');
  assert.is(await lockStatus(d), 'unlocked');
});

test('locked again later, what was typed stays, hidden under the lock screen, and is back after unlocking', async () => {
  await setPin('246813', d, { iterations: 1000 });
  render(
    <LockGate>
      <label>
        Notitie
        <input />
      </label>
    </LockGate>,
  );
  fireEvent.input(await screen.findByLabelText('Notitie'), { target: { value: 'half getypt' } });
  lock(d);
  await screen.findByRole('heading', { name: 'Luisterkring is vergrendeld' });
  assert.is(screen.queryByRole('textbox', { name: 'Notitie' }), null, 'the app is out of sight and out of reach');
  tap('246813');
  fireEvent.click(screen.getByRole('button', { name: 'Ontgrendel' }));
  await waitFor(() => assert.is((screen.getByLabelText('Notitie') as HTMLInputElement).value, 'half getypt'));
});

test('the pad has a named erase key and every key is a real button', async () => {
  await lockedWithNote();
  render(<App />);
  await screen.findByRole('group', { name: 'Cijfers' });
  tap('123');
  fireEvent.click(screen.getByRole('button', { name: 'Wis laatste cijfer' }));
  assert.is((screen.getByLabelText('Pincode') as HTMLInputElement).value, '12');
});

test('"Pincode vergeten" says plainly how many unsynced changes would be lost', async () => {
  await lockedWithNote();
  render(<App />);
  fireEvent.click(await screen.findByRole('button', { name: 'Pincode vergeten?' }));
  await screen.findByText(/1 wijzigingen staan alleen op deze telefoon/);
  screen.getByRole('button', { name: 'Wis de gegevens op deze telefoon' });
  fireEvent.click(screen.getByRole('button', { name: 'Annuleren' }));
  await screen.findByLabelText('Pincode');
});

test('after the idle time without use the app locks, but not while the timer view is open', async () => {
  await setPin('246813', d, { iterations: 1000 });
  render(<App />);
  await screen.findByText('De app zelf');
  const realNow = Date.now;
  try {
    Date.now = () => realNow() + 6 * 60_000;
    location.hash = '#/ronde/g1|2026-11-23/timer';
    document.dispatchEvent(new Event('visibilitychange'));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(screen.queryByText('De app zelf'), 'the timer view stays');
    location.hash = '#/';
    Date.now = () => realNow() + 12 * 60_000;
    document.dispatchEvent(new Event('visibilitychange'));
    await screen.findByRole('heading', { name: 'Luisterkring is vergrendeld' });
  } finally {
    Date.now = realNow;
  }
});

test('setting a PIN asks it twice, keeps what was typed on a mismatch, and then turns the lock on', async () => {
  await write('notes', 'n1', 'g1', { roundId: 'r1', step: null, text: 'iets', author: '', createdAt: 1 }, { db: d });
  render(<LockSettings />);
  fireEvent.input(await screen.findByLabelText('Nieuwe pincode (6 tot 8 cijfers)'), { target: { value: '12' } });
  fireEvent.click(screen.getByRole('button', { name: 'Pincode instellen' }));
  await screen.findByText('De pincode moet uit 6 tot 8 cijfers bestaan.');
  fireEvent.input(screen.getByLabelText('Nieuwe pincode (6 tot 8 cijfers)'), { target: { value: '246810' } });
  fireEvent.input(screen.getByLabelText('Herhaal de pincode'), { target: { value: '246811' } });
  fireEvent.click(screen.getByRole('button', { name: 'Pincode instellen' }));
  await screen.findByText('De twee pincodes zijn niet gelijk.');
  assert.is((screen.getByLabelText('Herhaal de pincode') as HTMLInputElement).value, '246811');
  fireEvent.input(screen.getByLabelText('Herhaal de pincode'), { target: { value: '246810' } });
  fireEvent.click(screen.getByRole('button', { name: 'Pincode instellen' }));
  await waitFor(() => screen.getByRole('button', { name: 'Vergrendel nu' }), { timeout: 10_000 });
  assert.is(await lockStatus(d), 'unlocked');
  fireEvent.click(screen.getByRole('button', { name: 'Vergrendel nu' }));
  await waitFor(async () => assert.is(await lockStatus(d), 'locked'));
});

test('a passphrase instead of a PIN: chosen in the settings (too short is refused), asked as text on the lock screen, without the pad', async () => {
  const phrase = 'fiets  regen koffie lamp';
  render(<LockSettings />);
  fireEvent.click(await screen.findByRole('radio', { name: 'Wachtwoordzin (minstens 12 tekens)' }));
  const field = screen.getByLabelText('Nieuwe wachtwoordzin (minstens 12 tekens, bijvoorbeeld vier woorden)');
  fireEvent.input(field, { target: { value: 'kort woord' } });
  fireEvent.input(screen.getByLabelText('Herhaal de wachtwoordzin'), { target: { value: 'kort woord' } });
  fireEvent.click(screen.getByRole('button', { name: 'Wachtwoordzin instellen' }));
  await screen.findByText('De wachtwoordzin moet minstens 12 tekens hebben, en niet alleen cijfers.');
  fireEvent.input(field, { target: { value: phrase } });
  fireEvent.input(screen.getByLabelText('Herhaal de wachtwoordzin'), { target: { value: phrase } });
  fireEvent.click(screen.getByRole('button', { name: 'Wachtwoordzin instellen' }));
  await waitFor(() => screen.getByRole('button', { name: 'Vergrendel nu' }), { timeout: 20_000 });
  cleanup();
  lock(d);
  render(<App />);
  const input = (await screen.findByLabelText('Wachtwoordzin')) as HTMLInputElement;
  assert.not.ok(screen.queryByRole('button', { name: '1' }), 'no digit pad for a passphrase');
  fireEvent.input(input, { target: { value: 'fiets regen koffie' } });
  fireEvent.click(screen.getByRole('button', { name: 'Ontgrendel' }));
  await screen.findByText('Deze wachtwoordzin klopt niet.', undefined, { timeout: 20_000 });
  fireEvent.input(input, { target: { value: ' fiets regen koffie lamp ' } });
  fireEvent.click(screen.getByRole('button', { name: 'Ontgrendel' }));
  await screen.findByText('De app zelf', undefined, { timeout: 20_000 });
});

test.run();
