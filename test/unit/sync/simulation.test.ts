// Seeded simulation: several phones edit shared records against the real server through dropped, lost, duplicated and late
// requests, server restarts, skewed clocks and expired sessions; after healing, every replica equals the server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { OutboxEntry } from '../../../src/data/db';
import { remove, write } from '../../../src/data/write';
import { rememberLogin } from '../../../src/sync/api';
import { DUMMY_HASH } from '../../../src/server/passwords';
import { createSession, getUser } from '../../../src/server/users';
import { syncOnce, type SyncOutcome } from '../../../src/sync/engine';
import { readSyncState } from '../../../src/sync/state';
import { TABLES, type Change, type TableName } from '../../../src/shared/schema';
import { PARTICIPANT_STATUS } from '../../../src/shared/method';
import { formatHlc } from '../../../src/shared/hlc';
import { push } from '../../../src/server/sync';
import { BASE, Phone, TestServer, uniqueName } from './harness';

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

type Fault = 'drop' | 'lose-answer' | 'duplicate' | 'delay';

interface Device {
  phone: Phone;
  user: { id: string; role: 'coordinator' | 'begeleider' };
  skew: number;
  faults: Fault[];
  made: OutboxEntry[];
  lastMid: number;
}

const HOUR = 3600_000;
const STATUSES = PARTICIPANT_STATUS;
const ROUND = 'r.g1.2026-11-23';

/** How often each trouble actually happened over all seeds, so a quiet run cannot pass for a tested one. */
const seen = { drop: 0, 'lose-answer': 0, duplicate: 0, delay: 0, late: 0, restart: 0, skewedWrite: 0, needsLogin: 0, writeDuringSync: 0 };

interface Run {
  server: TestServer;
  devices: Device[];
  delayed: Request[];
}

async function setup(seed: number, r: ReturnType<typeof prng>): Promise<Run> {
  const server = await new TestServer().open();
  // Accounts straight into the table: nobody types a password here, and hashing one costs 0.1 s a time.
  const users = [
    { id: 'ucoord', username: 'coord', role: 'coordinator' as const, groups: '[]' },
    { id: 'uanna', username: 'anna', role: 'begeleider' as const, groups: '["g1"]' },
  ];
  for (const u of users) {
    await server.store.db.insertInto('users').values({ ...u, password_hash: DUMMY_HASH, must_change: 0, active: 1, created_at: Date.now() }).execute();
  }
  // What the phones' attendance points at, as a coördinator set it up days before (the server checks references).
  const before = Date.now() - 48 * HOUR;
  const known: Change[] = [
    { mid: 1, table: 'rounds', id: ROUND, groupId: 'g1', values: { date: '2026-11-23', status: 'bezig' }, hlc: formatHlc(before, 0, 'simseed') },
    ...Array.from({ length: 5 }, (_, i) => ({ mid: i + 2, table: 'participants' as const, id: `p${i}`, groupId: 'g1', values: { name: `P${i}`, foundVia: 'flyer', status: 'actief' }, hlc: formatHlc(before, i + 1, 'simseed') })),
  ];
  assert.equal((await push(server.store, { id: 'ucoord', role: 'coordinator', groups: [] }, { deviceId: 'sim-seed', changes: known }, Date.now())).rejected, []);
  const devices: Device[] = [];
  const n = 2 + r.int(4);
  for (let i = 0; i < n; i++) {
    const user = users[i % users.length];
    const phone = new Phone(server, uniqueName(`sim-${seed}-${i}`));
    devices.push({ phone, user, skew: 0, faults: [], made: [], lastMid: 0 });
  }
  const run: Run = { server, devices, delayed: [] };
  for (const d of devices) await relogin(run, d);
  for (const d of devices) d.phone.deliver = (req, send) => deliver(run, d, req, send);
  return run;
}

/** Applies the next planned fault of this phone to one request. */
async function deliver(run: Run, d: Device, req: Request, send: (r: Request) => Promise<Response>): Promise<Response> {
  const fault = d.faults.shift();
  if (fault) seen[fault]++;
  switch (fault) {
    case 'drop':
      throw new TypeError('Failed to fetch (dropped)');
    case 'lose-answer':
      await send(req);
      throw new TypeError('Failed to fetch (answer lost)');
    case 'duplicate': {
      const copy = req.clone();
      await send(req);
      return send(copy);
    }
    case 'delay':
      run.delayed.push(req);
      throw new TypeError('Failed to fetch (timed out)');
    default:
      return send(req);
  }
}

function clock(d: Device): () => number {
  return () => Date.now() + d.skew;
}

async function sync(d: Device): Promise<SyncOutcome> {
  const o = await syncOnce({ ...d.phone.transport, now: clock(d) });
  if (o.kind === 'needs-login') seen.needsLogin++;
  return o;
}

async function edit(d: Device, r: ReturnType<typeof prng>): Promise<void> {
  const opts = { db: d.phone.db, now: clock(d)() };
  if (d.skew) seen.skewedWrite++;
  const kind = r.int(10);
  const pid = `p${r.int(5)}`;
  if (kind < 5) {
    const values = r.chance(0.5) ? { name: `N${r.int(1000)}` } : { status: r.pick(STATUSES) };
    await write('participants', pid, 'g1', kind === 0 ? { name: `N${r.int(1000)}`, foundVia: 'flyer', status: 'actief' } : values, opts);
  } else if (kind < 8) {
    // Note ids per account: a begeleider may delete only the notes their account wrote.
    const nid = `n${d.user.id}${r.int(4)}`;
    await write('notes', nid, 'g1', { roundId: ROUND, text: `tekst ${r.int(1000)}`, step: null, author: 'sim', createdAt: opts.now }, opts);
  } else if (kind < 9) {
    await write('attendance', `${ROUND}|${pid}`, 'g1', { roundId: ROUND, participantId: pid, present: r.chance(0.5) }, opts);
  } else if (d.user.role === 'coordinator') {
    await remove(r.chance(0.5) ? 'participants' : 'notes', r.chance(0.5) ? pid : `n${r.pick(['ucoord', 'uanna'])}${r.int(4)}`, 'g1', opts);
  } else {
    await remove('notes', `n${d.user.id}${r.int(4)}`, 'g1', opts);
  }
  await recordMade(d);
}

/** Remembers every change a phone made, to check none is lost. */
async function recordMade(d: Device): Promise<void> {
  const fresh = await d.phone.db.outbox.where('mid').above(d.lastMid).toArray();
  for (const e of fresh) {
    if (!d.made.some((m) => m.hlc === e.hlc && m.id === e.id)) d.made.push(e);
  }
  d.lastMid = ((await d.phone.db.meta.get('lastMid'))?.value as number | undefined) ?? d.lastMid;
}

async function expireSession(run: Run, d: Device): Promise<void> {
  if (!d.phone.cookie) return;
  await run.server.handle(new Request(`${BASE}/api/auth/logout`, { method: 'POST', headers: { 'x-lk': '1', cookie: d.phone.cookie } }));
}

async function step(run: Run, r: ReturnType<typeof prng>): Promise<void> {
  const d = r.pick(run.devices);
  const roll = r.int(100);
  if (roll < 35) await edit(d, r);
  else if (roll < 60) await sync(d);
  else if (roll < 66) {
    // A write lands while this phone's sync is under way.
    const s = sync(d);
    await edit(d, r);
    await s;
    seen.writeDuringSync++;
  } else if (roll < 80) d.faults.push(r.pick(['drop', 'lose-answer', 'duplicate', 'delay'] as const));
  else if (roll < 85 && run.delayed.length) {
    const late = run.delayed.splice(r.int(run.delayed.length), 1)[0];
    await run.server.handle(late);
    seen.late++;
  } else if (roll < 88) {
    await run.server.restart();
    seen.restart++;
  }
  else if (roll < 92) d.skew = r.pick([-23 * HOUR, 0, 23 * HOUR]);
  else if (roll < 95) await expireSession(run, d);
  else if ((await readSyncState(d.phone.db)).needsLogin) await relogin(run, d);
  else await sync(d);
}

/** Logging in: a fresh session as the login route makes it (without the deliberately slow password check, which
 * engine.test.ts covers through the real route), then the phone's own bookkeeping of a login. */
async function relogin(run: Run, d: Device): Promise<void> {
  const { token } = await createSession(run.server.store, d.user.id, Date.now());
  d.phone.cookie = `lk_session=${token}`;
  const user = (await getUser(run.server.store, d.user.id))!;
  await rememberLogin(d.phone.db, { id: user.id, username: user.username, role: user.role, groups: user.groups });
}

async function heal(run: Run): Promise<void> {
  for (const late of run.delayed.splice(0)) await run.server.handle(late);
  for (const d of run.devices) {
    d.faults = [];
    if ((await readSyncState(d.phone.db)).needsLogin || (await sync(d)).kind === 'needs-login') {
      await relogin(run, d);
    }
  }
  for (let round = 0; round < 10; round++) {
    let quiet = true;
    for (const d of run.devices) {
      const o = await sync(d);
      if (o.kind !== 'ok') throw new Error(`sync after healing failed: ${JSON.stringify(o)}`);
      if (o.pushed || o.pulled || o.held) quiet = false;
    }
    if (quiet) return;
  }
  throw new Error('no quiet after 10 rounds of syncing');
}

interface Norm {
  groupId: string | null;
  values: Record<string, unknown>;
  hlcs: Record<string, string>;
  deleted: string | null;
}

async function serverView(server: TestServer): Promise<Map<string, Norm>> {
  const rows = await server.store.db.selectFrom('records').selectAll().execute();
  const out = new Map<string, Norm>();
  for (const r of rows) {
    out.set(`${r.tbl}/${r.id}`, { groupId: r.group_id, values: JSON.parse(r.data), hlcs: JSON.parse(r.hlcs), deleted: r.deleted ?? null });
  }
  return out;
}

async function replicaView(d: Device): Promise<Map<string, Norm>> {
  const out = new Map<string, Norm>();
  for (const t of TABLES) {
    for (const row of (await d.phone.db.table(t).toArray()) as unknown as Record<string, unknown>[]) {
      const { id, groupId, _h, _d, ...values } = row;
      out.set(`${t}/${id as string}`, { groupId: groupId as string | null, values, hlcs: _h as Record<string, string>, deleted: (_d as string | undefined) ?? null });
    }
  }
  return out;
}

function sorted(m: Map<string, Norm>) {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Every change a phone made is in the server's record: its field HLC is there or was beaten by a later one, or a tombstone won. */
function checkNothingLost(view: Map<string, Norm>, d: Device): void {
  for (const c of d.made) {
    const row = view.get(`${c.table as TableName}/${c.id}`);
    assert.ok(row, `${c.table}/${c.id} from ${d.phone.db.name} reached the server`);
    if (row.deleted) continue;
    assert.not.ok(c.deleted, `deletion of ${c.table}/${c.id} survived`);
    for (const [k, v] of Object.entries(c.values)) {
      const h = row.hlcs[k];
      assert.ok(h !== undefined && h >= c.hlc, `${c.table}/${c.id}.${k} kept a write at least as new as ${c.hlc}`);
      if (h === c.hlc) assert.equal(row.values[k], v, `${c.table}/${c.id}.${k} has the acknowledged value`);
    }
  }
}

async function simulate(seed: number, steps: number): Promise<void> {
  const r = prng(seed);
  const run = await setup(seed, r);
  try {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step(run, r);
    const t1 = performance.now();
    await heal(run);
    if (process.env.LK_SIM_TIME) console.log(seed, run.devices.length, Math.round(t1 - t0), Math.round(performance.now() - t1), JSON.stringify(seen));
    const server = await serverView(run.server);
    for (const d of run.devices) {
      assert.is(await d.phone.db.outbox.count(), 0, `seed ${seed}: ${d.phone.db.name} has nothing waiting`);
      assert.is(await d.phone.db.rejected.count(), 0, `seed ${seed}: nothing refused`);
      assert.equal(sorted(await replicaView(d)), sorted(server), `seed ${seed}: ${d.phone.db.name} equals the server`);
      checkNothingLost(server, d);
    }
  } catch (e) {
    (e as Error).message = `seed ${seed}: ${(e as Error).message}`;
    throw e;
  } finally {
    await run.server.close();
    for (const d of run.devices) d.phone.db.close();
  }
}

/** Seeds that once failed stay here as regression cases. */
const REGRESSIONS: number[] = [];
const SEEDS = 30;
const STEPS = 50;

test(`${SEEDS} seeded runs of 2–5 phones converge on the server's records and lose no acknowledged change`, async () => {
  const base = Number(process.env.LK_SIM_SEED ?? 1);
  for (let s = base; s < base + SEEDS; s++) await simulate(s, STEPS);
  for (const [what, n] of Object.entries(seen)) assert.ok(n > 0, `the runs included ${what}`);
});

test('regression seeds still converge', async () => {
  for (const s of REGRESSIONS) await simulate(s, STEPS);
});

test.run();
