import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LkDb } from '../../../src/data/db';
import { applyRetention, keepFromDate, SETTINGS_ID } from '../../../src/data/retention';
import { applyRemote, write } from '../../../src/data/write';
import { formatHlc } from '../../../src/shared/hlc';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import type { RemoteRow } from '../../../src/shared/schema';
import { login } from '../../../src/sync/api';
import { syncOnce } from '../../../src/sync/engine';
import { Phone, TestServer, uniqueName } from '../sync/harness';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const DAY = 86_400_000;
let n = 0;
const fresh = () => new LkDb(`retention-${process.pid}-${++n}`);

/** A note as it arrives from the server: stored locally, nothing in the outbox. */
function remoteNote(id: string, createdAt: number, text = `notitie ${id}`): RemoteRow {
  const h = formatHlc(createdAt, 0, 'other');
  return {
    table: 'notes', id, groupId: 'g1',
    values: { roundId: 'r.g1.2025-01-01', step: null, text, author: 'B', createdAt },
    hlcs: { roundId: h, step: h, text: h, author: h, createdAt: h },
  };
}

function remoteRound(date: string, values: Record<string, unknown> = {}): RemoteRow {
  const h = formatHlc(Date.parse(`${date}T20:00:00Z`), 0, 'other');
  const all: Record<string, unknown> = {
    date, locationId: null, begeleiders: [], status: 'afgerond', startedAt: null, endedAt: null, werkvorm: null, plan: DEFAULT_PLAN,
    themesRaised: {}, chosenTheme: 'geld', mote: 'Wie kent dit?', strategies: [], strategiesNote: 'praten met Ans', closingWords: 'Dank jullie', ...values,
  };
  return { table: 'rounds', id: `r.g1.${date}`, groupId: 'g1', values: all, hlcs: Object.fromEntries(Object.keys(all).map((k) => [k, h])) };
}

test('the keep-from date is whole calendar months back; the 31st becomes the shorter month’s last day', () => {
  assert.is(keepFromDate(NOW, 12), '2025-11-23');
  assert.is(keepFromDate(NOW, 1), '2026-10-23');
  assert.is(keepFromDate(Date.UTC(2026, 2, 31, 12), 1), '2026-02-28');
  assert.is(keepFromDate(Date.UTC(2026, 0, 15, 12), 13), '2024-12-15');
});

test('by default notes older than 12 months go; newer ones and old ones still waiting in the outbox stay; nothing is queued', async () => {
  const d = fresh();
  await applyRemote([remoteNote('old-synced', NOW - 400 * DAY), remoteNote('new-synced', NOW - 30 * DAY), remoteNote('just-kept', Date.UTC(2025, 10, 23, 1))], { db: d, now: NOW });
  await write('notes', 'old-waiting', 'g1', { roundId: 'r.g1.2025-01-01', step: null, text: 'nog niet verstuurd', author: 'A', createdAt: NOW - 500 * DAY }, { db: d, now: NOW });
  const outboxBefore = await d.outbox.toArray();

  const r = await applyRetention(d, NOW);
  assert.equal([r.months, r.keepFrom, r.notes], [12, '2025-11-23', 1]);
  assert.equal((await d.table('notes').toCollection().primaryKeys()).sort(), ['just-kept', 'new-synced', 'old-waiting']);
  assert.equal(await d.outbox.toArray(), outboxBefore, 'removed locally only: no tombstone goes to the server');
  d.close();
});

test('a note refused by the server stays until the begeleider has seen the refusal', async () => {
  const d = fresh();
  await applyRemote([remoteNote('refused', NOW - 400 * DAY)], { db: d, now: NOW });
  await d.rejected.put({ mid: 1, table: 'notes', id: 'refused', groupId: 'g1', values: { text: 'x' }, hlc: formatHlc(NOW, 0, 'me'), at: NOW, reason: 'nee' });
  assert.is((await applyRetention(d, NOW)).notes, 0);
  assert.ok(await d.table('notes').get('refused'));
  d.close();
});

test('the coördinator’s setting decides: 0 keeps everything, 3 removes what is older than three months', async () => {
  const d = fresh();
  await applyRemote([remoteNote('a', NOW - 400 * DAY), remoteNote('b', NOW - 100 * DAY), remoteNote('c', NOW - 10 * DAY)], { db: d, now: NOW });
  const setting = (months: number, at: number): RemoteRow => ({
    table: 'settings', id: SETTINGS_ID, groupId: null, values: { noteRetentionMonths: months }, hlcs: { noteRetentionMonths: formatHlc(at, 0, 'coord') },
  });
  await applyRemote([setting(0, NOW - 2000)], { db: d, now: NOW });
  assert.equal(await applyRetention(d, NOW), { months: 0, keepFrom: null, notes: 0, rounds: 0, evaluations: 0 });
  assert.is(await d.table('notes').count(), 3);
  await applyRemote([setting(3, NOW - 1000)], { db: d, now: NOW });
  assert.is((await applyRetention(d, NOW)).notes, 2);
  assert.equal(await d.table('notes').toCollection().primaryKeys(), ['c']);
  d.close();
});

test('old rounds and their evaluations lose their free text locally; figures, recent rounds and waiting edits stay', async () => {
  const d = fresh();
  const eh = formatHlc(Date.UTC(2024, 5, 1), 0, 'other');
  await applyRemote(
    [
      remoteRound('2024-06-01'),
      remoteRound('2024-07-01'),
      remoteRound('2026-11-01'),
      {
        table: 'evaluations', id: 'r.g1.2024-06-01|eval', groupId: 'g1',
        values: { roundId: 'r.g1.2024-06-01', atmosphere: 4, safety: 5, wentWell: 'Ans lachte weer', improve: '', support: 'meer tijd' },
        hlcs: { roundId: eh, atmosphere: eh, safety: eh, wentWell: eh, improve: eh, support: eh },
      },
    ],
    { db: d, now: NOW },
  );
  await write('rounds', 'r.g1.2024-07-01', 'g1', { closingWords: 'net verbeterd' }, { db: d, now: NOW });

  const r = await applyRetention(d, NOW);
  assert.equal([r.rounds, r.evaluations], [1, 1]);
  const old = (await d.table('rounds').get('r.g1.2024-06-01'))!;
  assert.equal([old.mote, old.strategiesNote, old.closingWords, old.chosenTheme, old.status], ['', '', '', 'geld', 'afgerond']);
  assert.ok(old._h.mote, 'the field HLC stays, so the server’s text is not overwritten by this');
  const waiting = (await d.table('rounds').get('r.g1.2024-07-01'))!;
  assert.equal([waiting.mote, waiting.closingWords], ['Wie kent dit?', 'net verbeterd'], 'a round with a waiting edit is left alone');
  assert.is((await d.table('rounds').get('r.g1.2026-11-01'))!.mote, 'Wie kent dit?');
  const ev = (await d.table('evaluations').get('r.g1.2024-06-01|eval'))!;
  assert.equal([ev.wentWell, ev.support, ev.atmosphere], ['', '', 4]);
  assert.is(await d.outbox.count(), 1, 'only the begeleider’s own edit waits');
  d.close();
});

test('after a sync the phone drops old notes it pulled, while the server keeps them', async () => {
  const server = await new TestServer().open();
  try {
    const coord = await server.user(uniqueName('coord'), 'coordinator');
    const writer = new Phone(server, uniqueName('retention-writer'));
    await login(writer.transport, writer.db, coord.username, coord.password);
    await write('notes', 'n-old', 'g1', { roundId: 'r.g1.2025-01-01', step: null, text: 'van lang geleden', author: 'A', createdAt: Date.now() - 500 * DAY }, { db: writer.db });
    await write('notes', 'n-new', 'g1', { roundId: 'r.g1.2026-11-01', step: null, text: 'van vorige week', author: 'A', createdAt: Date.now() - 7 * DAY }, { db: writer.db });
    assert.is((await syncOnce(writer.transport)).kind, 'ok');
    assert.equal(await writer.db.table('notes').toCollection().primaryKeys(), ['n-new'], 'the writer drops its own old note once the server has it');

    const reader = new Phone(server, uniqueName('retention-reader'));
    await login(reader.transport, reader.db, coord.username, coord.password);
    assert.is((await syncOnce(reader.transport)).kind, 'ok');
    assert.equal(await reader.db.table('notes').toCollection().primaryKeys(), ['n-new']);
    const stored = await server.store.db.selectFrom('records').select(['id', 'deleted']).where('tbl', '=', 'notes').orderBy('id').execute();
    assert.equal(stored, [{ id: 'n-new', deleted: null }, { id: 'n-old', deleted: null }]);
    writer.db.close();
    reader.db.close();
  } finally {
    await server.close();
  }
});

test.run();
