import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { db } from '../../../src/data/db';
import { useLive } from '../../../src/data/live';
import { roundNotes } from '../../../src/data/round-queries';
import { addNote } from '../../../src/data/actions';
import { applyRemote } from '../../../src/data/write';
import { formatHlc } from '../../../src/shared/hlc';
import type { Note, Round } from '../../../src/shared/schema';
import { StepNotes } from '../../../src/app/round/Notes';
import { freshDb, makeGroup, todaysRound } from './fixture';

test.before.each(() => freshDb('round-notes'));
test.after.each(() => cleanup());

function Notes({ round }: { round: Round }) {
  const notes = useLive(() => roundNotes(round.id), [round.id], [] as Note[]);
  const [draft, setDraft] = useState('');
  return <StepNotes round={round} step="opening" notes={notes} draft={draft} onDraft={setDraft} />;
}

const item = (text: string) => screen.getByText(text).closest('li') as HTMLElement;

test('the author corrects a saved note and deletes another; a delete is a tombstone that syncs (defect 8)', async () => {
  const r = await todaysRound(await makeGroup());
  const keep = await addNote(r, 'Warm welkom, Karim is nieuw', 'opening');
  const gone = await addNote(r, 'Verkeerde groep', 'opening');
  render(<Notes round={r} />);
  await screen.findByText('Warm welkom, Karim is nieuw');

  fireEvent.click(within(item('Warm welkom, Karim is nieuw')).getByRole('button', { name: 'Notitie bewerken' }));
  const box = screen.getByLabelText('Notitie aanpassen') as HTMLTextAreaElement;
  assert.is(box.value, 'Warm welkom, Karim is nieuw');
  fireEvent.input(box, { target: { value: '' } });
  fireEvent.click(screen.getByRole('button', { name: 'Aanpassing bewaren' }));
  await screen.findByText('Notitie mag niet leeg zijn');
  fireEvent.input(box, { target: { value: 'Warm welkom, Karim en Sara zijn nieuw' } });
  fireEvent.click(screen.getByRole('button', { name: 'Aanpassing bewaren' }));
  await screen.findByText('Warm welkom, Karim en Sara zijn nieuw');
  assert.is(((await db().table('notes').get(keep)) as Note).text, 'Warm welkom, Karim en Sara zijn nieuw');

  fireEvent.click(within(item('Verkeerde groep')).getByRole('button', { name: 'Notitie verwijderen' }));
  fireEvent.click(within(item('Verkeerde groep')).getByRole('button', { name: 'Ja, verwijderen' }));
  await waitFor(() => assert.is(screen.queryByText('Verkeerde groep'), null));
  const tomb = (await db().table('notes').get(gone)) as Note;
  assert.ok(tomb._d, 'kept as a tombstone');
  assert.is(tomb.text, undefined, 'its text is gone from the phone');
  const outbox = await db().outbox.toArray();
  assert.ok(outbox.some((e) => e.table === 'notes' && e.id === gone && e.deleted), 'the delete goes out with the next sync');
});

test("a colleague's note from another phone can be read but not edited or deleted here", async () => {
  const r = await todaysRound(await makeGroup());
  const at = formatHlc(Date.now(), 0, 'dcolleague');
  await applyRemote([
    {
      table: 'notes',
      id: 'nother',
      groupId: r.groupId,
      values: { roundId: r.id, step: 'opening', text: 'Van de collega', author: '', createdAt: Date.now() },
      hlcs: { roundId: at, step: at, text: at, author: at, createdAt: at },
    },
  ]);
  render(<Notes round={r} />);
  await screen.findByText('Van de collega');
  assert.is(within(item('Van de collega')).queryByRole('button'), null);
});

test.run();
