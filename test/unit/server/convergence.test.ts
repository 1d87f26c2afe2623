import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatHlc } from '../../../src/shared/hlc';
import { changeToPatch, merge, rowToRemote } from '../../../src/shared/merge';
import { PARTICIPANT_STATUS } from '../../../src/shared/method';
import type { Change, RecordMeta, RemoteRow } from '../../../src/shared/schema';
import { DIALECTS, harness, T0, uniq, type Harness } from './harness';

/** Small seeded PRNG so a failing run can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

type Row = RecordMeta & Record<string, unknown>;

for (const kind of DIALECTS) {
  const test = suite(`convergence (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  test('random writes from three phones, pushed in random batches with lost answers and retries, end as the merge of all writes', async () => {
    for (let run = 0; run < 12; run++) {
      const seed = 1000 + run;
      const r = rng(seed);
      const g = uniq('g');
      const ids = [`${g}a`, `${g}b`, `${g}c`];
      // Deleting a participant is a coördinator's: the first phone is one, the other two are begeleiders.
      const phones = await Promise.all(
        ['p1', 'p2', 'p3'].map(async (name) => ({ name: `${name}${g}`, client: await h.user(name === 'p1' ? 'coordinator' : 'begeleider', [g]), outbox: [] as Change[], acked: 0 })),
      );
      const all: Change[] = [];
      for (const p of phones) {
        const n = 5 + r.int(25);
        for (let mid = 1; mid <= n; mid++) {
          const deleted = r.next() < 0.05 && p === phones[0];
          const values: Record<string, unknown> = {};
          if (!deleted) {
            if (r.next() < 0.7) values.name = r.pick(['Ans', 'Bram', 'Cor', 'Dina']);
            if (r.next() < 0.5) values.status = r.pick(PARTICIPANT_STATUS);
          }
          const c: Change = { mid, table: 'participants', id: r.pick(ids), groupId: g, values, hlc: formatHlc(T0 + r.int(4), mid, p.name), ...(deleted ? { deleted: true } : {}) };
          p.outbox.push(c);
          all.push(c);
        }
      }
      const head = await h.head();
      while (phones.some((p) => p.outbox.length)) {
        const p = r.pick(phones.filter((x) => x.outbox.length));
        const batch = p.outbox.slice(0, 1 + r.int(8));
        const res = await p.client.sync(p.name, head, batch);
        assert.equal(res.rejected, [], `seed ${seed}`);
        // A lost answer: the phone does not learn the ack and sends the same changes again later.
        if (r.next() < 0.3) continue;
        p.outbox = p.outbox.filter((c) => c.mid > res.ackedMid);
      }
      const expected = new Map<string, Row>();
      for (const c of all) expected.set(c.id, merge(expected.get(c.id), changeToPatch(c)).row);
      const pulled = await phones[0].client.sync(uniq('d'), head, []);
      const got = new Map<string, RemoteRow>(pulled.changes.map((c) => [c.id, c]));
      for (const [id, row] of expected) assert.equal(got.get(id), rowToRemote('participants', row), `seed ${seed}, ${id}`);
      assert.is(got.size, expected.size, `seed ${seed}`);
    }
  });

  test.run();
}
