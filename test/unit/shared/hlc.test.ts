import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { formatHlc, newClock, parseHlc, receive, tick, hlcWall } from '../../../src/shared/hlc';

test('HLC strings sort like their (wall, counter, device) tuples', () => {
  fc.assert(
    fc.property(
      fc.tuple(fc.nat(4e12), fc.nat(999_999), fc.constantFrom('a', 'b', 'dz9')),
      fc.tuple(fc.nat(4e12), fc.nat(999_999), fc.constantFrom('a', 'b', 'dz9')),
      (x, y) => {
        const cmp = (p: typeof x, q: typeof x) => (p[0] - q[0]) || (p[1] - q[1]) || (p[2] < q[2] ? -1 : p[2] > q[2] ? 1 : 0);
        const s = Math.sign(cmp(x, y));
        const hx = formatHlc(...x);
        const hy = formatHlc(...y);
        return Math.sign(hx < hy ? -1 : hx > hy ? 1 : 0) === s;
      },
    ),
    { numRuns: 2000 },
  );
});

test('local ticks strictly increase even when the wall clock goes backwards', () => {
  fc.assert(
    fc.property(fc.array(fc.nat(1e6), { minLength: 2, maxLength: 50 }), (times) => {
      let clock = newClock('dev1');
      let last = '';
      for (const t of times) {
        const r = tick(clock, 1_700_000_000_000 + t);
        if (r.hlc <= last) return false;
        last = r.hlc;
        clock = r.clock;
      }
      return true;
    }),
    { numRuns: 1000 },
  );
});

test('after receiving a remote stamp, the next local stamp sorts after it', () => {
  fc.assert(
    fc.property(fc.nat(1e9), fc.nat(1e9), fc.nat(1000), (localNow, remoteWall, rc) => {
      const remote = formatHlc(1_700_000_000_000 + remoteWall, rc, 'other');
      const clock = receive(newClock('mine'), remote, 1_700_000_000_000 + localNow);
      return tick(clock, 1_700_000_000_000 + localNow).hlc > remote;
    }),
    { numRuns: 1000 },
  );
});

test('a stamp parses back to its parts and rejects garbage', () => {
  const h = formatHlc(1_763_900_000_123, 7, 'dabc');
  assert.equal(parseHlc(h), { wall: 1_763_900_000_123, counter: 7, node: 'dabc' });
  assert.is(hlcWall(h), 1_763_900_000_123);
  assert.throws(() => parseHlc('12:3:x'), /Ongeldige HLC/);
  assert.throws(() => newClock('has:colon'), /Ongeldig apparaat-id/);
});

test.run();
