// Hybrid logical clock: per-device timestamps that sort as plain strings and survive skewed wall clocks.

/** `wall millis (15 digits) : counter (6 digits) : deviceId` — comparable with `<` as strings. */
export type Hlc = string;

export interface ClockState {
  wall: number;
  counter: number;
  node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
const NODE_RE = /^[A-Za-z0-9_-]{1,64}$/;
export const HLC_RE = /^\d{15}:\d{6}:[A-Za-z0-9_-]{1,64}$/;

export function formatHlc(wall: number, counter: number, node: string): Hlc {
  return `${String(wall).padStart(WALL_DIGITS, '0')}:${String(counter).padStart(COUNTER_DIGITS, '0')}:${node}`;
}

export function parseHlc(hlc: Hlc): ClockState {
  if (!HLC_RE.test(hlc)) throw new Error(`Ongeldige HLC: ${hlc}`);
  const [wall, counter, node] = hlc.split(':');
  return { wall: Number(wall), counter: Number(counter), node };
}

export function newClock(node: string): ClockState {
  if (!NODE_RE.test(node)) throw new Error(`Ongeldig apparaat-id: ${node}`);
  return { wall: 0, counter: 0, node };
}

/** Advance for a local event; returns the new state and its stamp. */
export function tick(clock: ClockState, now: number): { clock: ClockState; hlc: Hlc } {
  const wall = Math.max(clock.wall, Math.floor(now));
  const counter = wall === clock.wall ? clock.counter + 1 : 0;
  if (counter > MAX_COUNTER) throw new Error('HLC-teller overgelopen');
  const next = { wall, counter, node: clock.node };
  return { clock: next, hlc: formatHlc(next.wall, next.counter, next.node) };
}

/** Advance past a stamp received from elsewhere, so later local writes sort after it. */
export function receive(clock: ClockState, remote: Hlc, now: number): ClockState {
  const r = parseHlc(remote);
  const wall = Math.max(clock.wall, r.wall, Math.floor(now));
  let counter: number;
  if (wall === clock.wall && wall === r.wall) counter = Math.max(clock.counter, r.counter) + 1;
  else if (wall === clock.wall) counter = clock.counter + 1;
  else if (wall === r.wall) counter = r.counter + 1;
  else counter = 0;
  if (counter > MAX_COUNTER) throw new Error('HLC-teller overgelopen');
  return { wall, counter, node: clock.node };
}

export function hlcWall(hlc: Hlc): number {
  return Number(hlc.slice(0, WALL_DIGITS));
}

export function maxHlc(a: Hlc | undefined, b: Hlc | undefined): Hlc | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
