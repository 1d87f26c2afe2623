// Past one machine: two server processes on one PostgreSQL serve one organisation. Twenty phones (ten groups, a
// begeleider and a co-begeleider each) write conflicting changes and push and pull through either process at random,
// one process is SIGKILLed mid-run and started again: every phone ends with the same records as the database, which
// equal the merge of every change ever made, and nothing is doubled.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshPostgresDatabase } from '../../test-setup/postgres';
import { ApiClient, startServerProcess, type ServerProcess } from '../../test-setup/server-process';
import { newClock, receive, tick, type ClockState } from '../../src/shared/hlc';
import { attendanceId, roundId } from '../../src/shared/ids';
import { changeToPatch, merge, remoteToPatch, type Patch } from '../../src/shared/merge';
import { DEFAULT_PLAN } from '../../src/shared/method';
import type { Change, RecordMeta, SyncResponse, TableName } from '../../src/shared/schema';

type Row = RecordMeta & Record<string, unknown>;
const key = (table: string, id: string) => `${table}/${id}`;

/** A seeded generator, so a failing run can be repeated with its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A phone as the sync engine keeps it: an outbox with increasing mids, a cursor, a clock and merged rows. */
class SimPhone {
  readonly deviceId: string;
  outbox: Change[] = [];
  rows = new Map<string, Row>();
  private clock: ClockState;
  private mid = 0;
  private cursor = '0';
  failures = 0;

  constructor(
    readonly name: string,
    readonly api: ApiClient,
  ) {
    this.deviceId = `sim${name}`;
    this.clock = newClock(this.deviceId);
  }

  write(table: TableName, id: string, groupId: string, values: Record<string, unknown>, all: Change[]): void {
    const t = tick(this.clock, Date.now());
    this.clock = t.clock;
    const c: Change = { mid: ++this.mid, table, id, groupId, values, hlc: t.hlc };
    this.outbox.push(c);
    all.push(c);
    this.apply(table, changeToPatch(c));
  }

  private apply(table: string, patch: Patch): void {
    const k = key(table, patch.id);
    this.rows.set(k, merge(this.rows.get(k), patch).row);
  }

  /** One sync request through `server`: a slice of the outbox and a page of the feed. False when the request failed. */
  async sync(server: ServerProcess, slice: number): Promise<boolean> {
    const changes = this.outbox.slice(0, slice);
    let res: Response;
    try {
      res = await fetch(server.url + '/api/sync', {
        method: 'POST',
        headers: { ...this.api.headers(), 'content-type': 'application/json' },
        body: JSON.stringify({ deviceId: this.deviceId, cursor: this.cursor, changes }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      this.failures++;
      return false;
    }
    if (res.status !== 200) {
      this.failures++;
      await res.body?.cancel();
      return false;
    }
    const body = (await res.json()) as SyncResponse;
    assert.equal(body.rejected, [], `${this.name}: niets geweigerd`);
    this.outbox = this.outbox.filter((c) => c.mid > body.ackedMid);
    for (const r of body.changes) {
      for (const h of Object.values(r.hlcs)) this.clock = receive(this.clock, h, Date.now());
      this.apply(r.table, remoteToPatch(r));
    }
    this.cursor = body.cursor;
    return true;
  }

  /** Pushes everything and pulls until the feed has no more, retrying failed requests. */
  async drain(servers: () => ServerProcess[]): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const live = servers();
      const ok = await this.sync(live[i % live.length], 50);
      if (ok && this.outbox.length === 0) {
        // One more request from the cursor proves the feed is empty for this phone.
        const before = this.cursor;
        if ((await this.sync(live[0], 0)) && this.cursor === before) return;
      }
    }
    assert.unreachable(`${this.name} kwam niet bij`);
  }
}

const test = suite('two server processes on one PostgreSQL');
let a: ServerProcess;
let b: ServerProcess;

test.before(async () => {
  const databaseUrl = await freshPostgresDatabase();
  // Started at the same moment: both migrate and look for a first coördinator on the same empty database.
  const started = await Promise.allSettled([0, 1].map(() => startServerProcess({ databaseUrl, firstStart: 'either' })));
  const up = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    // A process left running would keep the test run from ending.
    await Promise.all(up.map((s) => s.stop()));
    throw failed.reason;
  }
  [a, b] = up;
});

test.after(async () => {
  await a?.stop();
  await b?.stop();
});

test('starting two processes at once on an empty database makes one first coördinator', async () => {
  const printed = [a.password, b.password].filter(Boolean);
  assert.is(printed.length, 1, 'precies één proces toont het eerste wachtwoord');
  const users = await a.query<{ n: number | string }>(`select count(*) as n from users where role = 'coordinator'`);
  assert.is(Number(users[0].n), 1);
});

test('twenty phones pushing and pulling through both processes, one SIGKILLed mid-run, converge with nothing lost or doubled', async () => {
  const random = rng(20261204);
  const coord = new ApiClient(a.url);
  await coord.login('coordinator', a.password || b.password);
  const today = new Date().toISOString().slice(0, 10);

  const phones: SimPhone[] = [];
  const groups: { groupId: string; participantIds: string[]; phones: SimPhone[] }[] = [];
  for (let g = 0; g < 10; g++) {
    const { groupId, participantIds } = await coord.createGroup(`Luistergroep ${g + 1}`, ['Amina', 'Bas', 'Carla', 'Dirk', 'Els', 'Fatma']);
    const pair: SimPhone[] = [];
    for (const role of ['beg', 'cobeg']) {
      const username = `${role}${g}`;
      const password = await coord.createBegeleider(username, [groupId]);
      const api = new ApiClient(a.url);
      await api.login(username, password);
      const phone = new SimPhone(`${username}`, api);
      pair.push(phone);
      phones.push(phone);
    }
    groups.push({ groupId, participantIds, phones: pair });
  }

  // What every phone wrote, in the order each wrote it: the merge of all of it is what must end up everywhere.
  const all: Change[] = [];
  let notes = 0;
  const write = (phone: SimPhone, group: (typeof groups)[number]) => {
    const rid = roundId(group.groupId, today);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const op = random();
    if (op < 0.25) {
      phone.write('rounds', rid, group.groupId, { date: today, status: 'bezig', mote: `Wat helpt je ${Math.floor(random() * 100)}?`, plan: DEFAULT_PLAN }, all);
    } else if (op < 0.6) {
      const pid = pick(group.participantIds);
      // The round first, as the phone's round flow writes it before any attendance.
      if (!phone.rows.has(key('rounds', rid))) phone.write('rounds', rid, group.groupId, { date: today, status: 'bezig', plan: DEFAULT_PLAN }, all);
      phone.write('attendance', attendanceId(rid, pid), group.groupId, { roundId: rid, participantId: pid, present: random() < 0.7 }, all);
    } else if (op < 0.8) {
      phone.write('participants', pick(group.participantIds), group.groupId, { status: pick(['actief', 'afgerond', 'gestopt']) }, all);
    } else {
      if (!phone.rows.has(key('rounds', rid))) phone.write('rounds', rid, group.groupId, { date: today, status: 'bezig', plan: DEFAULT_PLAN }, all);
      notes++;
      phone.write('notes', `n${phone.deviceId}${notes}`, group.groupId, { roundId: rid, step: null, text: `Notitie ${notes}`, author: phone.name, createdAt: Date.now() }, all);
    }
  };

  let bAlive = true;
  const live = () => (bAlive ? [a, b] : [a]);
  let killed = false;
  for (let step = 0; step < 12; step++) {
    for (const g of groups) for (const p of g.phones) for (let k = 0; k < 1 + Math.floor(random() * 3); k++) write(p, g);
    if (step === 5) {
      // SIGKILL with requests in flight through b: the phones keep their outboxes and go on through a.
      const inFlight = Promise.all(phones.map((p) => p.sync(b, 20)));
      await new Promise((r) => setTimeout(r, 15));
      await b.kill('SIGKILL');
      bAlive = false;
      killed = true;
      await inFlight;
    } else if (step === 8) {
      await b.restart();
      bAlive = true;
    } else {
      await Promise.all(phones.map((p) => p.sync(random() < 0.5 || !bAlive ? a : b, 1 + Math.floor(random() * 8))));
    }
  }
  assert.ok(killed);
  // First every outbox reaches the server, then every phone pulls what the others pushed meanwhile.
  for (const p of phones) await p.drain(live);
  for (const p of phones) await p.drain(live);

  // The truth: every change merged in the order written. Merge is order-free, so any order gives the same.
  const expected = new Map<string, Row>();
  for (const c of all) {
    const k = key(c.table, c.id);
    expected.set(k, merge(expected.get(k), changeToPatch(c)).row);
  }

  const stored = await a.query<{ tbl: string; id: string; group_id: string | null; data: string; hlcs: string; version: number | string }>(
    `select tbl, id, group_id, data, hlcs, version from records`,
  );
  const versions = new Set(stored.map((r) => Number(r.version)));
  assert.is(versions.size, stored.length, 'elke versie één keer uitgegeven');
  assert.is(stored.filter((r) => r.tbl === 'notes').length, notes, 'elke notitie precies één keer opgeslagen');
  const db = new Map(stored.map((r) => [key(r.tbl, r.id), { groupId: r.group_id, values: JSON.parse(r.data) as Record<string, unknown>, hlcs: JSON.parse(r.hlcs) as Record<string, string> }]));

  // Every field a phone wrote holds the value of its latest write (the coördinator's set-up wrote the others).
  for (const [k, want] of expected) {
    const row = db.get(k);
    assert.ok(row, `${k} staat in de database`);
    for (const f of Object.keys(want._h)) {
      assert.is(row!.hlcs[f], want._h[f], `${k}.${f}: de laatste schrijfactie in de database`);
      assert.equal(row!.values[f], want[f], `${k}.${f}: de waarde van de laatste schrijfactie`);
    }
  }
  // Every phone holds exactly what the database holds for its group and the organisation.
  for (const g of groups) {
    const visible = [...db].filter(([, r]) => r.groupId === g.groupId || r.groupId === null);
    for (const p of g.phones) {
      const missing = visible.filter(([k]) => !p.rows.has(k)).map(([k]) => k);
      const extra = [...p.rows.keys()].filter((k) => !db.has(k));
      assert.equal({ missing, extra }, { missing: [], extra: [] }, `${p.name}: dezelfde records als de database`);
      for (const [k, r] of visible) {
        const mine = p.rows.get(k);
        assert.ok(mine, `${p.name} heeft ${k}`);
        assert.equal(mine!._h, r.hlcs, `${p.name}: ${k} gelijk aan de database`);
      }
    }
  }
  assert.ok(phones.some((p) => p.failures > 0), 'de SIGKILL trof lopende verzoeken');
});

test.run();
