import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { roundId } from '../../../src/shared/ids';
import type { RemoteRow } from '../../../src/shared/schema';
import { change, DIALECTS, harness, T0, uniq, type Harness } from './harness';

const MIN = 60_000;

for (const kind of DIALECTS) {
  const test = suite(`round lifecycle on the server (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  const statusOf = (rows: RemoteRow[], id: string) => rows.find((r) => r.table === 'rounds' && r.id === id)?.values.status;

  test('a later "bezig" from another device, an old app with no new fields, does not reopen a closed round (defect 1)', async () => {
    const g = uniq('g');
    const beg = await h.user('begeleider', [g]);
    const r = roundId(g, '2026-03-01');
    await beg.sync(uniq('d'), '0', [
      change(1, 'rounds', r, g, { date: '2026-03-01', status: 'bezig', startedAt: T0 }, { device: 'a' }),
      change(2, 'rounds', r, g, { status: 'afgerond', endedAt: T0 + 150 * MIN }, { device: 'a', at: T0 + 150 * MIN }),
    ]);
    await beg.sync(uniq('d'), '0', [change(1, 'rounds', r, g, { status: 'bezig', startedAt: T0 + 160 * MIN }, { device: 'b', at: T0 + 160 * MIN })]);
    const rows = (await beg.sync(uniq('d'), '0', [])).changes;
    assert.is(statusOf(rows, r), 'afgerond');
  });

  test('a reopen with a reason wins over the close before it; an old phone closing it later closes it again', async () => {
    const g = uniq('g');
    const beg = await h.user('begeleider', [g]);
    const coord = await h.user('coordinator');
    const r = roundId(g, '2026-03-02');
    await beg.sync(uniq('d'), '0', [
      change(1, 'rounds', r, g, { date: '2026-03-02', status: 'bezig', startedAt: T0 }, { device: 'a' }),
      change(2, 'rounds', r, g, { status: 'afgerond', endedAt: T0 + MIN }, { device: 'a', at: T0 + MIN }),
    ]);
    await coord.sync(uniq('d'), '0', [change(1, 'rounds', r, g, { status: 'bezig', reopenReason: 'Te vroeg afgesloten' }, { device: 'c', at: T0 + 2 * MIN })]);
    assert.is(statusOf((await beg.sync(uniq('d'), '0', [])).changes, r), 'bezig');
    await beg.sync(uniq('d'), '0', [change(1, 'rounds', r, g, { status: 'afgerond', endedAt: T0 + 3 * MIN }, { device: 'old', at: T0 + 3 * MIN })]);
    assert.is(statusOf((await beg.sync(uniq('d'), '0', [])).changes, r), 'afgerond');
  });

  test('a begeleider cancels a round with a reason, and a later start does not undo it', async () => {
    const g = uniq('g');
    const beg = await h.user('begeleider', [g]);
    const r = roundId(g, '2026-03-03', 2);
    const res = await beg.sync(uniq('d'), '0', [
      change(1, 'rounds', r, g, { date: '2026-03-03', status: 'bezig', startedAt: T0 }, { device: 'a' }),
      change(2, 'rounds', r, g, { status: 'geannuleerd', cancelReason: 'Per ongeluk gestart' }, { device: 'a', at: T0 + MIN }),
      change(3, 'rounds', r, g, { status: 'bezig', startedAt: T0 + 2 * MIN }, { device: 'a', at: T0 + 2 * MIN }),
    ]);
    assert.equal(res.rejected, []);
    const row = (await beg.sync(uniq('d'), '0', [])).changes.find((x) => x.id === r)!;
    assert.is(row.values.status, 'geannuleerd');
    assert.is(row.values.cancelReason, 'Per ongeluk gestart');
  });
  test.run();
}
