import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { backupDeviceId, pushBackup } from '../../../src/app/backup/push';
import { decodeBackup, encodeBackup, type BackupEntry } from '../../../src/shared/backup';
import { attendanceId, roundId } from '../../../src/shared/ids';
import type { Transport } from '../../../src/sync/api';
import { change, DIALECTS, harness, T0, uniq, type Client, type Harness } from '../server/harness';

for (const kind of DIALECTS) {
  const test = suite(`backup import into the server (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  const transport = (c: Client): Transport => ({
    baseUrl: 'http://localhost',
    fetch: (input, init) => h.request(init?.method ?? 'GET', new URL(input).pathname, { raw: init?.body as string | undefined, headers: { cookie: c.cookie } }),
  });

  /** A begeleider's phone that never synced: its outbox, sealed into a file and opened again as the coördinator would. */
  async function backupOf(phone: string, g: string, name: string) {
    const pid = `${g}-p`;
    const r = roundId(g, '2026-03-01');
    const entries: BackupEntry[] = [
      change(1, 'participants', pid, g, { name, foundVia: 'flyer', status: 'actief' }, { device: phone }),
      change(2, 'rounds', r, g, { date: '2026-03-01', status: 'afgerond' }, { device: phone, counter: 1 }),
      change(3, 'attendance', attendanceId(r, pid), g, { roundId: r, participantId: pid, present: true }, { device: phone, counter: 2 }),
    ].map((c) => ({ ...c, at: T0 }));
    const text = await encodeBackup({ deviceId: phone, entries, passphrase: 'thee met koek', iterations: 310_000 });
    return { pid, r, opened: (await decodeBackup(text, 'thee met koek')).entries };
  }

  const recordsOf = async (g: string) => (await h.store.db.selectFrom('records').selectAll().where('group_id', '=', g).orderBy('tbl').orderBy('id').execute()).map((r) => ({ ...r, version: Number(r.version) }));

  test('the changes arrive on the server under the backup’s own device, with their original HLCs', async () => {
    const g = uniq('g');
    const phone = uniq('dphone');
    const coord = await h.user('coordinator');
    const { pid, opened } = await backupOf(phone, g, 'Fatima');
    const result = await pushBackup(transport(coord), phone, opened);
    assert.equal(result, { applied: 3, already: 0, rejected: [], cursor: result.cursor });
    const rows = await recordsOf(g);
    assert.is(rows.length, 3);
    const p = rows.find((r) => r.id === pid)!;
    assert.is(JSON.parse(p.data).name, 'Fatima');
    assert.is(JSON.parse(p.hlcs).name, opened[0].hlc);
    const dev = await h.store.db.selectFrom('devices').selectAll().where('device_id', '=', backupDeviceId(phone)).executeTakeFirstOrThrow();
    assert.is(Number(dev.last_mid), 3);
  });

  test('importing the same backup twice changes nothing', async () => {
    const g = uniq('g');
    const phone = uniq('dphone');
    const coord = await h.user('coordinator');
    const { opened } = await backupOf(phone, g, 'Sanne');
    await pushBackup(transport(coord), phone, opened);
    const before = await h.snapshot();
    const again = await pushBackup(transport(coord), phone, opened);
    assert.is(again.applied, 0);
    assert.is(again.already, 3);
    assert.equal(await h.snapshot(), before);
  });

  test('the phone syncing its own copy later changes no record, and a newer value from the phone wins over the backup', async () => {
    const g = uniq('g');
    const phone = uniq('dphone');
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', [g]);
    const { pid, opened } = await backupOf(phone, g, 'Ahmed');
    await pushBackup(transport(coord), phone, opened);
    const imported = await recordsOf(g);
    await beg.sync(phone, await h.head(), opened.map(({ at: _at, ...c }) => c));
    assert.equal(await recordsOf(g), imported);

    // The phone renames later; a stale backup imported afterwards (another coördinator, another file) loses per field.
    await beg.sync(phone, await h.head(), [change(4, 'participants', pid, g, { name: 'Ahmed B.' }, { device: phone, at: T0 + 60_000 })]);
    const other = uniq('dother');
    const { opened: stale } = await backupOf(other, g, 'Ahmed oud');
    await pushBackup(transport(coord), other, stale);
    const p = (await recordsOf(g)).find((r) => r.id === pid)!;
    assert.is(JSON.parse(p.data).name, 'Ahmed B.');
  });

  test('a change the server refuses (an erased participant) is reported with its reason; the rest arrives', async () => {
    const g = uniq('g');
    const phone = uniq('dphone');
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', [g]);
    const { pid, r, opened } = await backupOf(phone, g, 'Wissen');
    await beg.sync(uniq('dearlier'), await h.head(), [change(1, 'participants', pid, g, { name: 'Wissen', foundVia: 'flyer', status: 'actief' })]);
    assert.is((await coord.call('POST', `/api/participants/${encodeURIComponent(pid)}/erase`)).status, 200);
    const result = await pushBackup(transport(coord), phone, opened);
    assert.is(result.applied, 1);
    assert.equal(
      result.rejected.map((x) => [x.table, x.id]),
      [
        ['participants', pid],
        ['attendance', attendanceId(r, pid)],
      ],
    );
    assert.match(result.rejected[0].reason, /gewist/);
    assert.ok((await recordsOf(g)).some((x) => x.id === r));
  });

  test('without a session the import stops with "log in" and nothing is stored', async () => {
    const g = uniq('g');
    const phone = uniq('dphone');
    const { opened } = await backupOf(phone, g, 'Niemand');
    const before = await h.snapshot();
    try {
      await pushBackup({ baseUrl: 'http://localhost', fetch: (input, init) => h.request(init?.method ?? 'GET', new URL(input).pathname, { raw: init?.body as string }) }, phone, opened);
      assert.unreachable();
    } catch (e) {
      assert.is((e as { problem: string }).problem, 'login');
    }
    assert.equal(await h.snapshot(), before);
  });

  test.run();
}
