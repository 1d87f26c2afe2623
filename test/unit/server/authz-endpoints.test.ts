// Authorization matrix over every HTTP endpoint: each route × caller (anonymous, begeleider of group A or B, deactivated, coördinator) gets its expected status, and refused calls see and change nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../../../src/server/app';
import { SESSION_COOKIE } from '../../../src/server/auth';
import { verifyPassword } from '../../../src/server/passwords';
import { createUser, findLogin, SESSION_IDLE_MS, type Role } from '../../../src/server/users';
import { attendanceId, roundId } from '../../../src/shared/ids';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import type { Change } from '../../../src/shared/schema';
import { change, DIALECTS, harness, ownPassword, T0, uniq, type Harness, MIDDLEWARE_ROUTES, routeKeys, STATIC_ROUTES, tableNames } from './harness';

const CALLERS = ['anonymous', 'begeleider A', 'begeleider B', 'deactivated', 'coordinator'] as const;
type Caller = (typeof CALLERS)[number];

interface Account {
  id: string;
  username: string;
  password: string;
  cookie: string;
}

interface Ctx {
  h: Harness;
  call(method: string, path: string, cookie: string | undefined, body?: unknown): Promise<Response>;
  gA: string;
  gB: string;
  /** A participant of group A with attendance, a note naming them, and one of group B. */
  pA: string;
  pAName: string;
  pB: string;
  /** A participant of group A erased before the matrix runs. */
  erased: string;
  accounts: Record<Exclude<Caller, 'anonymous'>, Account>;
  /** A new account of the caller's kind, for calls that change the account itself. */
  fresh(who: Caller): Promise<Account | undefined>;
  /** A new user nobody else touches, as a target. */
  victim(role?: Role): Promise<Account>;
  /** A new participant of group A with one attendance row. */
  participant(): Promise<{ id: string; name: string }>;
  login(username: string, password: string): Promise<Response>;
}

interface Call {
  method: string;
  path: string;
  body?: unknown;
  cookie?: string;
}

interface Row {
  expect: Record<Caller, number>;
  /** Builds the request for this caller (making fresh targets where the call changes something). */
  request(ctx: Ctx, who: Caller): Promise<Call & { effect?: (res: Response, json: Record<string, unknown>) => Promise<void> }>;
  /** Rows written by a refused call on purpose (a failed login is audited). */
  audits?: string[];
  /** Tables a refused call changes on purpose (a failed login is counted against the login limits). */
  tables?: string[];
}

const open = (coord = 200): Record<Caller, number> => ({ anonymous: 401, 'begeleider A': 200, 'begeleider B': 200, deactivated: 401, coordinator: coord });
const coordOnly = (coord = 200): Record<Caller, number> => ({ anonymous: 401, 'begeleider A': 403, 'begeleider B': 403, deactivated: 401, coordinator: coord });
const cookieOf = (ctx: Ctx, who: Caller) => (who === 'anonymous' ? undefined : ctx.accounts[who].cookie);

/**
 * Every route of the app, keyed "METHOD path" as Hono lists it, with who may call it. A route missing here fails
 * the coverage test: add a row saying what each kind of caller gets and what a successful call changes.
 */
const MATRIX: Record<string, Row> = {
  'POST /api/auth/login': {
    expect: { anonymous: 401, 'begeleider A': 200, 'begeleider B': 200, deactivated: 401, coordinator: 200 },
    audits: ['login.failed'],
    tables: ['login_limits'],
    async request(ctx, who) {
      // Each caller logs in with their own credentials; anonymous guesses a password.
      const a = who === 'anonymous' ? { ...ctx.accounts['begeleider A'], password: 'geraden-wachtwoord' } : ctx.accounts[who];
      return {
        method: 'POST',
        path: '/api/auth/login',
        body: { username: a.username, password: a.password },
        effect: async (res, json) => {
          assert.is((json.user as { id: string }).id, a.id, 'logged in as themselves');
          assert.match(res.headers.get('set-cookie') ?? '', new RegExp(`${SESSION_COOKIE}=[^;]`));
        },
      };
    },
  },
  'POST /api/auth/logout': {
    expect: { anonymous: 200, 'begeleider A': 200, 'begeleider B': 200, deactivated: 200, coordinator: 200 },
    async request(ctx, who) {
      const a = await ctx.fresh(who);
      return {
        method: 'POST',
        path: '/api/auth/logout',
        cookie: a?.cookie,
        effect: async () => {
          if (who === 'anonymous' || who === 'deactivated') return;
          assert.is((await ctx.call('GET', '/api/auth/me', a!.cookie)).status, 401, 'that session is over');
          assert.is((await ctx.call('GET', '/api/auth/me', cookieOf(ctx, who))).status, 200, 'other sessions of the user stay');
        },
      };
    },
  },
  'GET /api/auth/me': {
    expect: open(),
    async request(ctx, who) {
      return {
        method: 'GET',
        path: '/api/auth/me',
        effect: async (_res, json) => assert.is((json.user as { id: string }).id, ctx.accounts[who as 'coordinator'].id, 'their own account'),
      };
    },
  },
  'POST /api/auth/password': {
    expect: open(),
    async request(ctx, who) {
      const a = await ctx.fresh(who);
      return {
        method: 'POST',
        path: '/api/auth/password',
        cookie: a?.cookie,
        body: { old: a?.password ?? 'geraden-wachtwoord', new: 'mijn-nieuwe-wachtwoord' },
        effect: async () => {
          const found = await findLogin(ctx.h.store, a!.username);
          assert.ok(await verifyPassword('mijn-nieuwe-wachtwoord', found!.hash), 'only their own password changed');
        },
      };
    },
  },
  'GET /api/users': {
    expect: coordOnly(),
    async request(ctx) {
      return {
        method: 'GET',
        path: '/api/users',
        effect: async (_res, json) => {
          const ids = (json.users as { id: string }[]).map((u) => u.id);
          assert.ok(ids.includes(ctx.accounts['begeleider A'].id) && ids.includes(ctx.accounts['begeleider B'].id));
        },
      };
    },
  },
  'POST /api/users': {
    expect: coordOnly(201),
    async request(ctx) {
      const username = uniq('nieuw');
      return {
        method: 'POST',
        path: '/api/users',
        // A begeleider trying to make themselves a colleague coördinator.
        body: { username, role: 'coordinator', groups: [ctx.gA, ctx.gB] },
        effect: async () => assert.ok(await findLogin(ctx.h.store, username)),
      };
    },
  },
  'PUT /api/users/:id/groups': {
    expect: coordOnly(),
    async request(ctx, who) {
      // Begeleider A tries to add group B to their own account; others act on a new user.
      const target = who === 'begeleider A' ? ctx.accounts['begeleider A'] : await ctx.victim();
      return {
        method: 'PUT',
        path: `/api/users/${target.id}/groups`,
        body: { groups: [ctx.gA, ctx.gB] },
        effect: async () => {
          const users = (await (await ctx.call('GET', '/api/users', ctx.accounts.coordinator.cookie)).json()) as { users: { id: string; groups: string[] }[] };
          assert.equal(users.users.find((u) => u.id === target.id)?.groups, [ctx.gA, ctx.gB]);
        },
      };
    },
  },
  'POST /api/users/:id/reset': {
    expect: coordOnly(),
    async request(ctx, who) {
      // A begeleider trying to take over the coördinator's account by resetting its password.
      const target = who.startsWith('begeleider') ? ctx.accounts.coordinator : await ctx.victim();
      return {
        method: 'POST',
        path: `/api/users/${target.id}/reset`,
        effect: async (_res, json) => {
          assert.type(json.password, 'string');
          assert.is((await ctx.login(target.username, target.password)).status, 401, 'the old password no longer works');
        },
      };
    },
  },
  'POST /api/users/:id/deactivate': {
    expect: coordOnly(),
    async request(ctx, who) {
      // Begeleider B tries to switch off begeleider A.
      const target = who === 'begeleider B' ? ctx.accounts['begeleider A'] : await ctx.victim();
      return {
        method: 'POST',
        path: `/api/users/${target.id}/deactivate`,
        effect: async () => assert.is((await ctx.call('GET', '/api/auth/me', target.cookie)).status, 401, 'their sessions ended'),
      };
    },
  },
  'POST /api/users/:id/signout': {
    expect: coordOnly(),
    async request(ctx, who) {
      // Begeleider B tries to sign out begeleider A's phones.
      const target = who === 'begeleider B' ? ctx.accounts['begeleider A'] : await ctx.victim();
      return {
        method: 'POST',
        path: `/api/users/${target.id}/signout`,
        effect: async (_res, json) => {
          assert.is(json.sessions, 1);
          assert.is((await ctx.call('GET', '/api/auth/me', target.cookie)).status, 401, 'their sessions ended');
        },
      };
    },
  },
  'POST /api/sync': {
    expect: open(),
    async request(ctx, who) {
      // Pull everything and try to rename a participant of group A: only group A's begeleider and the coördinator may.
      const p = await ctx.participant();
      const body = { deviceId: uniq('dev'), cursor: '0', changes: [change(1, 'participants', p.id, ctx.gA, { name: `Hernoemd ${uniq('n')}` }, { at: T0 + 1 })] };
      return {
        method: 'POST',
        path: '/api/sync',
        body,
        effect: async (_res, json) => {
          const rows = json.changes as { table: string; id: string; groupId: string | null }[];
          const groups = new Set(rows.map((r) => r.groupId));
          const mayA = who !== 'begeleider B';
          const mayB = who !== 'begeleider A';
          assert.is(groups.has(ctx.gA), mayA, 'sees group A');
          assert.is(groups.has(ctx.gB), mayB, 'sees group B');
          assert.ok([...groups].every((g) => g === null || g === ctx.gA || g === ctx.gB));
          const erased = (json.erased as { id: string }[]).map((e) => e.id);
          assert.is(erased.includes(ctx.erased), mayA, 'hears of group A’s erasures only when it may see group A');
          const refused = json.rejected as { mid: number }[];
          assert.is(refused.length, mayA ? 0 : 1, 'the rename is refused outside the own group');
          const row = await ctx.h.store.db.selectFrom('records').select('data').where('tbl', '=', 'participants').where('id', '=', p.id).executeTakeFirstOrThrow();
          assert.is(JSON.parse(row.data).name === body.changes[0].values.name, mayA, 'stored name');
        },
      };
    },
  },
  'POST /api/participants/:id/erase': {
    expect: coordOnly(),
    async request(ctx) {
      const p = await ctx.participant();
      return {
        method: 'POST',
        path: `/api/participants/${p.id}/erase`,
        effect: async () => {
          const row = await ctx.h.store.db.selectFrom('records').select(['data', 'deleted']).where('tbl', '=', 'participants').where('id', '=', p.id).executeTakeFirstOrThrow();
          assert.ok(row.deleted);
          assert.not.match(row.data, p.name);
        },
      };
    },
  },
  'GET /api/participants/:id/export': {
    expect: coordOnly(),
    async request(ctx) {
      return {
        method: 'GET',
        path: `/api/participants/${ctx.pA}/export`,
        effect: async (_res, json) => assert.match(JSON.stringify(json), ctx.pAName),
      };
    },
  },
  'GET /api/audit': {
    expect: coordOnly(),
    async request() {
      return { method: 'GET', path: '/api/audit', effect: async (_res, json) => assert.ok(Array.isArray(json.entries)) };
    },
  },
  'GET /api/report': {
    expect: coordOnly(),
    async request(ctx) {
      return {
        method: 'GET',
        path: '/api/report?from=2026-01-01&to=2026-12-31',
        // The seed's one round is still under way, so nothing was held: the figures exist and count nothing.
        effect: async (_res, json) => {
          assert.is(json.roundsHeld, 0);
          assert.ok(Array.isArray(json.byGroup));
          assert.not.ok(JSON.stringify(json).includes(ctx.pAName), 'the report names nobody');
        },
      };
    },
  },
  'ALL /api/*': {
    expect: { anonymous: 404, 'begeleider A': 404, 'begeleider B': 404, deactivated: 404, coordinator: 404 },
    async request() {
      return { method: 'POST', path: '/api/onbekend/adres' };
    },
  },
};


for (const kind of DIALECTS) {
  const test = suite(`authorization per endpoint (${kind})`);
  let ctx: Ctx;
  let app: ReturnType<typeof createApp>;
  let tables: string[];
  let h: Harness;
  const logs: unknown[][] = [];
  /** The same API serving a built PWA from a temporary dist/ folder. */
  let staticApp: ReturnType<typeof createApp>;
  let dist: string;

  const call: Ctx['call'] = async (method, path, cookie, body) => {
    const headers: Record<string, string> = { 'x-lk': '1', 'content-type': 'application/json' };
    if (cookie) headers.cookie = cookie;
    return app.fetch(new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  };
  const login: Ctx['login'] = (username, password) => call('POST', '/api/auth/login', undefined, { username, password });

  async function account(role: Role, groups: string[], deactivated = false): Promise<Account> {
    const { user, password } = await createUser(h.store, { username: uniq(role.slice(0, 5)), role, groups }, T0);
    await ownPassword(h.store, user.id);
    const res = await login(user.username, password);
    assert.is(res.status, 200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    // Switched off while a session lingers: the hardest case (the API also ends the sessions).
    if (deactivated) await h.store.db.updateTable('users').set({ active: 0 }).where('id', '=', user.id).execute();
    return { id: user.id, username: user.username, password, cookie };
  }

  async function push(cookie: string, changes: Change[], deviceId = uniq('seed')) {
    const res = await call('POST', '/api/sync', cookie, { deviceId, cursor: '0', changes });
    assert.is(res.status, 200);
    assert.equal(((await res.json()) as { rejected: unknown[] }).rejected, []);
  }

  /** Everything stored, table by table (live sessions only; audit rows a row allows left out). */
  async function snapshot(ignoreAudit: string[], ignoreTables: string[] = []): Promise<string> {
    const out: string[] = [];
    for (const t of tables.filter((t) => !ignoreTables.includes(t))) {
      let rows = (await h.store.db.selectFrom(t as 'records').selectAll().execute()) as Record<string, unknown>[];
      if (t === 'sessions') rows = rows.filter((r) => Number(r.last_seen) >= T0 - SESSION_IDLE_MS);
      if (t === 'audit') rows = rows.filter((r) => !ignoreAudit.includes(String(r.action)));
      out.push(`${t}: ${rows.map((r) => JSON.stringify(r)).sort().join('\n')}`);
    }
    return out.join('\n');
  }

  test.before(async () => {
    // uvu drops errors thrown in hooks silently; say what broke.
    try {
      h = await harness(kind);
      app = createApp({ store: h.store, now: () => T0, log: (...a) => logs.push(a), syncBudget: null });
      const gA = uniq('gA');
      const gB = uniq('gB');
      const accounts = {
        coordinator: await account('coordinator', []),
        'begeleider A': await account('begeleider', [gA]),
        'begeleider B': await account('begeleider', [gB]),
        deactivated: await account('begeleider', [gA], true),
      };
      const pAName = uniq('Zeldzaam');
      const r = roundId(gA, '2026-03-01');
      const pA = `${gA}-p`;
      const pB = `${gB}-p`;
      await push(accounts.coordinator.cookie, [
        change(1, 'locations', uniq('loc'), null, { name: 'Buurthuis', wijk: 'Noord' }),
        change(2, 'participants', pA, gA, { name: pAName, foundVia: 'flyer', status: 'actief' }),
        change(3, 'rounds', r, gA, { date: '2026-03-01', status: 'bezig', plan: DEFAULT_PLAN }),
        change(4, 'attendance', attendanceId(r, pA), gA, { roundId: r, participantId: pA, present: true }),
        change(5, 'notes', uniq('n'), gA, { roundId: r, step: null, text: `${pAName} vertelde`, author: 'A', createdAt: T0 }),
        change(6, 'participants', pB, gB, { name: 'Bep', foundVia: 'flyer', status: 'actief' }),
      ]);
      ctx = {
        h,
        call,
        login,
        gA,
        gB,
        pA,
        pAName,
        pB,
        accounts,
        erased: '',
        async fresh(who) {
          if (who === 'anonymous') return undefined;
          if (who === 'coordinator') return account('coordinator', []);
          return account('begeleider', [who === 'begeleider B' ? gB : gA], who === 'deactivated');
        },
        victim: (role = 'begeleider') => account(role, [gA]),
        async participant() {
          const id = uniq(`${gA}-p`);
          const name = uniq('Wisbaar');
          await push(accounts.coordinator.cookie, [
            change(1, 'participants', id, gA, { name, foundVia: 'flyer', status: 'actief' }),
            change(2, 'attendance', attendanceId(r, id), gA, { roundId: r, participantId: id, present: true }),
          ]);
          return { id, name };
        },
      };
      ctx.erased = (await ctx.participant()).id;
      assert.is((await call('POST', `/api/participants/${ctx.erased}/erase`, accounts.coordinator.cookie)).status, 200);
      dist = mkdtempSync(join(tmpdir(), 'lk-authz-dist-'));
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Luisterkring</title>');
      staticApp = createApp({ store: h.store, now: () => T0, log: (...a) => logs.push(a), staticDir: dist });
      tables = await tableNames(h.store);
    } catch (e) {
      console.error(`setup (${kind}) failed:`, e);
      throw e;
    }
  });
  test.after(async () => {
    await h.close();
    rmSync(dist, { recursive: true, force: true });
  });

  test('every route is in the authorization matrix', () => {
    const keys = routeKeys(staticApp);
    const missing = keys.filter((k) => !(k in MATRIX) && !MIDDLEWARE_ROUTES.has(k) && !STATIC_ROUTES.has(k));
    assert.equal(missing, [], `Route(s) ${missing.join(', ')} have no authorization row: add them to MATRIX in test/unit/server/authz-endpoints.test.ts (or to MIDDLEWARE_ROUTES in harness.ts)`);
    const gone = Object.keys(MATRIX).filter((k) => !keys.includes(k));
    assert.equal(gone, [], `MATRIX lists routes the app no longer has: ${gone.join(', ')}`);
  });

  for (const [key, row] of Object.entries(MATRIX)) {
    for (const who of CALLERS) {
      const status = row.expect[who];
      test(`${key}: ${who} → ${status}`, async () => {
        const req = await row.request(ctx, who);
        const cookie = 'cookie' in req ? req.cookie : cookieOf(ctx, who);
        const before = await snapshot(row.audits ?? [], row.tables);
        const logged = logs.length;
        const res = await call(req.method, req.path, cookie, req.body);
        const json = (await res.json()) as Record<string, unknown>;
        assert.is(res.status, status, `${req.method} ${req.path} as ${who}: ${JSON.stringify(json).slice(0, 200)}`);
        if (status < 300) {
          await req.effect?.(res, json);
        } else {
          assert.equal(Object.keys(json), ['error'], 'a refusal carries only its reason, no data');
          assert.type(json.error, 'string');
          assert.ok(await snapshot(row.audits ?? [], row.tables) === before, 'a refused call changes nothing stored');
        }
        assert.equal(logs.slice(logged), [], 'no server error');
      });
    }
  }

  /** The sync endpoint's own rules per caller: the status, and what each pushed change got (a = applied, r = refused). */
  const SYNC_RULES: Record<string, { expect: Record<Caller, number>; outcome: Partial<Record<Caller, string>>; body(ctx: Ctx): Promise<{ deviceId: string; changes: Change[] }> }> = {
    'a device id begeleider A used first': {
      expect: { anonymous: 401, 'begeleider A': 200, 'begeleider B': 403, deactivated: 401, coordinator: 403 },
      outcome: { 'begeleider A': 'a' },
      async body(ctx) {
        const deviceId = uniq('phoneA');
        const note = (mid: number) => change(mid, 'notes', uniq('n'), ctx.gA, { roundId: roundId(ctx.gA, '2026-03-01'), step: null, text: 'Mijn notitie', author: 'A', createdAt: T0 });
        await push(ctx.accounts['begeleider A'].cookie, [note(1)], deviceId);
        return { deviceId, changes: [note(2)] };
      },
    },
    'deleting a participant of group A': {
      expect: open(),
      outcome: { 'begeleider A': 'r', 'begeleider B': 'r', coordinator: 'a' },
      async body(ctx) {
        const p = await ctx.participant();
        return { deviceId: uniq('dev'), changes: [change(1, 'participants', p.id, ctx.gA, {}, { deleted: true, at: T0 + 1 })] };
      },
    },
    'a round of group B written under group A': {
      expect: open(),
      outcome: { 'begeleider A': 'r', 'begeleider B': 'r', coordinator: 'r' },
      async body(ctx) {
        return { deviceId: uniq('dev'), changes: [change(1, 'rounds', roundId(ctx.gB, '2026-04-01'), ctx.gA, { date: '2026-04-01', status: 'bezig' })] };
      },
    },
    'attendance in group A naming group B’s participant': {
      expect: open(),
      outcome: { 'begeleider A': 'r', 'begeleider B': 'r', coordinator: 'r' },
      async body(ctx) {
        const r = roundId(ctx.gA, '2026-03-01');
        return { deviceId: uniq('dev'), changes: [change(1, 'attendance', attendanceId(r, ctx.pB), ctx.gA, { roundId: r, participantId: ctx.pB, present: true })] };
      },
    },
  };

  for (const [rule, row] of Object.entries(SYNC_RULES)) {
    for (const who of CALLERS) {
      const status = row.expect[who];
      const outcome = row.outcome[who];
      test(`POST /api/sync, ${rule}: ${who} → ${status}${outcome ? (outcome === 'a' ? ', applied' : ', refused') : ''}`, async () => {
        const body = await row.body(ctx);
        const before = await snapshot([]);
        const res = await call('POST', '/api/sync', cookieOf(ctx, who), { ...body, cursor: '0' });
        const json = (await res.json()) as { rejected?: { mid: number; permanent: boolean }[] };
        assert.is(res.status, status, `${who}: ${JSON.stringify(json).slice(0, 200)}`);
        if (status !== 200) assert.ok((await snapshot([])) === before, 'a refused call changes nothing stored');
        else assert.is(json.rejected!.length === 0, outcome === 'a', JSON.stringify(json.rejected));
      });
    }
  }

  test('a session bound to a session key: its cookie without the key is refused by every signed-in route, with the key it is the coördinator', async () => {
    const a = ctx.accounts.coordinator;
    const res = await call('POST', '/api/auth/login', undefined, { username: a.username, password: a.password, sessionKey: true });
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const { sessionKey } = (await res.json()) as { sessionKey: string };
    let n = 0;
    for (const [key, row] of Object.entries(MATRIX)) {
      // Login is public; its anonymous 401 is a wrong password.
      if (row.expect.anonymous !== 401 || key === 'POST /api/auth/login') continue;
      const req = await row.request(ctx, 'coordinator');
      const before = await snapshot(row.audits ?? [], row.tables);
      const refused = await call(req.method, req.path, cookie, req.body);
      assert.is(refused.status, 401, `${key} with the cookie alone`);
      assert.ok((await snapshot(row.audits ?? [], row.tables)) === before, `${key}: nothing changes`);
      const wrong = await app.fetch(
        new Request(`http://localhost${req.path}`, { method: req.method, headers: { 'x-lk': '1', 'content-type': 'application/json', cookie, 'x-lk-key': `${sessionKey.slice(1)}x` }, body: req.body === undefined ? undefined : JSON.stringify(req.body) }),
      );
      assert.is(wrong.status, 401, `${key} with a wrong key`);
      n++;
    }
    assert.ok(n >= 10, `${n} routes`);
    const me = await app.fetch(new Request('http://localhost/api/auth/me', { headers: { cookie, 'x-lk-key': sessionKey } }));
    assert.is(me.status, 200);
  });

  test('the built app is public to every caller, and no /api address falls through to it', async () => {
    const logged = logs.length;
    for (const who of CALLERS) {
      const cookie = cookieOf(ctx, who);
      const headers: Record<string, string> = cookie ? { cookie } : {};
      for (const method of ['GET', 'HEAD']) {
        const page = await staticApp.fetch(new Request('http://localhost/groep/x', { method, headers }));
        assert.is(page.status, 200, `${method} as ${who}`);
        assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      }
      for (const path of ['/api/users', '/api/audit', '/api/onbekend', `/api/participants/${ctx.pA}/export`]) {
        const res = await staticApp.fetch(new Request(`http://localhost${path}`, { headers }));
        assert.match(res.headers.get('content-type') ?? '', /application\/json/, `${path} as ${who}`);
        assert.not.match(await res.text(), /<!doctype/i, `${path} as ${who} is not the page`);
      }
    }
    assert.equal(logs.slice(logged), []);
  });

  test('a begeleider cannot read another group’s participant through the export, even knowing the id', async () => {
    const res = await call('GET', `/api/participants/${ctx.pA}/export`, ctx.accounts['begeleider B'].cookie);
    assert.is(res.status, 403);
    assert.not.match(await res.text(), ctx.pAName);
  });

  test.run();
}
