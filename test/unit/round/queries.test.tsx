import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, render, screen } from '@testing-library/preact';
import { write } from '../../../src/data/write';
import { loadScreen, mergeCategories, saveScreen } from '../../../src/data/round-queries';
import { db } from '../../../src/data/db';
import { RoundFlow } from '../../../src/app/round/RoundFlow';
import { LocaleContext } from '../../../src/app/i18n';
import type { Category } from '../../../src/shared/schema';
import { freshDb, makeGroup, todaysRound } from './fixture';

test.before.each(() => freshDb('round-queries'));
test.after.each(() => cleanup());

const cat = (key: string, label: string, active = true) => ({ id: `c${key}`, groupId: null, _h: {}, kind: 'theme', key, label, active }) as Category;

test("the coördinator's categories rename, hide and extend the default list", () => {
  const defaults = [
    { key: 'geld', label: 'geld en armoede' },
    { key: 'geweld', label: 'geweld' },
  ];
  const merged = mergeCategories(defaults, [cat('geld', 'geld en schulden'), cat('geweld', 'geweld', false), cat('zingeving', 'zingeving')]);
  assert.equal(merged, [
    { key: 'geld', label: 'geld en schulden' },
    { key: 'zingeving', label: 'zingeving' },
  ]);
});

test("a werkvorm list from the categories table replaces the default werkvormen", async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await write('categories', 'cw1', null, { kind: 'werkvorm', key: 'ballonnen', label: 'Ballonnenspel', active: true });
  await saveScreen(r.id, { kind: 'step', index: 0 });
  render(<RoundFlow roundId={r.id} />);
  await screen.findByRole('radio', { name: 'Ballonnenspel' });
  assert.is(screen.queryByRole('radio', { name: 'Blij nieuws' }), null);
});

test('the resume point is local: stored in meta, not in the outbox, and a broken value falls back', async () => {
  await saveScreen('r.g1.2026-11-23', { kind: 'step', index: 3 });
  assert.equal(await loadScreen('r.g1.2026-11-23'), { kind: 'step', index: 3 });
  assert.is(await db().outbox.count(), 0);
  await db().meta.put({ key: 'ui:round:r.g1.2026-11-23', value: { kind: 'step', index: 9 } });
  assert.is(await loadScreen('r.g1.2026-11-23'), null);
});

test('the round flow speaks English when the locale is English', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await saveScreen(r.id, { kind: 'step', index: 1 });
  render(
    <LocaleContext.Provider value="en">
      <RoundFlow roundId={r.id} />
    </LocaleContext.Provider>,
  );
  await screen.findByRole('heading', { level: 1, name: 'Choosing the story' });
  assert.ok(screen.getByText('Step 2 of 5'));
  assert.ok(screen.getByRole('button', { name: 'Next step' }));
  assert.ok(screen.getByRole('button', { name: 'Group rules' }));
});

test.run();
