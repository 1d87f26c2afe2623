// Endpoint fuzzing: every route of the app gets thousands of generated bad requests; each must be a 4xx with a Dutch reason and leave the store untouched.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URL as NodeURL } from 'node:url';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BODY_LIMIT, createApp } from '../../../src/server/app';
import { AuditQuerySchema } from '../../../src/server/audit';
import { parseReportQuery } from '../../../src/server/report';
import { SESSION_COOKIE } from '../../../src/server/auth';
import { createSession, createUser, hashToken, isGroupList, ROLES, SESSION_IDLE_MS, USERNAME_RE, type Role } from '../../../src/server/users';
import { attendanceId, roundId } from '../../../src/shared/ids';
import { SyncRequestSchema, type Change } from '../../../src/shared/schema';
import { change, DIALECTS, harness, ownPassword, T0, uniq, type Harness, type Kind, MIDDLEWARE_ROUTES, routeKeys, STATIC_ROUTES, tableNames } from './harness';

/** Inputs per endpoint and dialect; FUZZ_SCALE=10 for a long local run. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const RUNS: Record<Kind, number> = { sqlite: Math.round(400 * SCALE), postgres: Math.round(250 * SCALE) };

type Auth = 'public' | 'user' | 'coordinator';

interface Account {
  id: string;
  username: string;
  password: string;
  cookie: string;
}

interface World {
  gA: string;
  participant: string;
  /** A participant of another group, for attendance that crosses groups. */
  foreign: string;
  /** A device id another account (the login account) used first. */
  ownedDevice: string;
  coord: Account;
  beg: Account;
  /** A real account whose credentials the login body starts from. */
  login: Account;
  /** Cookies that must not authenticate anyone. */
  expired: string;
  deactivated: string;
  ghost: string;
  /** The coördinator's cookie of a session bound to a session key, sent without the key. */
  bound: string;
}

type Identity =
  | 'anonymous'
  | 'garbage cookie'
  | 'garbage cookie header'
  | 'expired session'
  | 'deactivated user'
  | 'deleted user'
  | 'wrong cookie name'
  | 'bound cookie without key'
  | 'begeleider'
  | 'coordinator';

interface BodySpec {
  /** A valid body for this caller; faults are applied to it. */
  make(w: World, caller: Account | undefined): Record<string, unknown>;
  /** Would the server accept this body? Generated bodies that happen to be valid are discarded. */
  valid(b: unknown, w: World, caller: Account | undefined): boolean;
  /** Statuses a bad body may get (besides 400). */
  statuses?: number[];
  /** Bad bodies only this endpoint knows, with the statuses they must get. */
  special?: (w: World, caller: Account | undefined) => fc.Arbitrary<BodyCase>;
}

interface Spec {
  auth: Auth;
  body?: BodySpec;
  /** The valid :id for routes that take one. */
  id?: (w: World) => string;
  /** An :id that is well-formed and known but still refused (a coördinator deactivating themselves). */
  refusedId?: (w: World) => string;
  /** Bad query strings (starting with ?) for routes that read their query. */
  query?: fc.Arbitrary<string>;
  /** Audit actions a refused request is meant to leave behind (a failed login is logged on purpose). */
  audits?: string[];
  /** Tables a refused request changes on purpose (a failed login counts against the login limits). */
  tables?: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every route of the app, keyed "METHOD path" as Hono lists it. A route missing here fails the coverage test:
 * add it with how it authenticates and what body/id it takes, so the fuzzer can make every input to it wrong.
 */
const ENDPOINTS: Record<string, Spec> = {
  'POST /api/auth/login': {
    auth: 'public',
    body: {
      make: (w) => ({ username: w.login.username, password: w.login.password, sessionKey: true }),
      valid: (b, w) => isObj(b) && b.username === w.login.username && b.password === w.login.password && (b.sessionKey === undefined || b.sessionKey === true),
      statuses: [401, 429],
    },
    audits: ['login.failed'],
    tables: ['login_limits'],
  },
  'POST /api/auth/logout': { auth: 'public' },
  'GET /api/auth/me': { auth: 'user' },
  'POST /api/auth/password': {
    auth: 'user',
    body: {
      make: (_w, caller) => ({ old: caller?.password ?? 'geen-wachtwoord', new: 'een-heel-nieuw-wachtwoord' }),
      valid: (b, _w, caller) =>
        isObj(b) && b.old === caller?.password && typeof b.new === 'string' && b.new.length >= 10 && b.new.length <= 200 && b.new !== b.old,
    },
  },
  'GET /api/users': { auth: 'coordinator' },
  'POST /api/users': {
    auth: 'coordinator',
    body: {
      make: () => ({ username: 'nieuwe-begeleider', role: 'begeleider', groups: ['g1'] }),
      valid: (b) =>
        isObj(b) &&
        typeof b.username === 'string' &&
        USERNAME_RE.test(b.username.trim().toLowerCase()) &&
        ROLES.includes(b.role as Role) &&
        (b.groups === undefined || isGroupList(b.groups)),
      statuses: [409],
    },
  },
  'PUT /api/users/:id/groups': {
    auth: 'coordinator',
    id: (w) => w.beg.id,
    body: { make: (w) => ({ groups: [w.gA, 'g2'] }), valid: (b) => isObj(b) && isGroupList(b.groups) },
  },
  'POST /api/users/:id/reset': { auth: 'coordinator', id: (w) => w.beg.id },
  'POST /api/users/:id/deactivate': { auth: 'coordinator', id: (w) => w.beg.id, refusedId: (w) => w.coord.id },
  'POST /api/users/:id/signout': { auth: 'coordinator', id: (w) => w.beg.id },
  'POST /api/sync': {
    auth: 'user',
    body: {
      make: (w) => ({ deviceId: 'fuzz-dev', cursor: '0', changes: [change(1, 'participants', 'fuzz-p', w.gA, { name: 'Fuzz' })] }),
      valid: (b) => SyncRequestSchema.safeParse(b).success,
      special: (w, caller) =>
        fc.oneof(
          // A coördinator may import a backup under its device; a begeleider may not, and nobody may use another account's device.
          fc.constantFrom(...(caller?.id === w.coord.id ? [w.ownedDevice] : [w.ownedDevice, `backup:${w.ownedDevice}`])).map((deviceId) => ({
            what: `device id ${deviceId} of another account`,
            raw: JSON.stringify({ deviceId, cursor: '0', changes: [change(1, 'participants', 'fuzz-p', w.gA, { name: 'Fuzz' })] }),
            status: [403],
          })),
          fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1000 })).map(([a, drop]) => ({
            what: 'mids not rising',
            raw: JSON.stringify({ deviceId: 'fuzz-dev', cursor: '0', changes: [change(a + drop, 'participants', 'fuzz-p', w.gA, { name: 'A' }), change(a, 'participants', 'fuzz-q', w.gA, { name: 'B' })] }),
            status: [400],
          })),
        ),
    },
  },
  'POST /api/participants/:id/erase': { auth: 'coordinator', id: (w) => w.participant },
  'GET /api/participants/:id/export': { auth: 'coordinator', id: (w) => w.participant },
  'GET /api/audit': {
    auth: 'coordinator',
    query: fc
      .dictionary(
        // Hono skips parameters without a name, so they do not make a query bad.
        fc.oneof(fc.constantFrom('before', 'limit'), fc.string({ minLength: 1, maxLength: 10 })),
        fc.oneof(fc.constantFrom('0', '-1', '1.5', '1e3', '0x10', ' 1', '', '201', '9'.repeat(16), '٣', 'x'.repeat(5000)), fc.string({ maxLength: 12 })),
        { minKeys: 1, maxKeys: 3 },
      )
      .filter((q) => !AuditQuerySchema.safeParse(q).success)
      .map((q) => `?${new URLSearchParams(q).toString()}`),
  },
  'GET /api/report': {
    auth: 'coordinator',
    query: fc
      .dictionary(
        fc.oneof(fc.constantFrom('from', 'to', 'wijk', 'locationId', 'groupId'), fc.string({ minLength: 1, maxLength: 10 })),
        fc.oneof(
          fc.constantFrom('2026-01-01', '2026-12-31', '2026-02-30', '1999-12-31', '2101-01-01', '26-1-1', '2026-1-1', '', 'a b', 'x'.repeat(300), '٢٠٢٦-٠١-٠١'),
          fc.string({ maxLength: 12 }),
        ),
        { minKeys: 1, maxKeys: 5 },
      )
      .filter((q) => !parseReportQuery(q).success)
      .map((q) => `?${new URLSearchParams(q).toString()}`),
  },
  /** The catch-all: unknown addresses under /api are fuzzed with generated paths. */
  'ALL /api/*': { auth: 'public' },
};


const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const ANY_4XX = 'any 4xx';

/** Patterns of the real endpoints, to keep generated "unknown" paths from hitting one. */
function routeMatchers(keys: string[]): RegExp[] {
  return keys
    .filter((k) => !k.startsWith('ALL '))
    .map((k) => new RegExp(`^${k.split(' ')[1].replace(/:[a-z]+/g, '[^/]+')}$`));
}

// ---- generators ----

/** Header values must be Latin-1 without control characters. */
const latin1 = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength });

const wrongValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** Every key path inside a JSON value (objects and arrays), for "break this one field". */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...prefix, i], ...paths(x, [...prefix, i])));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...paths(x, [...prefix, k]));
  return out;
}

function setAt(v: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove && Array.isArray(at)) at.splice(last as number, 1);
  else if (remove) delete at[last];
  else at[last] = value;
  return copy;
}

const parses = (s: string) => {
  try {
    return { ok: true as const, v: JSON.parse(s) as unknown };
  } catch {
    return { ok: false as const };
  }
};

interface BodyCase {
  what: string;
  raw: string | Uint8Array;
  /** The statuses this body must get, when not the endpoint's usual ones. */
  status?: number[];
}

const TOO_BIG = `{"x":"${'a'.repeat(BODY_LIMIT + 10)}"}`;
const PLACEHOLDER = '__fuzz_nested__';

/** Bad bodies for an endpoint, each checked against its validity rule so none is accidentally accepted. */
function badBodies(spec: BodySpec, w: World, caller: Account | undefined): fc.Arbitrary<BodyCase> {
  const base = spec.make(w, caller);
  const valid = (b: unknown) => spec.valid(b, w, caller) && !hasProtoKey(b);
  const text = JSON.stringify(base);
  const fields = paths(base);
  const invalidText = (s: string) => {
    const p = parses(s);
    return !p.ok || !valid(p.v);
  };
  return fc.oneof(
    fc.string({ maxLength: 200, unit: 'binary' }).filter(invalidText).map((raw) => ({ what: 'not JSON', raw })),
    fc
      .uint8Array({ maxLength: 300 })
      .filter((b) => invalidText(new TextDecoder().decode(b)))
      .map((raw) => ({ what: 'random bytes', raw })),
    fc.integer({ min: 0, max: text.length - 1 }).map((k) => ({ what: 'truncated JSON', raw: text.slice(0, k) })),
    fc
      .jsonValue({ maxDepth: 4 })
      .filter((v) => !valid(v))
      .map((v) => ({ what: 'arbitrary JSON', raw: JSON.stringify(v) ?? 'null' })),
    fc
      .tuple(fc.constantFrom(...fields), wrongValue, fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }))
      .map(([p, v, extra]) => ({ p, body: setAt({ ...extra, ...base }, p, v) }))
      .filter(({ body }) => !valid(body))
      .map(({ p, body }) => ({ what: `wrong type at ${p.join('.')} (+ unknown keys)`, raw: JSON.stringify(body) })),
    fc
      .constantFrom(...fields)
      .map((p) => ({ p, body: setAt(base, p, undefined, true) }))
      .filter(({ body }) => !valid(body))
      .map(({ p, body }) => ({ what: `missing ${p.join('.')}`, raw: JSON.stringify(body) })),
    fc
      .tuple(fc.constantFrom(...fields), fc.integer({ min: 1_000, max: 1_500_000 }), fc.constantFrom('x', 'é', '😀', '\u0000', '"', '\\'))
      .map(([p, n, ch]) => ({ p, n, body: setAt(base, p, ch.repeat(Math.ceil(n / ch.length))) }))
      .filter(({ body }) => !valid(body))
      .map(({ p, n, body }) => ({ what: `huge string (${n}) at ${p.join('.')}`, raw: JSON.stringify(body) })),
    fc
      .tuple(fc.constantFrom(...fields), fc.integer({ min: 100, max: 20_000 }), fc.boolean())
      .filter(([p, , arrays]) => !valid(setAt(base, p, arrays ? [[]] : { a: { a: 1 } })))
      .map(([p, depth, arrays]) => {
        const nested = arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
        return { what: `nesting ${depth} deep at ${p.join('.')}`, raw: JSON.stringify(setAt(base, p, PLACEHOLDER)).replace(`"${PLACEHOLDER}"`, nested) };
      }),
    fc
      .constantFrom(...fields.filter((p) => p.length === 1))
      .filter((p) => !valid(setAt(base, p, undefined, true)))
      .map((p) => {
        const rest = JSON.stringify(setAt(base, p, undefined, true)).slice(1);
        return { what: `prototype keys without ${p.join('.')}`, raw: `{"__proto__":{"role":"coordinator","${String(p[0])}":"x"},"constructor":{"prototype":{"x":1}},${rest}` };
      }),
    fc.constant({ what: 'over 2 MB', raw: TOO_BIG }),
    fc
      .tuple(fc.integer({ min: 0, max: text.length }), fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]))
      .map(([at, bad]) => {
        const bytes = Buffer.from(text);
        return { what: `invalid UTF-8 ${bad.map((b) => b.toString(16)).join(' ')} at byte ${at}`, raw: new Uint8Array(Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)])) };
      }),
    fc
      .tuple(fc.constantFrom(...objectPaths(base)), fc.constantFrom('"__proto__"', '"\\u005f_proto__"'), fc.jsonValue({ maxDepth: 2 }))
      .map(([p, k, v]) => {
        const marked = JSON.stringify(setAt(base, [...p, PLACEHOLDER], 1)).replace(`"${PLACEHOLDER}":1`, `${k}:${JSON.stringify(v) ?? 'null'}`);
        return { what: `__proto__ key at ${p.join('.') || 'top'}`, raw: marked };
      }),
  );
}

/** Paths of every object (not array) inside a JSON value, the value itself included. */
function objectPaths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = isObj(v) ? [prefix] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...objectPaths(x, [...prefix, i])));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) out.push(...objectPaths(x, [...prefix, k]));
  return out;
}

/** JSON.parse keeps a `__proto__` key as an own property, which zod and object spreads then drop without a word. */
function hasProtoKey(v: unknown): boolean {
  const stack = [v];
  while (stack.length) {
    const x = stack.pop();
    if (typeof x !== 'object' || x === null) continue;
    if (!Array.isArray(x) && Object.prototype.hasOwnProperty.call(x, '__proto__')) return true;
    stack.push(...Object.values(x));
  }
  return false;
}

/** Ids that are not a valid, known id for the route. `reroute` ones change which route matches at all. */
function badIds(spec: Spec, w: World): fc.Arbitrary<{ what: string; segment: string; reroute?: boolean; status: number[] }> {
  const notFound = [400, 404];
  const cases = [
    fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/).map((s) => ({ what: 'unknown id', segment: `zz${s}`, status: notFound })),
    fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).map((s) => ({ what: 'unicode id', segment: encodeURIComponent(s), status: notFound })),
    fc.constantFrom('x', 'é', '😀', '%').map((ch) => ({ what: '10k-character id', segment: encodeURIComponent(ch.repeat(10_000)), status: notFound })),
    fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.stringMatching(/^[a-z0-9]{1,8}$/)).map(([a, b]) => ({ what: 'id with an encoded slash', segment: encodeURIComponent(`${a}/${b}`), status: notFound })),
    fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.stringMatching(/^[a-z0-9]{1,8}$/)).map(([a, b]) => ({ what: 'id with a slash', segment: `${a}/${b}`, reroute: true, status: [] })),
    fc.constantFrom("x' OR '1'='1", '%E0%A4%A', '%zz', '%00', ' ', '..').map((s) => ({ what: `id ${JSON.stringify(s)}`, segment: s === ' ' || s.startsWith("x'") ? encodeURIComponent(s) : s, reroute: s === '..', status: notFound })),
  ];
  // A dot segment is resolved away by the URL parser, so the request reaches another route.
  const routed = cases.map((a) => a.map((c) => (c.segment === '.' || c.segment === '..' ? { ...c, reroute: true } : c)));
  if (spec.refusedId) routed.push(fc.constant({ what: 'own id', segment: spec.refusedId(w), status: [400] }));
  return fc.oneof(...routed);
}

const IDENTITIES: Identity[] = [
  'anonymous',
  'garbage cookie',
  'garbage cookie header',
  'expired session',
  'deactivated user',
  'deleted user',
  'wrong cookie name',
  'bound cookie without key',
  'begeleider',
  'coordinator',
];

function identityFault(auth: Auth, who: Identity): number[] | null {
  if (auth === 'public' || who === 'coordinator') return null;
  if (who === 'begeleider') return auth === 'coordinator' ? [403] : null;
  return [401];
}

// ---- the run ----

interface Counts {
  inputs: number;
  endpoints: Set<string>;
  perDialect: Record<string, number>;
  seconds: Record<string, number>;
}
const counts: Counts = { inputs: 0, endpoints: new Set(), perDialect: {}, seconds: {} };

const ENGLISH = /\b(invalid|expected|received|error|failed|unexpected|cannot|not found|required|internal|payload|too large)\b/i;
const STACK = /\n\s+at |\bat \S+ \(|\/work\/|node_modules|\.[cm]?[jt]s:\d+|\b(TypeError|RangeError|SyntaxError|Error):/;

for (const kind of DIALECTS) {
  const test = suite(`endpoint fuzzing (${kind})`);
  let h: Harness;
  let w: World;
  const logs: unknown[][] = [];
  let app: ReturnType<typeof createApp>;
  let tables: string[];
  /** The same API with the built PWA served from a temporary dist/ folder that has a secret file beside it. */
  let staticApp: ReturnType<typeof createApp>;
  let site: string;
  const SECRET = 'GEHEIM-buiten-dist';

  async function account(role: Role, groups: string[]): Promise<Account> {
    const { user, password } = await createUser(h.store, { username: uniq(role.slice(0, 5)), role, groups }, T0);
    await ownPassword(h.store, user.id);
    const res = await app.fetch(
      new Request('http://localhost/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lk': '1' },
        body: JSON.stringify({ username: user.username, password }),
      }),
    );
    assert.is(res.status, 200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    return { id: user.id, username: user.username, password, cookie };
  }

  test.before(async () => {
    // uvu drops errors thrown in hooks silently; say what broke.
    try {
      h = await harness(kind);
      // A fresh app over the same store: its own log, and X-Forwarded-For parsing switched on so that is fuzzed too.
      // The sync rate limit is off so bad bodies reach the parser instead of a 429.
      app = createApp({ store: h.store, now: () => h.clock.now, log: (...a) => logs.push(a), trustProxy: true, syncBudget: null });
      const gA = uniq('g');
      const coord = await account('coordinator', []);
      const beg = await account('begeleider', [gA]);
      const login = await account('begeleider', [gA]);
      const participant = `${gA}-p`;
      const gB = uniq('g');
      const foreign = `${gB}-p`;
      const ownedDevice = uniq('owned');
      const seed = async (cookie: string, deviceId: string, changes: unknown[]) => {
        const res = await app.fetch(
          new Request('http://localhost/api/sync', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-lk': '1', cookie },
            body: JSON.stringify({ deviceId, cursor: '0', changes }),
          }),
        );
        assert.is(res.status, 200);
        assert.equal(((await res.json()) as { rejected: unknown[] }).rejected, []);
      };
      await seed(coord.cookie, 'seed', [
        change(1, 'participants', participant, gA, { name: 'Ans' }),
        change(2, 'rounds', roundId(gA, '2026-03-01'), gA, { date: '2026-03-01', status: 'bezig' }),
        change(3, 'participants', foreign, gB, { name: 'Bep' }),
      ]);
      await seed(login.cookie, ownedDevice, [change(1, 'notes', uniq('n'), gA, { roundId: roundId(gA, '2026-03-01'), step: null, text: 'Van een ander', author: 'L', createdAt: T0 })]);
      const expired = await account('begeleider', [gA]);
      const deactivated = await account('begeleider', [gA]);
      // Deactivated while a session lingers (e.g. the row written by a race): the cookie must not work.
      await h.store.db.updateTable('users').set({ active: 0 }).where('id', '=', deactivated.id).execute();
      const ghost = await createSession(h.store, 'u-bestaat-niet', T0);
      const bound = await createSession(h.store, coord.id, T0, true);
      w = {
        gA,
        participant,
        foreign,
        ownedDevice,
        coord,
        beg,
        login,
        expired: expired.cookie,
        deactivated: deactivated.cookie,
        ghost: `${SESSION_COOKIE}=${ghost.token}`,
        bound: `${SESSION_COOKIE}=${bound.token}`,
      };
      await expireSession();
      site = mkdtempSync(join(tmpdir(), 'lk-fuzz-site-'));
      mkdirSync(join(site, 'dist', 'assets'), { recursive: true });
      writeFileSync(join(site, 'dist', 'index.html'), '<!doctype html><title>Luisterkring</title>');
      writeFileSync(join(site, 'dist', 'assets', 'index-B4x9_kQz.js'), 'console.log(1)');
      writeFileSync(join(site, 'geheim.txt'), SECRET);
      staticApp = createApp({ store: h.store, now: () => h.clock.now, log: (...a) => logs.push(a), staticDir: join(site, 'dist') });
      tables = await tableNames(h.store);
    } catch (e) {
      console.error(`setup (${kind}) failed:`, e);
      throw e;
    }
  });
  test.after(async () => {
    await h.close();
    rmSync(site, { recursive: true, force: true });
  });

  /** Puts the expired session back (a request with it deletes it, which is housekeeping, not a change). */
  async function expireSession() {
    const tokenHash = hashToken(decodeURIComponent(w.expired.split('=')[1]));
    const old = T0 - SESSION_IDLE_MS - 1000;
    await h.store.db
      .insertInto('sessions')
      .values({ token_hash: tokenHash, user_id: w.login.id, created_at: old, last_seen: old })
      .onConflict((oc) => oc.column('token_hash').doUpdateSet({ last_seen: old }))
      .execute();
  }

  /** Everything stored, table by table (live sessions only), as one comparable string. */
  async function snapshot(ignoreAudit: string[] = [], ignoreTables: string[] = []): Promise<string> {
    const out: string[] = [];
    for (const t of tables.filter((t) => !ignoreTables.includes(t))) {
      let rows = (await h.store.db.selectFrom(t as 'records').selectAll().execute()) as Record<string, unknown>[];
      if (t === 'sessions') rows = rows.filter((r) => Number(r.last_seen) >= h.clock.now - SESSION_IDLE_MS);
      if (t === 'audit') rows = rows.filter((r) => !ignoreAudit.includes(String(r.action)));
      out.push(`${t}: ${rows.map((r) => JSON.stringify(r)).sort().join('\n')}`);
    }
    return out.join('\n');
  }

  function cookieFor(who: Identity, garbage: string): string | undefined {
    switch (who) {
      case 'anonymous':
        return undefined;
      case 'garbage cookie':
        return `${SESSION_COOKIE}=${garbage}`;
      case 'garbage cookie header':
        return garbage;
      case 'expired session':
        return w.expired;
      case 'deactivated user':
        return w.deactivated;
      case 'deleted user':
        return w.ghost;
      case 'wrong cookie name':
        return w.coord.cookie.replace(SESSION_COOKIE, 'lk_sessie');
      case 'bound cookie without key':
        return w.bound;
      case 'begeleider':
        return w.beg.cookie;
      case 'coordinator':
        return w.coord.cookie;
    }
  }

  const callerOf = (who: Identity) => (who === 'coordinator' ? w.coord : who === 'begeleider' ? w.beg : undefined);

  /** Noise that must not matter: content types, query strings, forwarding headers. */
  const noise = fc.record({
    contentType: fc.option(fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1'), latin1(40)), { nil: undefined }),
    query: fc.option(fc.oneof(fc.string({ maxLength: 50 }).map((s) => `?${encodeURIComponent(s)}=${encodeURIComponent(s)}`), fc.constant(`?q=${'x'.repeat(20_000)}`)), { nil: '' }),
    forwarded: fc.option(latin1(60), { nil: undefined }),
    ignoredBody: fc.option(fc.string({ maxLength: 100 }), { nil: undefined }),
  });

  interface Case {
    method: string;
    path: string;
    who: Identity;
    headers: Record<string, string>;
    body: string | Uint8Array | undefined;
    what: string[];
    expect: number[] | typeof ANY_4XX;
    [fc.toStringMethod]: () => string;
  }

  /** One generated request to `key` with at least one fault, and the statuses it may get. */
  function cases(key: string, spec: Spec, allKeys: string[]): fc.Arbitrary<Case> {
    const [method, template] = key.split(' ');
    const sameTemplate = allKeys.filter((k) => k.split(' ')[1] === template).map((k) => k.split(' ')[0]);
    const wrongMethods = METHODS.filter((m) => !sameTemplate.includes(m));
    const matchers = routeMatchers(allKeys);
    const catchAll = key === 'ALL /api/*';
    const faults: string[] = catchAll ? ['path'] : ['method'];
    if (method !== 'GET' && !catchAll) faults.push('xlk');
    if (spec.auth !== 'public') faults.push('identity');
    if (spec.id) faults.push('param');
    if (spec.query) faults.push('query');
    if (spec.body) faults.push('body');

    const unknownPath = fc
      .array(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== '.' && s !== '..'), { minLength: 1, maxLength: 4 })
      .map((segs) => `/api/${segs.map(encodeURIComponent).join('/')}`)
      .filter((p) => !matchers.some((m) => m.test(p)));

    // Arbitraries are built once per route and caller: building them (regex parsing) costs more than a request.
    let idArb: ReturnType<typeof badIds> | undefined;
    const bodyArbs = new Map<string, fc.Arbitrary<BodyCase>>();
    const bodiesFor = (b: BodySpec, caller: Account | undefined) => {
      const k = caller?.id ?? '';
      if (!bodyArbs.has(k)) bodyArbs.set(k, b.special ? fc.oneof({ arbitrary: badBodies(b, w, caller), weight: 6 }, { arbitrary: b.special(w, caller), weight: 1 }) : badBodies(b, w, caller));
      return bodyArbs.get(k)!;
    };

    return fc
      .record({
        active: fc.subarray(faults, { minLength: 1 }),
        who: fc.constantFrom(...IDENTITIES),
        garbage: latin1(200),
        xlk: fc.constantFrom<string | undefined>(undefined, '', '0', '2', 'true', 'ja', '11', '1,1'),
        wrongMethod: fc.constantFrom(...(wrongMethods.length ? wrongMethods : METHODS)),
        anyMethod: fc.constantFrom(...METHODS),
        unknownPath,
        noise,
        seed: fc.integer(),
      })
      .chain((r) => {
        // Without an identity fault the caller is one the endpoint accepts.
        const who: Identity = r.active.includes('identity')
          ? r.who
          : spec.auth === 'coordinator'
            ? 'coordinator'
            : spec.auth === 'user' && identityFault(spec.auth, r.who)
              ? r.who === 'anonymous'
                ? 'begeleider'
                : 'coordinator'
              : r.who;
        if (r.active.includes('identity') && !identityFault(spec.auth, who)) return fc.constant(null);
        const caller = callerOf(who);
        const id = spec.id && r.active.includes('param') ? (idArb ??= badIds(spec, w)) : fc.constant(undefined);
        const body = spec.body && r.active.includes('body') ? bodiesFor(spec.body, caller) : fc.constant(undefined);
        const query = spec.query && r.active.includes('query') ? spec.query : fc.constant(undefined);
        return fc.tuple(id, body, query).map(([badId, badBody, badQuery]) => {
          const what: string[] = [`as ${who}`];
          const m = catchAll ? r.anyMethod : r.active.includes('method') ? r.wrongMethod : method;
          let path = catchAll ? r.unknownPath : template;
          if (spec.id) path = path.replace(':id', badId?.segment ?? encodeURIComponent(spec.id(w)));
          if (badId) what.push(badId.what);
          const headers: Record<string, string> = {};
          if (!r.active.includes('xlk')) headers['x-lk'] = '1';
          else if (r.xlk !== undefined) headers['x-lk'] = r.xlk;
          const cookie = cookieFor(who, r.garbage);
          if (cookie !== undefined) headers.cookie = cookie;
          if (r.noise.contentType !== undefined) headers['content-type'] = r.noise.contentType;
          if (r.noise.forwarded !== undefined) headers['x-forwarded-for'] = r.noise.forwarded;
          let raw: string | Uint8Array | undefined;
          if (badBody) {
            raw = badBody.raw;
            what.push(badBody.what);
          } else if (spec.body) raw = JSON.stringify(spec.body.make(w, caller));
          else raw = r.noise.ignoredBody;
          if (m === 'GET' || m === 'HEAD') raw = undefined;

          const size = raw === undefined ? 0 : typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
          // The first fault the server meets decides the status: route, x-lk, body size, identity, id, body.
          let expect: number[] | typeof ANY_4XX;
          if (catchAll || r.active.includes('method') || badId?.reroute) {
            expect = ANY_4XX;
            what.push(catchAll ? 'unknown address' : badId?.reroute ? 'id that changes the route' : `wrong method ${m}`);
          } else if (r.active.includes('xlk')) {
            expect = [403];
            what.push(`x-lk ${JSON.stringify(r.xlk)}`);
          } else if (size > BODY_LIMIT) expect = [413];
          else if (r.active.includes('identity')) expect = identityFault(spec.auth, who)!;
          else if (badId) expect = badId.status;
          else if (badQuery) expect = [400];
          else expect = badBody?.status ?? [400, ...(spec.body?.statuses ?? [])];
          if (badQuery) what.push(`query ${badQuery.slice(0, 60)}`);
          // A route that reads its query gets only the generated bad ones.
          const full = path + (badQuery ?? (spec.query ? '' : r.noise.query));
          // fast-check prints counterexamples: a megabyte of body would drown the report.
          return { method: m, path: full, who, headers, body: raw, what, expect, [fc.toStringMethod]: () => `${m} ${full.slice(0, 200)} [${what.join('; ')}]` };
        });
      })
      .filter((c): c is Case => c !== null);
  }

  test('every route is in the fuzz table', () => {
    const keys = routeKeys(staticApp);
    const missing = keys.filter((k) => !(k in ENDPOINTS) && !MIDDLEWARE_ROUTES.has(k) && !STATIC_ROUTES.has(k));
    assert.equal(missing, [], `Route(s) ${missing.join(', ')} are not fuzzed: add them to ENDPOINTS in test/unit/server/fuzz.test.ts (or to MIDDLEWARE_ROUTES in harness.ts)`);
    const gone = Object.keys(ENDPOINTS).filter((k) => !keys.includes(k));
    assert.equal(gone, [], `ENDPOINTS lists routes the app no longer has: ${gone.join(', ')}`);
  });

  test(`${RUNS[kind]} bad requests per endpoint: only 4xx with a Dutch reason, no stack trace, nothing stored changes`, async () => {
    const keys = routeKeys(app).filter((k) => k in ENDPOINTS);
    let n = 0;
    const started = performance.now();
    for (const key of keys) {
      const ignoreAudit = ENDPOINTS[key].audits ?? [];
      const before = await snapshot(ignoreAudit, ENDPOINTS[key].tables);
      await fc.assert(
        fc.asyncProperty(cases(key, ENDPOINTS[key], keys), async (c) => {
          n++;
          if (c.who === 'expired session') await expireSession();
          const logged = logs.length;
          const res = await app.fetch(new Request(`http://localhost${c.path}`, { method: c.method, headers: c.headers, body: c.body as BodyInit | undefined }));
          const text = await res.text();
          const where = `${key} → ${c.method} ${c.path.slice(0, 120)} [${c.what.join('; ')}] gave ${res.status} ${text.slice(0, 200)}`;
          assert.ok(res.status >= 400 && res.status < 500, where);
          if (c.expect !== ANY_4XX) assert.ok(c.expect.includes(res.status), `expected ${c.expect.join('/')}: ${where}`);
          assert.match(res.headers.get('content-type') ?? '', /application\/json/, where);
          const json = parses(text);
          assert.ok(json.ok && isObj(json.v) && typeof json.v.error === 'string' && json.v.error.length >= 5, `no error message: ${where}`);
          const error = (json as { v: { error: string } }).v.error;
          assert.not.match(error, ENGLISH, `not Dutch: ${where}`);
          assert.not.match(text, STACK, `stack trace or file path: ${where}`);
          assert.not.match(res.headers.get('set-cookie') ?? '', new RegExp(`${SESSION_COOKIE}=[^;]`), `a session was handed out: ${where}`);
          assert.is(logs.length, logged, `logged as a server error: ${where}`);
          const after = await snapshot(ignoreAudit, ENDPOINTS[key].tables);
          assert.ok(after === before, `stored data changed: ${where}`);
        }),
        { numRuns: RUNS[kind], includeErrorInReport: true, endOnFailure: true },
      );
      counts.endpoints.add(key);
    }
    counts.inputs += n;
    counts.perDialect[kind] = (counts.perDialect[kind] ?? 0) + n;
    counts.seconds[kind] = Math.round((performance.now() - started) / 1000);
  });

  test('the built app: generated paths (dot segments, encodings, NUL, unicode) never 5xx and never serve a file outside dist/', async () => {
    const files = ['index.html', 'assets/index-B4x9_kQz.js'].map((f) => readFileSync(join(site, 'dist', f), 'utf8'));
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E%2E', '.%2e', '..%2f', '..%5c', '..\\', '%2e%2e%2f', '%c0%ae%c0%ae', '%00', '%', '%zz', '~', 'geheim.txt', 'index.html', 'assets', 'dist', 'index-B4x9_kQz.js'),
      fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }).map(encodeURIComponent),
      fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }).map(encodeURIComponent),
      fc.constantFrom('x', 'é', '😀').map((ch) => encodeURIComponent(ch.repeat(5000))),
    );
    const path = fc
      .array(segment, { minLength: 1, maxLength: 6 })
      .map((segs) => `/${segs.join('/')}`)
      // Node's URL, as the server sees it (the test DOM replaces the global one).
      .filter((p) => !new NodeURL(p, 'http://localhost').pathname.startsWith('/api'));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(path, fc.constantFrom('GET', 'HEAD'), async (p, method) => {
        n++;
        const logged = logs.length;
        const res = await staticApp.fetch(new Request(`http://localhost${p}`, { method }));
        const body = await res.text();
        const where = `${method} ${p.slice(0, 200)} gave ${res.status} ${body.slice(0, 80)}`;
        assert.ok([200, 400, 404].includes(res.status), where);
        assert.not.match(body, SECRET, `served a file outside dist/: ${where}`);
        if (res.status === 200 && method === 'GET') assert.ok(files.includes(body), `served something that is not one of the app's files: ${where}`);
        if (res.status !== 200 && method === 'GET') assert.match(body, /^(Ongeldig adres|Niet gevonden)$/, where);
        if (method === 'HEAD') assert.is(body, '', where);
        assert.is(logs.length, logged, `logged as a server error: ${where}`);
      }),
      { numRuns: RUNS[kind], includeErrorInReport: true, endOnFailure: true },
    );
    counts.inputs += n;
    counts.perDialect[kind] = (counts.perDialect[kind] ?? 0) + n;
    counts.endpoints.add('GET /*');
    counts.endpoints.add('HEAD /*');
  });

  test('sync with a valid envelope but bad values, ids, references or deletes: 200, every change refused for good, no record changes', async () => {
    const recordsOnly = async () => {
      const rows = await h.store.db.selectFrom('records').selectAll().orderBy('tbl').orderBy('id').execute();
      const erased = await h.store.db.selectFrom('erased').selectAll().orderBy('tbl').orderBy('id').execute();
      const version = await h.store.db.selectFrom('counters').selectAll().execute();
      return JSON.stringify([rows, erased, version]);
    };
    const before = await recordsOnly();
    let n = 0;
    type BadValue = { table: Change['table']; values: Record<string, unknown>; id?: string; deleted?: boolean; begeleiderOnly?: boolean };
    const badValues: fc.Arbitrary<BadValue> = fc.oneof(
      fc.record({ table: fc.constant('participants' as const), values: fc.record({ name: wrongValue.filter((v) => typeof v !== 'string') }) }),
      fc.record({ table: fc.constant('evaluations' as const), values: fc.record({ atmosphere: fc.oneof(fc.integer({ min: 6 }), fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.string()) }) }),
      fc.record({ table: fc.constant('rounds' as const), values: fc.record({ date: fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)) }) }),
      fc.record({ table: fc.constant('participants' as const), values: fc.record({ name: fc.constant('x'.repeat(100_000)) }) }),
      fc.record({ table: fc.constant('notes' as const), values: fc.dictionary(fc.string({ maxLength: 10 }).filter((k) => k !== 'text' && k !== 'step' && k !== 'roundId' && k !== 'author' && k !== 'createdAt'), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 }) }),
      // Category keys every object inherits, as themes raised.
      fc.record({ table: fc.constant('rounds' as const), id: fc.constant(roundId(w.gA, '2026-03-01')), values: fc.constantFrom('constructor', 'prototype').map((k) => ({ themesRaised: { [k]: 1 } })) }),
      // Round ids of another group, or not made by roundId() at all.
      fc.record({
        table: fc.constant('rounds' as const),
        id: fc.oneof(fc.constant(roundId(uniq('g'), '2026-03-01')), fc.stringMatching(/^[a-z0-9]{1,12}$/).map((x) => `r.${x}`), fc.constant(`r.${w.gA}.2026-3-1`)),
        values: fc.constant({ date: '2026-03-01', status: 'bezig' }),
      }),
      // Attendance pointing outside its group, at nothing, or with an id that disagrees with its values.
      fc
        .constantFrom(
          { id: attendanceId(roundId(w.gA, '2026-03-01'), w.foreign), values: { present: true } },
          { id: attendanceId(roundId(w.gA, '2026-03-01'), uniq('niemand')), values: { present: true } },
          { id: attendanceId(roundId(w.gA, '2027-01-01'), w.participant), values: { present: true } },
          { id: attendanceId(roundId(w.gA, '2026-03-01'), w.participant), values: { participantId: w.foreign, present: true } },
          { id: `${attendanceId(roundId(w.gA, '2026-03-01'), w.participant)}|x`, values: { present: true } },
        )
        .map((x) => ({ table: 'attendance' as const, ...x })),
      // Deleting a participant or a round is a coördinator's.
      fc
        .constantFrom({ table: 'participants' as const, id: w.participant }, { table: 'rounds' as const, id: roundId(w.gA, '2026-03-01') })
        .map((x) => ({ ...x, values: {}, deleted: true, begeleiderOnly: true })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(badValues, { minLength: 1, maxLength: 5 }), fc.constantFrom('coordinator', 'begeleider'), async (bad: BadValue[], chosen) => {
        n++;
        const who = bad.some((b) => b.begeleiderOnly) ? 'begeleider' : chosen;
        const client = who === 'coordinator' ? w.coord : w.beg;
        const device = uniq('fuzzdev');
        const changes = bad.map((b, i) => change(i + 1, b.table, b.id ?? uniq('fz'), w.gA, b.values, { deleted: b.deleted }));
        const res = await app.fetch(
          new Request('http://localhost/api/sync', {
            method: 'POST',
            headers: { 'x-lk': '1', 'content-type': 'application/json', cookie: client.cookie },
            body: JSON.stringify({ deviceId: device, cursor: '0', changes }),
          }),
        );
        const where = `${who} ${JSON.stringify(bad).slice(0, 300)}`;
        assert.is(res.status, 200, where);
        const r = (await res.json()) as { rejected: { mid: number; permanent: boolean; reason: string }[]; ackedMid: number };
        assert.equal(r.rejected.map((x) => x.mid), changes.map((c) => c.mid), where);
        for (const x of r.rejected) {
          assert.ok(x.permanent, where);
          assert.not.match(x.reason, ENGLISH, `not Dutch: ${x.reason}`);
        }
        assert.is(r.ackedMid, changes.length, 'acknowledged, so the phone stops resending');
        assert.is(await recordsOnly(), before, where);
      }),
      { numRuns: Math.round(RUNS[kind] / 3), includeErrorInReport: true, endOnFailure: true },
    );
    counts.inputs += n;
    counts.perDialect[kind] = (counts.perDialect[kind] ?? 0) + n;
    counts.endpoints.add('POST /api/sync (values)');
  });

  test.run();
}

const summary = suite('endpoint fuzzing: counts');
summary('counts are printed for the issue', () => {
  const endpoints = [...counts.endpoints].filter((k) => k in ENDPOINTS || STATIC_ROUTES.has(k));
  assert.ok(counts.inputs > 0);
  console.log(
    `\n[fuzz] ${counts.inputs} generated inputs (${Object.entries(counts.perDialect).map(([k, v]) => `${k}: ${v} in ${counts.seconds[k]} s`).join(', ')}) over ${endpoints.length} endpoints: ${endpoints.join(', ')}`,
  );
});
summary.run();
