import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import { TABLES, type TableName } from '../../../src/shared/schema';
import { change, DIALECTS, harness, T0, uniq, type Client, type Harness } from './harness';

/** One valid record per table, in group `g` (or none for organisation-wide tables). */
function sample(table: TableName, g: string): { id: string; groupId: string | null; values: Record<string, unknown> } {
  const r = `r.${g}.2026-03-01`;
  switch (table) {
    case 'locations':
      return { id: `${g}-loc`, groupId: null, values: { name: 'Buurthuis', wijk: 'Noord' } };
    case 'categories':
      return { id: `${g}-cat`, groupId: null, values: { kind: 'theme', key: 'stress', label: 'Stress', active: true } };
    case 'groups':
      return { id: g, groupId: g, values: { name: 'Groep', locationId: 'l1', rhythm: 'maandelijks', plan: DEFAULT_PLAN, begeleiders: [], active: true } };
    case 'participants':
      return { id: `${g}-p`, groupId: g, values: { name: 'Ans', foundVia: 'flyer', status: 'actief' } };
    case 'rounds':
      return { id: r, groupId: g, values: { date: '2026-03-01', status: 'bezig' } };
    case 'stepTimings':
      return { id: `${g}-t`, groupId: g, values: { roundId: r, step: 'opening', kind: 'start', at: T0, device: 'dev' } };
    case 'attendance':
      return { id: `${r}|${g}-p`, groupId: g, values: { roundId: r, participantId: `${g}-p`, present: true } };
    case 'notes':
      return { id: `${g}-n`, groupId: g, values: { roundId: r, step: null, text: 'Notitie', author: 'A', createdAt: T0 } };
    case 'evaluations':
      return { id: `${r}|eval`, groupId: g, values: { roundId: r, atmosphere: 4, safety: 5 } };
    case 'stories':
      return { id: `${g}-s`, groupId: g, values: { pseudonym: 'P', quote: 'Mooi', themes: [], consent: true, date: '2026-03-01' } };
    case 'settings':
      return { id: `${g}-set`, groupId: null, values: { noteRetentionMonths: 12 } };
  }
}

/** A valid edit per table; `n` makes every write distinct. */
const EDIT: Record<TableName, (n: number) => Record<string, unknown>> = {
  locations: (n) => ({ name: `Buurthuis ${n}` }),
  categories: (n) => ({ label: `Stress ${n}` }),
  groups: (n) => ({ name: `Groep ${n}` }),
  participants: (n) => ({ name: `Ans ${n}` }),
  rounds: (n) => ({ mote: `Wie herkent dit? ${n}` }),
  stepTimings: (n) => ({ at: T0 + n }),
  attendance: (n) => ({ present: n % 2 === 0 }),
  notes: (n) => ({ text: `Notitie ${n}` }),
  evaluations: (n) => ({ atmosphere: (n % 5) + 1 }),
  stories: (n) => ({ quote: `Mooi ${n}` }),
  settings: (n) => ({ noteRetentionMonths: n % 121 }),
};

const ORG = new Set<TableName>(['locations', 'categories', 'settings']);
const COORD_ONLY = new Set<TableName>(['locations', 'categories', 'settings', 'groups']);
type Who = 'coordinator' | 'begeleider own group' | 'begeleider other group';
const WHO: Who[] = ['coordinator', 'begeleider own group', 'begeleider other group'];

for (const kind of DIALECTS) {
  const test = suite(`authorization (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  /** One seeded group with a record in every table, and one client per kind of user; made once per dialect. */
  let world: Promise<{ g: string; head: string; clients: Record<Who, Client> }> | undefined;
  function setup() {
    world ??= (async () => {
      const g = uniq('g');
      const coord = await h.user('coordinator');
      const clients: Record<Who, Client> = {
        coordinator: coord,
        'begeleider own group': await h.user('begeleider', [g]),
        'begeleider other group': await h.user('begeleider', [uniq('g')]),
      };
      const head = await h.head();
      const seed = TABLES.map((t, i) => {
        const s = sample(t, g);
        return change(i + 1, t, s.id, s.groupId, s.values);
      });
      const r = await coord.sync(uniq('d'), head, seed);
      assert.equal(r.rejected, []);
      return { g, head, clients };
    })();
    return world;
  }

  let writes = 0;
  for (const table of TABLES) {
    for (const who of WHO) {
      const mayRead = who !== 'begeleider other group' || ORG.has(table);
      const mayWrite = who === 'coordinator' || (who === 'begeleider own group' && !COORD_ONLY.has(table));
      test(`${table}: ${who} ${mayRead ? 'reads' : 'does not read'} and ${mayWrite ? 'writes' : 'may not write'}`, async () => {
        const { g, head, clients } = await setup();
        const client = clients[who];
        const s = sample(table, g);
        const pulled = await client.sync(uniq('d'), head, []);
        assert.is(!!pulled.changes.find((c) => c.table === table && c.id === s.id), mayRead, 'read');

        const n = ++writes;
        const values = EDIT[table](n);
        const before = await h.snapshot();
        const r = await client.sync(uniq('d'), head, [change(1, table, s.id, s.groupId, values, { at: T0 + 1000 + n })]);
        assert.is(r.ackedMid, 1, 'acknowledged either way, so the phone does not resend forever');
        if (mayWrite) {
          assert.equal(r.rejected, []);
          const row = await h.store.db.selectFrom('records').selectAll().where('tbl', '=', table).where('id', '=', s.id).executeTakeFirstOrThrow();
          const data = JSON.parse(row.data) as Record<string, unknown>;
          for (const [k, v] of Object.entries(values)) assert.equal(data[k], v);
        } else {
          assert.is(r.rejected.length, 1);
          assert.is(r.rejected[0].permanent, true);
          assert.ok(r.rejected[0].reason.length > 10);
          const [rows] = (await h.snapshot()) as [unknown[]];
          assert.equal(rows, (before as [unknown[]])[0], 'nothing stored changed');
        }
      });
    }
  }

  // Deletes reach every phone and cannot be undone: a coördinator's, except a begeleider's own notes (the seeded note
  // is the coördinator's). Begeleiders try first, so the coördinator's delete comes last.
  let deleteWorld: Promise<{ g: string; head: string; clients: Record<Who, Client> }> | undefined;
  for (const table of TABLES) {
    for (const who of [...WHO].reverse()) {
      const mayDelete = who === 'coordinator';
      test(`${table}: ${who} ${mayDelete ? 'deletes' : 'may not delete'}`, async () => {
        deleteWorld ??= (async () => {
          const g = uniq('g');
          const { clients } = await setup();
          const head = await h.head();
          const own = await h.user('begeleider', [g]);
          const seed = TABLES.map((t, i) => {
            const x = sample(t, g);
            return change(i + 1, t, x.id, x.groupId, x.values);
          });
          assert.equal((await clients.coordinator.sync(uniq('d'), head, seed)).rejected, []);
          return { g, head, clients: { ...clients, 'begeleider own group': own } };
        })();
        const { g, clients } = await deleteWorld;
        const s = sample(table, g);
        const before = await h.snapshot();
        const r = await clients[who].sync(uniq('d'), '0', [change(1, table, s.id, s.groupId, {}, { deleted: true, at: T0 + 5000 })]);
        assert.is(r.ackedMid, 1);
        const row = await h.store.db.selectFrom('records').select('deleted').where('tbl', '=', table).where('id', '=', s.id).executeTakeFirstOrThrow();
        assert.is(!!row.deleted, mayDelete, 'tombstoned');
        if (!mayDelete) {
          assert.is(r.rejected.length, 1);
          assert.ok(r.rejected[0].permanent);
          const [rows] = (await h.snapshot()) as [unknown[]];
          assert.equal(rows, (before as [unknown[]])[0], 'nothing stored changed');
        }
      });
    }
  }

  test('a begeleider cannot create a record in a group they are not assigned to', async () => {
    const beg = await h.user('begeleider', [uniq('g')]);
    const foreign = uniq('g');
    const r = await beg.sync(uniq('d'), '0', [change(1, 'participants', `${foreign}-p`, foreign, { name: 'X' })]);
    assert.is(r.rejected.length, 1);
    assert.match(r.rejected[0].reason, /niet ingedeeld/);
    const row = await h.store.db.selectFrom('records').select('id').where('id', '=', `${foreign}-p`).executeTakeFirst();
    assert.is(row, undefined);
  });

  test('no one can move a record to another group, not even a coördinator', async () => {
    const g1 = uniq('g');
    const g2 = uniq('g');
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', [g1, g2]);
    await coord.sync(uniq('d'), '0', [change(1, 'participants', `${g1}-p`, g1, { name: 'Ans' })]);
    for (const c of [coord, beg]) {
      const r = await c.sync(uniq('d'), '0', [change(1, 'participants', `${g1}-p`, g2, { name: 'Verhuisd' }, { at: T0 + 1 })]);
      assert.is(r.rejected.length, 1);
      assert.match(r.rejected[0].reason, /andere groep/);
    }
    const row = await h.store.db.selectFrom('records').selectAll().where('id', '=', `${g1}-p`).executeTakeFirstOrThrow();
    assert.is(row.group_id, g1);
    assert.is(JSON.parse(row.data).name, 'Ans');
  });

  test('records must carry the right kind of groupId: none for organisation tables, their own id for groups', async () => {
    const coord = await h.user('coordinator');
    const g = uniq('g');
    const r = await coord.sync(uniq('d'), '0', [
      change(1, 'locations', uniq('l'), g, { name: 'X', wijk: 'Y' }),
      change(2, 'groups', uniq('g'), g, { name: 'X' }),
      change(3, 'participants', uniq('p'), null, { name: 'X' }),
    ]);
    assert.equal(r.rejected.map((x) => x.mid), [1, 2, 3]);
  });

  test('a coördinator’s first sync uploads groups and locations made offline on a phone, and begeleiders of that group then see them', async () => {
    const coord = await h.user('coordinator');
    const g = uniq('g');
    const loc = uniq('l');
    const head = await h.head();
    const r = await coord.sync(uniq('d'), head, [
      change(1, 'locations', loc, null, { name: 'Buurtkamer', wijk: 'Zuid' }),
      change(2, 'groups', g, g, { name: 'Nieuw', locationId: loc, rhythm: 'wekelijks', plan: DEFAULT_PLAN, begeleiders: [], active: true }),
    ]);
    assert.equal(r.rejected, []);
    const beg = await h.user('begeleider', [g]);
    const seen = await beg.sync(uniq('d'), head, []);
    assert.equal(seen.changes.map((c) => c.id).sort(), [g, loc].sort());
  });

  test('a begeleider sees a group once the coördinator assigns it, from the user table', async () => {
    const coord = await h.user('coordinator');
    const g = uniq('g');
    const head = await h.head();
    await coord.sync(uniq('d'), head, [change(1, 'participants', `${g}-p`, g, { name: 'Ans' })]);
    const beg = await h.user('begeleider');
    assert.equal((await beg.sync(uniq('d'), head, [])).changes, []);
    assert.is((await coord.call('PUT', `/api/users/${beg.userId}/groups`, { groups: [g] })).status, 200);
    assert.equal((await beg.sync(uniq('d'), head, [])).changes.map((c) => c.id), [`${g}-p`]);
  });

  test.run();
}
