// The demo organisation: shaped like a real year (130 rounds, ~10 present, ~3,250 hours), valid, deterministic, and loadable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoOrganisation, type DemoRecord } from '../../../src/shared/demo';
import { parseFields, type Fields } from '../../../src/shared/schema';
import { computeReport } from '../../../src/shared/report';
import { openStore } from '../../../src/server/store';
import { listUsers } from '../../../src/server/users';
import { loadDemo, NotEmptyError } from '../../../src/server/demo-data';

const org = demoOrganisation(7, { year: 2025 });
const of = <T extends DemoRecord['table']>(table: T) => org.records.filter((r) => r.table === table) as DemoRecord<T>[];

test('every record passes the shared schemas', () => {
  for (const r of org.records) parseFields(r.table, r.values);
});

test('3 wijken, 6 locations, 8 groups of which some paused', () => {
  const locations = of('locations');
  assert.is(new Set(locations.map((l) => l.values.wijk)).size, 3);
  assert.is(locations.length, 6);
  const groups = of('groups');
  assert.is(groups.length, 8);
  const paused = groups.filter((g) => !g.values.active).length;
  assert.ok(paused >= 1 && paused <= 3, `paused ${paused}`);
  for (const g of groups) assert.is(g.groupId, g.id);
});

test('130 rounds of about 2.5 hours held in the year, about 10 present, 1–2 newcomers each; ~3,250 hours', () => {
  const held = of('rounds').filter((r) => r.values.status === 'afgerond');
  assert.is(held.length, 130);
  for (const r of of('rounds')) assert.ok(r.values.date.startsWith('2025-'), r.id);
  const present = new Map<string, number>();
  for (const a of of('attendance')) present.set(a.values.roundId, (present.get(a.values.roundId) ?? 0) + 1);
  let hours = 0;
  for (const r of held) {
    const minutes = (r.values.endedAt! - r.values.startedAt!) / 60_000;
    assert.ok(minutes >= 140 && minutes <= 160, `round of ${minutes} min`);
    const n = present.get(r.id) ?? 0;
    assert.ok(n >= 8 && n <= 12, `${n} present`);
    hours += (n * minutes) / 60;
  }
  assert.ok(Math.abs(hours - 3250) < 3250 * 0.05, `${Math.round(hours)} hours`);
  const firsts = new Map<string, number>();
  for (const p of of('participants')) if (p.values.firstVisit?.startsWith('2025-')) firsts.set(p.values.firstVisit + p.groupId, (firsts.get(p.values.firstVisit + p.groupId) ?? 0) + 1);
  for (const r of held) {
    const k = firsts.get(r.values.date + r.groupId) ?? 0;
    assert.ok(k >= 1 && k <= 2, `${k} newcomers on ${r.id}`);
  }
});

test('about 300 unique participants with statuses, ways in, and a few linked across groups', () => {
  const ps = of('participants');
  const persons = new Set(ps.map((p) => p.values.personId ?? p.id));
  assert.ok(persons.size >= 260 && persons.size <= 340, `${persons.size} persons`);
  assert.ok(persons.size < ps.length, 'some people are linked across groups');
  const statuses = new Set(ps.map((p) => p.values.status));
  assert.equal([...statuses].sort(), ['actief', 'afgerond', 'gestopt']);
  assert.ok(new Set(ps.map((p) => p.values.foundVia)).size >= 7);
  for (const p of ps) assert.ok(!/\d/.test(p.values.name), 'names only, no numbers or codes');
});

test('themes, strategies, evaluations and consented stories are there', () => {
  const held = of('rounds').filter((r) => r.values.status === 'afgerond');
  assert.ok(held.every((r) => r.values.chosenTheme && r.values.chosenTheme in r.values.themesRaised && r.values.strategies.length > 0));
  assert.is(of('evaluations').length, 130);
  const stories = of('stories');
  assert.ok(stories.length >= 3 && stories.every((s) => s.values.consent === true));
  assert.ok(of('rounds').some((r) => r.values.status === 'geannuleerd'));
});

test('the same seed gives the same organisation; another seed another one', () => {
  assert.equal(demoOrganisation(7, { year: 2025 }), org);
  assert.not.equal(demoOrganisation(8, { year: 2025 }).records, org.records);
});

test('the report over the year shows the figures the demo is shaped for', () => {
  const input = {
    locations: [], groups: [], participants: [], rounds: [], attendance: [], evaluations: [], stories: [], categories: [],
  } as Record<string, unknown[]>;
  for (const r of org.records) input[r.table].push({ id: r.id, groupId: r.groupId, _h: {}, ...r.values });
  const report = computeReport(input as never, { from: '2025-01-01', to: '2025-12-31' }, { today: '2026-01-15' });
  const figures = report as unknown as { roundsHeld: number; hoursOfAttention: number };
  assert.is(figures.roundsHeld, 130);
  assert.ok(Math.abs(figures.hoursOfAttention - 3250) < 3250 * 0.05, `${figures.hoursOfAttention} hours`);
});

test('loading into a fresh server database goes through sync as a coördinator, with nothing rejected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-demo-'));
  const store = openStore({ dataDir: dir });
  try {
    await store.migrate();
    const res = await loadDemo(store, { seed: 7, year: 2025, now: Date.UTC(2026, 0, 15) });
    assert.equal(res.rejected, []);
    assert.is(res.records, org.records.length);
    const rows = await store.db.selectFrom('records').select(['tbl', 'version']).execute();
    assert.is(rows.length, org.records.length);
    assert.is(new Set(rows.map((r) => Number(r.version))).size, rows.length, 'every record has its own version');
    const users = await listUsers(store);
    assert.ok(users.some((u) => u.role === 'coordinator'));
    const group = await store.db.selectFrom('records').select('data').where('tbl', '=', 'groups').where('id', '=', 'gdemo1').executeTakeFirstOrThrow();
    const begeleiders = (JSON.parse(group.data) as Fields<'groups'>).begeleiders;
    assert.is(begeleiders.length, 2);
    assert.ok(begeleiders.every((id) => users.find((u) => u.id === id)?.groups.includes('gdemo1')));
    try {
      await loadDemo(store, { seed: 7, year: 2025 });
      assert.unreachable('a second load must be refused');
    } catch (e) {
      assert.instance(e, NotEmptyError);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
