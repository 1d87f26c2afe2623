// Audit log on both databases: what is recorded for logins, account changes, erasure and org syncs, and what never is.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../../../src/server/app';
import { AuditPruner, AuditShapeError, recordAudit, type AuditDetail, type AuditRecord } from '../../../src/server/audit';
import { createUser } from '../../../src/server/users';
import { attendanceId, roundId } from '../../../src/shared/ids';
import { change, DIALECTS, harness, T0, uniq, type Harness } from './harness';

for (const kind of DIALECTS) {
  const test = suite(`audit log (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  /** Every stored entry about `target`, oldest first, straight from the table. */
  async function about(target: string) {
    const rows = await h.store.db.selectFrom('audit').selectAll().where('target', '=', target).orderBy('id').execute();
    return rows.map((r) => ({ action: r.action, actor: r.actor_id, name: r.actor_name, detail: JSON.parse(r.detail) as Record<string, unknown>, at: Number(r.at) }));
  }
  async function everything(): Promise<string> {
    return JSON.stringify(await h.store.db.selectFrom('audit').selectAll().execute());
  }
  const login = (username: string, password: string) => h.request('POST', '/api/auth/login', { body: { username, password } });

  test('a login is recorded with who and when; a failed one names the account but never the password', async () => {
    const { user, password } = await createUser(h.store, { username: uniq('anna'), role: 'begeleider' }, T0);
    h.clock.now = T0 + 1000;
    assert.is((await login(user.username, 'Fout-wachtwoord-123')).status, 401);
    h.clock.now = T0 + 2000;
    assert.is((await login(user.username, password)).status, 200);
    assert.equal(await about(user.id), [
      { action: 'login.failed', actor: null, name: null, detail: { username: user.username }, at: T0 + 1000 },
      { action: 'login', actor: user.id, name: user.username, detail: {}, at: T0 + 2000 },
    ]);
    assert.not.ok((await everything()).includes('Fout-wachtwoord-123'));
    h.clock.now = T0;
  });

  test('a failed login with an unknown name keeps no name (it may be a password typed in the wrong field)', async () => {
    const typed = uniq('MijnGeheim');
    assert.is((await login(typed, 'x')).status, 401);
    const all = await everything();
    assert.not.ok(all.toLowerCase().includes(typed.toLowerCase()));
    const rows = await h.store.db.selectFrom('audit').selectAll().where('action', '=', 'login.failed').where('target', 'is', null).execute();
    assert.ok(rows.some((r) => JSON.parse(r.detail).known === false));
  });

  test('the failure that starts a login block is marked, and blocked attempts add no entries', async () => {
    const { user } = await createUser(h.store, { username: uniq('bram'), role: 'begeleider' }, T0);
    for (let i = 0; i < 5; i++) assert.is((await login(user.username, `fout${i}`)).status, 401);
    assert.is((await login(user.username, 'fout')).status, 429);
    assert.is((await login(user.username, 'fout')).status, 429);
    const entries = await about(user.id);
    assert.is(entries.length, 5);
    assert.equal(entries.map((e) => e.detail.blocked ?? false), [false, false, false, false, true]);
  });

  test('a password change and logout are recorded for the user who does them, without the passwords', async () => {
    const { user, password } = await createUser(h.store, { username: uniq('dina'), role: 'begeleider' }, T0);
    const res = await login(user.username, password);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const call = (path: string, body?: unknown) => h.request('POST', path, { body, headers: { cookie } });
    assert.is((await call('/api/auth/password', { old: password, new: 'Nieuw-geheim-wachtwoord-9' })).status, 200);
    assert.is((await call('/api/auth/logout')).status, 200);
    assert.equal((await about(user.id)).map((e) => [e.action, e.actor]), [
      ['login', user.id],
      ['user.password', user.id],
      ['logout', user.id],
    ]);
    const all = await everything();
    assert.not.ok(all.includes('Nieuw-geheim-wachtwoord-9') || all.includes(password));
  });

  test('account changes by a coördinator are recorded with the coördinator as actor and the account as target', async () => {
    const coord = await h.user('coordinator');
    const created = await (await coord.call('POST', '/api/users', { username: uniq('cor'), role: 'begeleider', groups: ['g1'] })).json();
    const id = created.user.id as string;
    assert.is((await coord.call('PUT', `/api/users/${id}/groups`, { groups: ['g1', 'g2'] })).status, 200);
    assert.is((await coord.call('POST', `/api/users/${id}/reset`)).status, 200);
    assert.is((await coord.call('POST', `/api/users/${id}/deactivate`)).status, 200);
    const entries = await about(id);
    assert.equal(
      entries.map((e) => [e.action, e.actor, e.detail]),
      [
        ['user.create', coord.userId, { role: 'begeleider', groups: ['g1'] }],
        ['user.groups', coord.userId, { groups: ['g1', 'g2'] }],
        ['user.reset', coord.userId, {}],
        ['user.deactivate', coord.userId, {}],
      ],
    );
    assert.not.ok((await everything()).includes(created.password), 'the one-time password is not logged');
  });

  test('a refused account change (unknown id, own account) records nothing', async () => {
    const coord = await h.user('coordinator');
    assert.is((await coord.call('POST', '/api/users/nobody/reset')).status, 404);
    assert.is((await coord.call('POST', `/api/users/${coord.userId}/deactivate`)).status, 400);
    assert.equal(await about('nobody'), []);
    assert.equal((await about(coord.userId)).map((e) => e.action), ['login']);
  });

  test('erasure is recorded by participant id with a count, without the name', async () => {
    const g = uniq('g');
    const pid = `${g}-p`;
    const name = uniq('Zeldzamenaam');
    const beg = await h.user('begeleider', [g]);
    const coord = await h.user('coordinator');
    const r1 = roundId(g, '2026-03-01');
    await beg.sync(uniq('phone'), '0', [
      change(1, 'participants', pid, g, { name, foundVia: 'flyer', status: 'actief' }),
      change(2, 'rounds', r1, g, { date: '2026-03-01', status: 'afgerond' }),
      change(3, 'attendance', attendanceId(r1, pid), g, { roundId: r1, participantId: pid, present: true }),
    ]);
    assert.is((await coord.call('POST', `/api/participants/${pid}/erase`)).status, 200);
    assert.equal((await about(pid)).map((e) => [e.action, e.actor, e.detail]), [['participant.erase', coord.userId, { attendance: 1 }]]);
    assert.not.ok((await everything()).includes(name));
  });

  /** Sync entries of one device, oldest first. */
  const syncEntries = async (device: string) => (await about(device)).filter((e) => e.action === 'sync.org');

  test('a coördinator sync that writes groups or locations adds one entry with counts per table', async () => {
    const coord = await h.user('coordinator');
    const device = uniq('dev');
    const g1 = uniq('g');
    const g2 = uniq('g');
    const res = await coord.sync(device, await h.head(), [
      change(1, 'locations', uniq('loc'), null, { name: 'Buurthuis De Boom', wijk: 'Noord' }),
      change(2, 'groups', g1, g1, { name: 'Dinsdaggroep' }),
      change(3, 'groups', g2, g2, { name: 'Woensdaggroep' }),
      change(4, 'participants', uniq('p'), g1, { name: 'Ans', foundVia: 'flyer', status: 'actief' }),
      // Refused (an organisation record cannot belong to a group): not counted.
      change(5, 'locations', uniq('loc'), g1, { name: 'Fout', wijk: 'Zuid' }),
    ]);
    assert.is(res.rejected.length, 1);
    const entries = await syncEntries(device);
    assert.is(entries.length, 1);
    assert.is(entries[0].actor, coord.userId);
    assert.equal(entries[0].detail, { counts: { locations: 1, groups: 2, participants: 1 }, refused: 1 });
    assert.not.ok((await everything()).includes('Dinsdaggroep'), 'names of groups stay out of the log');
  });

  test('a resent sync request (its answer was lost) adds no second entry', async () => {
    const coord = await h.user('coordinator');
    const device = uniq('dev');
    const g = uniq('g');
    const changes = [change(1, 'groups', g, g, { name: 'Groep' })];
    await coord.sync(device, await h.head(), changes);
    await coord.sync(device, await h.head(), changes);
    assert.is((await syncEntries(device)).length, 1);
  });

  test('syncs that write no organisation data, and any sync by a begeleider, add no entry', async () => {
    const coord = await h.user('coordinator');
    const g = uniq('g');
    const beg = await h.user('begeleider', [g]);
    const d1 = uniq('dev');
    const d2 = uniq('dev');
    await coord.sync(d1, await h.head(), [change(1, 'participants', uniq('p'), g, { name: 'Ans', foundVia: 'flyer', status: 'actief' })]);
    await coord.sync(d1, await h.head(), []);
    // A begeleider's attempt at a group is refused, and not an organisation change either.
    const r = await beg.sync(d2, await h.head(), [change(1, 'groups', g, g, { name: 'Groep' })]);
    assert.is(r.rejected.length, 1);
    assert.equal(await syncEntries(d1), []);
    assert.equal(await syncEntries(d2), []);
  });

  test('GET /api/audit: coördinators only, newest first, paged with before/next', async () => {
    const beg = await h.user('begeleider');
    const coord = await h.user('coordinator');
    assert.is((await beg.call('GET', '/api/audit')).status, 403);
    assert.is((await h.request('GET', '/api/audit')).status, 401);
    const first = await (await coord.call('GET', '/api/audit?limit=3')).json();
    assert.is(first.entries.length, 3);
    const ids = first.entries.map((e: AuditRecord) => e.id);
    assert.equal(ids, [...ids].sort((a: number, b: number) => b - a), 'newest first');
    assert.is(first.entries[0].action, 'login');
    assert.is(first.entries[0].actor.id, coord.userId, 'the newest entry is this login');
    assert.is(first.next, ids[2]);
    const second = await (await coord.call('GET', `/api/audit?limit=3&before=${first.next}`)).json();
    assert.is(second.entries.length, 3);
    assert.ok(second.entries.every((e: AuditRecord) => e.id < ids[2]));
    const total = Number((await h.store.db.selectFrom('audit').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
    const all = await (await coord.call('GET', `/api/audit?limit=200`)).json();
    assert.is(all.entries.length, Math.min(total, 200));
  });

  test('GET /api/audit refuses a bad query with a Dutch message', async () => {
    const coord = await h.user('coordinator');
    for (const q of ['limit=0', 'limit=201', 'limit=abc', 'before=-1', 'before=1.5', 'limit=5&x=1']) {
      const res = await coord.call('GET', `/api/audit?${q}`);
      assert.is(res.status, 400, q);
      const body = await res.json();
      assert.match(body.error, /moet|mag|Onbekende/, q);
    }
  });

  async function refused(fn: () => Promise<unknown>) {
    try {
      await fn();
    } catch (e) {
      assert.instance(e, AuditShapeError);
      return;
    }
    assert.unreachable('recordAudit accepted free text');
  }

  test('recordAudit refuses free text (a name, a note) so it cannot slip into the log', async () => {
    const details: AuditDetail[] = [{ name: 'Jan de Vries' }, { note: 'gaat slecht\nmet haar' }, { nested: { list: ['Ans Jansen'] } }];
    for (const detail of details) {
      await refused(() => recordAudit(h.store, { at: T0, actor: null, action: 'participant.export', target: 'p1', detail }));
    }
    await refused(() => recordAudit(h.store, { at: T0, actor: null, action: 'Export van Jan', target: null }));
    await refused(() => recordAudit(h.store, { at: T0, actor: null, action: 'x', target: 'Jan de Vries' }));
  });

  test('an entry recorded inside a write transaction disappears with a rollback', async () => {
    const target = uniq('t');
    await h.store
      .write(async (tx) => {
        await recordAudit(tx, { at: T0, actor: null, action: 'participant.export', target });
        throw new Error('afgebroken');
      })
      .catch(() => {});
    assert.equal(await about(target), []);
    await h.store.write((tx) => recordAudit(tx, { at: T0, actor: null, action: 'participant.export', target, detail: { rows: 3 } }));
    assert.equal((await about(target)).map((e) => e.detail), [{ rows: 3 }]);
  });

  test('entries older than the retention period leave the log, at most one sweep a day; 0 keeps everything', async () => {
    const DAY = 24 * 3600 * 1000;
    const target = uniq('uoud');
    for (const age of [800, 731, 729, 1]) await recordAudit(h.store, { at: T0 - age * DAY, actor: null, action: 'login.failed', target, detail: { age } });
    assert.is(await new AuditPruner(0).maybePrune(h.store, T0), 0, '0 keeps everything');
    assert.is((await about(target)).length, 4);

    const pruner = new AuditPruner(730);
    assert.ok((await pruner.maybePrune(h.store, T0)) >= 2);
    assert.equal((await about(target)).map((e) => e.detail.age), [729, 1]);
    await recordAudit(h.store, { at: T0 - 900 * DAY, actor: null, action: 'login.failed', target, detail: { age: 900 } });
    assert.is(await pruner.maybePrune(h.store, T0 + 3600 * 1000), 0, 'the same day: no second sweep');
    assert.ok((await pruner.maybePrune(h.store, T0 + DAY)) >= 1, 'a day later it sweeps again');
    assert.equal((await about(target)).map((e) => e.detail.age), [729, 1]);
  });

  test('a login sweeps the log with the configured retention', async () => {
    const DAY = 24 * 3600 * 1000;
    const target = uniq('uswept');
    await recordAudit(h.store, { at: T0 - 10 * DAY, actor: null, action: 'login.failed', target });
    await recordAudit(h.store, { at: T0, actor: null, action: 'login.failed', target });
    const app = createApp({ store: h.store, now: () => T0, log: () => {}, auditRetentionDays: 7 });
    const { user, password } = await createUser(h.store, { username: uniq('swe'), role: 'begeleider' }, T0);
    const res = await app.fetch(new Request('http://localhost/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-lk': '1' }, body: JSON.stringify({ username: user.username, password }) }));
    assert.is(res.status, 200);
    assert.is((await about(target)).length, 1, 'the entry of ten days ago is gone, today\'s stays');
  });

  test.run();
}
