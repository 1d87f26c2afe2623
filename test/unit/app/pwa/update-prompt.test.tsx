import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { LkDb, useDb } from '../../../../src/data/db';
import { createGroup, createLocation, endRound, startRound } from '../../../../src/data/actions';
import { UpdatePrompt } from '../../../../src/app/pwa/UpdatePrompt';
import { setPwaState } from '../../../../src/app/pwa/register';
import type { Group } from '../../../../src/shared/schema';

let n = 0;
test.before.each(() => {
  useDb(new LkDb(`update-prompt-${++n}`));
  location.hash = '#/';
  setPwaState({ waiting: false });
});
test.after.each(() => cleanup());

async function group(): Promise<Group> {
  const locationId = await createLocation({ name: 'Buurthuis De Linde', wijk: 'Oost', address: '' });
  const id = await createGroup({ name: 'Dinsdaggroep', locationId, rhythm: 'tweewekelijks' });
  return { id, groupId: id, _h: {} } as unknown as Group;
}

const banner = () => screen.queryByRole('button', { name: 'Bijwerken' });

test('no banner while no new version waits', async () => {
  render(<UpdatePrompt />);
  await new Promise((r) => setTimeout(r, 30));
  assert.is(banner(), null);
});

test('a waiting version is offered as "Nieuwe versie beschikbaar — Bijwerken" when no round runs', async () => {
  render(<UpdatePrompt />);
  setPwaState({ waiting: true });
  await waitFor(() => assert.ok(banner()));
  assert.ok(screen.getByText('Nieuwe versie beschikbaar'));
});

test('the offer waits while a round is running and appears once it has ended', async () => {
  const g = await group();
  const roundId = await startRound(g);
  render(<UpdatePrompt />);
  setPwaState({ waiting: true });
  await new Promise((r) => setTimeout(r, 50));
  assert.is(banner(), null, 'hidden during the round');
  await endRound({ id: roundId, groupId: g.id });
  await waitFor(() => assert.ok(banner(), 'shown after the round'));
});

test('the offer never shows on a round screen, even for a round that is not running', async () => {
  location.hash = '#/ronde/abc/timer';
  render(<UpdatePrompt />);
  setPwaState({ waiting: true });
  await new Promise((r) => setTimeout(r, 50));
  assert.is(banner(), null);
});

test('a round forgotten on "bezig" days ago does not block updates for ever', async () => {
  const g = await group();
  await startRound(g, { now: Date.now() - 3 * 24 * 3600_000, date: '2020-01-01' });
  render(<UpdatePrompt />);
  setPwaState({ waiting: true });
  await waitFor(() => assert.ok(banner()));
});

test.run();
