import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { formatHlc } from '../../../src/shared/hlc';
import { changeToPatch, merge, remoteToPatch, rowToRemote, type Patch } from '../../../src/shared/merge';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import { computeReport } from '../../../src/shared/report';
import type { StoredRecord } from '../../../src/shared/schema';

type Row = Parameters<typeof merge>[0];
const ID = 'r.g1.2026-03-01';
const at = (wall: number, node = 'a', counter = 0) => formatHlc(1_700_000_000_000 + wall, counter, node);
const write = (values: Record<string, unknown>, hlc: string): Patch => changeToPatch({ table: 'rounds', id: ID, groupId: 'g1', values, hlc });
const applyAll = (patches: Patch[], start?: Row) => patches.reduce<Row>((row, p) => merge(row, p).row, start);
const stable = (v: unknown): unknown =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, stable(x)]))
    : v;
const norm = (r: Row) => JSON.stringify(stable(r));
const statusOf = (r: Row) => (r as Record<string, unknown>).status;

const start = (hlc: string, now = 1) => write({ status: 'bezig', startedAt: now }, hlc);
const close = (hlc: string, now = 2) => write({ status: 'afgerond', endedAt: now }, hlc);
const cancel = (hlc: string) => write({ status: 'geannuleerd', cancelReason: 'per ongeluk gestart' }, hlc);
const reopen = (hlc: string, to: 'bezig' | 'gepland' = 'bezig') => write({ status: to, reopenReason: 'te vroeg afgesloten' }, hlc);

test('a later start from another phone does not reopen a closed round (defect 1)', () => {
  const closed = applyAll([start(at(1, 'a')), close(at(5, 'a'))]);
  assert.is(statusOf(merge(closed, start(at(9, 'b'))).row), 'afgerond');
  assert.is(statusOf(applyAll([start(at(9, 'b')), start(at(1, 'a')), close(at(5, 'a'))])), 'afgerond');
});

test('a later start does not reopen a cancelled round', () => {
  assert.is(statusOf(applyAll([start(at(1)), cancel(at(3)), start(at(8, 'b'))])), 'geannuleerd');
});

test('an old phone row stored before the rule (status only, no registers) still follows it', () => {
  const legacy: Row = { id: ID, groupId: 'g1', _h: { status: at(5), endedAt: at(5) }, status: 'afgerond', endedAt: 2 } as Row;
  assert.is(statusOf(merge(legacy, start(at(9, 'b'))).row), 'afgerond');
});

test('of a close and a cancel the later one decides, whichever arrives first', () => {
  assert.is(statusOf(applyAll([close(at(5)), cancel(at(6, 'b'))])), 'geannuleerd');
  assert.is(statusOf(applyAll([cancel(at(6, 'b')), close(at(5))])), 'geannuleerd');
  assert.is(statusOf(applyAll([cancel(at(4, 'b')), close(at(5))])), 'afgerond');
});

test('an explicit reopen wins over the closes before it, and a close after it closes the round again', () => {
  const reopened = applyAll([start(at(1)), close(at(5)), reopen(at(7, 'c'))]);
  assert.is(statusOf(reopened), 'bezig');
  assert.is((reopened as Record<string, unknown>).reopenReason, 'te vroeg afgesloten');
  assert.is(statusOf(applyAll([reopen(at(7, 'c')), close(at(5)), start(at(1))])), 'bezig');
  // An old phone closes the reopened round: plain status, no new fields, a later clock.
  assert.is(statusOf(applyAll([start(at(1)), close(at(5)), reopen(at(7, 'c')), close(at(9, 'old'))])), 'afgerond');
  assert.is(statusOf(applyAll([close(at(9, 'old')), reopen(at(7, 'c')), start(at(1)), close(at(5))])), 'afgerond');
  // A stale start after the reopen keeps it running but cannot undo a close after the reopen.
  assert.is(statusOf(applyAll([reopen(at(7, 'c')), close(at(9)), start(at(12, 'b'))])), 'afgerond');
});

test('a coördinator restores a cancelled planned round to planned, and a start after that still moves it on', () => {
  const planned = write({ status: 'gepland' }, at(0));
  assert.is(statusOf(applyAll([planned, cancel(at(2)), reopen(at(4, 'c'), 'gepland')])), 'gepland');
  assert.is(statusOf(applyAll([start(at(6, 'b')), reopen(at(4, 'c'), 'gepland'), cancel(at(2)), planned])), 'bezig');
  assert.is(statusOf(applyAll([planned, cancel(at(2)), write({ status: 'gepland' }, at(4, 'old'))])), 'geannuleerd', 'a plain gepland is no restore');
});

test('the merged state handed on as a whole row merges like its changes (pull then push order)', () => {
  const server = applyAll([start(at(1)), close(at(5))]);
  const phone = applyAll([start(at(9, 'b'))]);
  const onPhone = merge(phone, remoteToPatch(rowToRemote('rounds', server!))).row;
  assert.is(statusOf(onPhone), 'afgerond');
  assert.is(norm(onPhone), norm(applyAll([start(at(1)), close(at(5)), start(at(9, 'b'))])));
});

/** One phone's acts on the round, each stamped with that phone's clock. */
type Act = { kind: 'start' | 'close' | 'cancel' | 'reopen' | 'restore' | 'plan'; wall: number; phone: string };
const actArb = fc.record({
  kind: fc.constantFrom('start', 'close', 'cancel', 'reopen', 'restore', 'plan'),
  wall: fc.integer({ min: 0, max: 30 }),
  phone: fc.constantFrom('a', 'b', 'c', 'd'),
}) as fc.Arbitrary<Act>;
const toPatch = (x: Act, i: number): Patch => {
  const hlc = at(x.wall, x.phone, i);
  if (x.kind === 'start') return start(hlc, x.wall);
  if (x.kind === 'close') return close(hlc, x.wall);
  if (x.kind === 'cancel') return cancel(hlc);
  if (x.kind === 'reopen') return reopen(hlc);
  if (x.kind === 'restore') return reopen(hlc, 'gepland');
  return write({ status: 'gepland', date: '2026-03-01', plan: DEFAULT_PLAN, locationId: null }, hlc);
};

/** Phones exchange their states in a random order of pairwise syncs through a server. */
function deliver(patches: Patch[], phones: number, order: number[]): Row[] {
  const states: (Row | undefined)[] = Array.from({ length: phones }, () => undefined);
  const local: Patch[][] = Array.from({ length: phones }, () => []);
  patches.forEach((p, i) => local[i % phones].push(p));
  let server: Row | undefined;
  // Each phone first applies its own acts (newest first), then syncs in the given order, twice round.
  for (let k = 0; k < phones; k++) for (const p of [...local[k]].reverse()) states[k] = merge(states[k], p).row;
  for (const k of [...order, ...order]) {
    const phone = k % phones;
    if (states[phone]) server = merge(server, remoteToPatch(rowToRemote('rounds', states[phone]!))).row;
    if (server) states[phone] = merge(states[phone], remoteToPatch(rowToRemote('rounds', server))).row;
  }
  return [server!, ...(states as Row[])];
}

test('property: start/close/cancel/reopen on 2–4 phones, in any delivery order, give one final state everywhere', () => {
  fc.assert(
    fc.property(
      fc.array(actArb, { minLength: 1, maxLength: 10 }),
      fc.integer({ min: 2, max: 4 }),
      fc.array(fc.nat({ max: 3 }), { minLength: 4, maxLength: 8 }),
      fc.nat(),
      (acts, phones, order, seed) => {
        const patches = acts.map(toPatch);
        const everyPhone = [...new Set([...order.map((k) => k % phones), ...Array.from({ length: phones }, (_, k) => k)])];
        const states = deliver(patches, phones, everyPhone);
        const direct = applyAll(patches);
        const shuffled = applyAll([...patches].sort((x, y) => ((JSON.stringify(x).length * 7 + seed) % 11) - ((JSON.stringify(y).length * 7 + seed) % 11)));
        const want = norm(direct);
        return states.every((s) => norm(s) === want) && norm(shuffled) === want && norm(applyAll([...patches].reverse())) === want;
      },
    ),
    { numRuns: 3000 },
  );
});

test('property: a round whose last lifecycle act is a close is closed and in the report exactly once', () => {
  fc.assert(
    fc.property(fc.array(actArb, { minLength: 1, maxLength: 10 }), (acts) => {
      const patches = [write({ status: 'gepland', date: '2026-03-01', plan: DEFAULT_PLAN, locationId: null }, at(0, 'z')), ...acts.map(toPatch)];
      const hlcs = acts.map((x, i) => ({ x, h: at(x.wall, x.phone, i) }));
      const lastTerminal = hlcs.filter(({ x }) => x.kind === 'close' || x.kind === 'cancel').sort((p, q) => (p.h < q.h ? 1 : -1))[0];
      const reopenedAfter = lastTerminal && hlcs.some(({ x, h }) => (x.kind === 'reopen' || x.kind === 'restore') && h > lastTerminal.h);
      const row = applyAll([...patches].reverse()) as StoredRecord<'rounds'>;
      const rep = computeReport(
        { locations: [], groups: [{ id: 'g1', groupId: 'g1', _h: {}, name: 'G', locationId: 'l1' }], participants: [], rounds: [row], attendance: [], evaluations: [], stories: [], categories: [] },
        { from: '2026-01-01', to: '2026-12-31' },
        { today: '2026-03-01' },
      );
      if (!lastTerminal || reopenedAfter) return rep.roundsHeld === (row.status === 'afgerond' ? 1 : 0);
      const want = lastTerminal.x.kind === 'close' ? 'afgerond' : 'geannuleerd';
      return row.status === want && rep.roundsHeld === (want === 'afgerond' ? 1 : 0);
    }),
    { numRuns: 3000 },
  );
});

test('property: any round writes, also odd ones, merge commutatively, associatively and idempotently', () => {
  const value = fc.oneof(fc.constantFrom('gepland', 'bezig', 'afgerond', 'geannuleerd', 'x'), fc.integer(), fc.boolean());
  const patchArb: fc.Arbitrary<Patch> = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.dictionary(fc.constantFrom('status', 'reopenReason', 'mote'), value), fc.integer({ min: 0, max: 12 }), fc.constantFrom('a', 'b')).map(([v, w, n]) => write(v, at(w, n))) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 12 }).map((w) => changeToPatch({ table: 'rounds', id: ID, groupId: 'g1', values: {}, hlc: at(w), deleted: true })) },
  );
  fc.assert(
    fc.property(fc.array(patchArb, { minLength: 1, maxLength: 8 }), fc.array(patchArb, { maxLength: 5 }), (xs, ys) => {
      const all = applyAll([...xs, ...ys]);
      const left = applyAll(xs);
      const right = applyAll(ys);
      const combined = right ? merge(left, remoteToPatch(rowToRemote('rounds', right))).row : left;
      const again = merge(all, xs[0]);
      return norm(applyAll([...ys, ...xs].reverse())) === norm(all) && norm(combined) === norm(all) && !again.changed;
    }),
    { numRuns: 3000 },
  );
});

test('other tables keep plain last-writer-wins for a field called status', () => {
  const p = (values: Record<string, unknown>, hlc: string): Patch => changeToPatch({ table: 'participants', id: 'p1', groupId: 'g1', values, hlc });
  assert.is(statusOf(applyAll([p({ status: 'gestopt' }, at(1)), p({ status: 'actief' }, at(2))])), 'actief');
});

test.run();
