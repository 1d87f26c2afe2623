import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { formatHlc } from '../../../src/shared/hlc';
import { changeToPatch, merge, rowToRemote, remoteToPatch, type Patch } from '../../../src/shared/merge';

const hlcArb = fc
  .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b', 'c'))
  .map(([w, c, n]) => formatHlc(1_700_000_000_000 + w, c, n));

const patchArb: fc.Arbitrary<Patch> = fc.oneof(
  { weight: 5, arbitrary: fc
    .tuple(
      fc.dictionary(fc.constantFrom('name', 'status', 'present', 'mote'), fc.oneof(fc.string({ maxLength: 3 }), fc.boolean(), fc.integer())),
      hlcArb,
    )
    .map(([values, hlc]) => changeToPatch({ id: 'x', groupId: 'g', values, hlc })) },
  { weight: 1, arbitrary: hlcArb.map((hlc) => changeToPatch({ id: 'x', groupId: 'g', values: {}, hlc, deleted: true })) },
);

type Row = Parameters<typeof merge>[0];
const applyAll = (patches: Patch[], start?: Row) => patches.reduce<Row>((row, p) => merge(row, p).row, start);
const stable = (v: unknown): unknown =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, stable(x)]))
    : v;
const norm = (r: Row) => JSON.stringify(stable(r));

test('merge is commutative: any order of the same changes gives the same record', () => {
  fc.assert(
    fc.property(fc.array(patchArb, { minLength: 1, maxLength: 8 }), fc.nat(), (patches, seed) => {
      const shuffled = [...patches].sort((a, b) => ((JSON.stringify(a).length * 31 + seed) % 7) - ((JSON.stringify(b).length * 31 + seed) % 7));
      return norm(applyAll(patches)) === norm(applyAll(shuffled)) && norm(applyAll(patches)) === norm(applyAll([...patches].reverse()));
    }),
    { numRuns: 3000 },
  );
});

test('merge is associative: merging merged states equals merging all changes', () => {
  fc.assert(
    fc.property(fc.array(patchArb, { maxLength: 5 }), fc.array(patchArb, { maxLength: 5 }), (xs, ys) => {
      const left = applyAll(xs);
      const right = applyAll(ys);
      const combined = right ? merge(left, remoteToPatch(rowToRemote('participants', right))).row : left;
      return norm(combined) === norm(applyAll([...xs, ...ys]));
    }),
    { numRuns: 3000 },
  );
});

test('merge is idempotent: applying a change twice changes nothing the second time', () => {
  fc.assert(
    fc.property(fc.array(patchArb, { minLength: 1, maxLength: 8 }), (patches) => {
      const once = applyAll(patches);
      const twice = applyAll(patches, once);
      const again = merge(once, patches[patches.length - 1]);
      return norm(once) === norm(twice) && !again.changed;
    }),
    { numRuns: 3000 },
  );
});

test('the later write of a field wins, other fields keep their own writer', () => {
  const a = changeToPatch({ id: 'r', groupId: 'g', values: { mote: 'eerste', status: 'bezig' }, hlc: formatHlc(10, 0, 'a') });
  const b = changeToPatch({ id: 'r', groupId: 'g', values: { mote: 'tweede' }, hlc: formatHlc(20, 0, 'b') });
  const row = applyAll([b, a]) as Record<string, unknown>;
  assert.is(row.mote, 'tweede');
  assert.is(row.status, 'bezig');
});

test('a tombstone removes every value, even one written after it', () => {
  const w = changeToPatch({ id: 'p', groupId: 'g', values: { name: 'Ans' }, hlc: formatHlc(30, 0, 'a') });
  const d = changeToPatch({ id: 'p', groupId: 'g', values: {}, hlc: formatHlc(20, 0, 'b'), deleted: true });
  const row = applyAll([d, w]) as Record<string, unknown>;
  assert.is(row.name, undefined);
  assert.equal(row._h, {});
  assert.ok(row._d);
});

test.run();
