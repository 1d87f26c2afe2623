// A begeleider's phone offers no edit of the coördinator's data: no new group or location, the step plan read-only.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, render, screen } from '@testing-library/preact';
import { LkDb, db, useDb } from '../../../src/data/db';
import { createGroup, createLocation } from '../../../src/data/actions';
import type { Group } from '../../../src/shared/schema';
import { GroupPage } from '../../../src/app/groups/GroupPage';
import { Home } from '../../../src/app/groups/Home';

let n = 0;
test.before.each(async () => {
  useDb(new LkDb(`begeleider-test-${++n}-${Date.now()}`));
  location.hash = '#/';
});
test.after.each(() => cleanup());

async function asBegeleider(): Promise<Group> {
  const lid = await createLocation({ name: 'Buurthuis De Boom', wijk: 'Oost' });
  const gid = await createGroup({ name: 'Maandaggroep', locationId: lid, rhythm: 'wekelijks' });
  await db().meta.put({ key: 'user', value: { id: 'u1', username: 'anna', role: 'begeleider', groups: [gid] } });
  return (await db().table('groups').get(gid)) as Group;
}

test('Home offers a begeleider no "Nieuwe groep" form', async () => {
  await asBegeleider();
  render(<Home />);
  await screen.findByText('Maandaggroep');
  await new Promise((r) => setTimeout(r, 50));
  assert.is(screen.queryByText('Nieuwe groep'), null);
  assert.is(screen.queryByLabelText('Naam van de groep'), null);
});

test('the group page shows a begeleider the step plan without a way to change it', async () => {
  const g = await asBegeleider();
  render(<GroupPage groupId={g.id} />);
  await screen.findByText('Totaal: 150 minuten (2,5 uur)');
  await screen.findByText('Minuten per stap. Het plan van de groep stelt de coördinator vast.');
  assert.ok((screen.getByLabelText(/^Opening/) as HTMLInputElement).readOnly);
  assert.is(screen.queryByRole('button', { name: 'Stappenplan opslaan' }), null);
});

test('a coördinator (or a phone not yet logged in) keeps both', async () => {
  const lid = await createLocation({ name: 'Buurthuis De Boom', wijk: 'Oost' });
  const gid = await createGroup({ name: 'Maandaggroep', locationId: lid, rhythm: 'wekelijks' });
  render(<GroupPage groupId={gid} />);
  assert.ok(await screen.findByRole('button', { name: 'Stappenplan opslaan' }));
  cleanup();
  render(<Home />);
  assert.ok(await screen.findByText('Nieuwe groep'));
});

test.run();
