// The HTTP API as a function from Request to Response: auth, user management, sync, erasure and the built PWA.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getConnInfo } from '@hono/node-server/conninfo';
import { config as zodConfig } from 'zod/mini';
import { nl } from 'zod/locales';
import { ID_RE, SyncRequestSchema, type SyncRequest, type TableName } from '../shared/schema';
import { AUDIT_RETENTION_DAYS, AuditPruner, AuditQuerySchema, listAudit, recordAudit, type AuditDetail } from './audit';
import { clearSessionCookie, LoginLimiter, readSessionCookie, writeSessionCookie } from './auth';
import { exportParticipant } from './export';
import { securityHeaders } from './headers';
import { quotaFromEnv, SYNC_BUDGET, TokenBuckets, type BucketOptions, type Quota } from './limits';
import { DUMMY_HASH, MIN_PASSWORD, verifyPassword } from './passwords';
import { parseReportQuery, ServerReports } from './report';
import { serveStaticApp } from './static';
import type { Store } from './store';
import { DeviceTakenError, eraseParticipant, lastMid, NotFoundError, sync } from './sync';
import {
  changePassword,
  createSession,
  createUser,
  deactivate,
  deleteSession,
  findLogin,
  getUser,
  isGroupList,
  listUsers,
  pruneSessions,
  publicUser,
  resetPassword,
  ROLES,
  sessionUser,
  setGroups,
  USERNAME_RE,
  UserExistsError,
  type Role,
  type SessionInfo,
} from './users';

// zod's own messages ("Invalid input") reach people as sync refusals and 400 reasons: have them in Dutch.
zodConfig(nl());

export const BODY_LIMIT = 2 * 1024 * 1024;

export interface AppOptions {
  store: Store;
  now?: () => number;
  /** Folder of the built PWA (dist/); without it only /api is served. */
  staticDir?: string;
  log?: (...a: unknown[]) => void;
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For for rate limiting. */
  trustProxy?: boolean;
  /** Days the audit log keeps an entry (AUDIT_RETENTION_DAYS; 0 keeps everything). */
  auditRetentionDays?: number;
  /** The report's in-memory copy; main.ts makes it to warm it at start. One per app otherwise. */
  reports?: ServerReports;
  /** Sync requests per user; null switches the limit off (load benchmarks that play many phones as one user). */
  syncBudget?: BucketOptions | null;
  /** Rows and bytes per account per day; by default from SYNC_QUOTA_ROWS / SYNC_QUOTA_MB; null lifts it. */
  quota?: Quota | null;
}

type Env = { Variables: { session: SessionInfo } };

const NOT_LOGGED_IN = 'Niet ingelogd';
const MUST_CHANGE_PASSWORD = 'Kies eerst een eigen wachtwoord: met de eenmalige code kun je alleen dat doen';

function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = c.req.header('x-forwarded-for');
    if (fwd) return fwd.split(',')[0].trim();
  }
  try {
    return getConnInfo(c).remote.address ?? 'onbekend';
  } catch {
    // app.fetch without a socket (tests): every request comes from the same place.
    return 'lokaal';
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Whether a parsed body holds a `__proto__` key anywhere: JSON.parse keeps it as an own key, but zod and every
 * object spread drop it silently, so it would pass as if it were not there. Iterative: bodies may nest deeply. */
function hasProtoKey(v: unknown): boolean {
  const stack = [v];
  while (stack.length) {
    const x = stack.pop();
    if (typeof x !== 'object' || x === null) continue;
    if (!Array.isArray(x) && Object.prototype.hasOwnProperty.call(x, '__proto__')) return true;
    for (const y of Object.values(x)) stack.push(y);
  }
  return false;
}

/** The parsed JSON body, or a 400 response saying why not. The bytes must be valid UTF-8: a decoder that
 * replaced bad bytes would store U+FFFD where the phone meant something else. */
async function jsonBody(c: Context): Promise<{ ok: true; body: unknown } | { ok: false; res: Response }> {
  let text: string;
  try {
    text = UTF8.decode(await c.req.arrayBuffer());
  } catch {
    return { ok: false, res: c.json({ error: 'De inhoud van het verzoek is geen geldige UTF-8-tekst' }, 400) };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, res: c.json({ error: 'De inhoud van het verzoek is geen geldige JSON' }, 400) };
  }
  // Only a text that spells the key (or could, through an escape) is walked.
  if ((text.includes('__proto__') || text.includes('\\u')) && hasProtoKey(body)) {
    return { ok: false, res: c.json({ error: 'De sleutel __proto__ is niet toegestaan in een verzoek' }, 400) };
  }
  return { ok: true, body };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SERVER_ERROR = 'Er ging iets mis op de server; probeer het later opnieuw';
/** Tables only a coördinator writes: a sync that changes them is worth an audit entry. */
const ORG_AUDITED: readonly TableName[] = ['groups', 'locations', 'categories'];

/** Changes of a request the server took (new to this device and not refused), counted per table. */
function acceptedCounts(req: SyncRequest, before: number, rejectedMids: Set<number>): Partial<Record<TableName, number>> {
  const counts: Partial<Record<TableName, number>> = {};
  for (const ch of req.changes) {
    if (ch.mid <= before || rejectedMids.has(ch.mid)) continue;
    counts[ch.table] = (counts[ch.table] ?? 0) + 1;
  }
  return counts;
}

export function createApp(opts: AppOptions) {
  const { store } = opts;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? console.error;
  const limiter = new LoginLimiter();
  const auditPruner = new AuditPruner(opts.auditRetentionDays ?? AUDIT_RETENTION_DAYS);
  const syncBudget = opts.syncBudget === null ? null : new TokenBuckets(opts.syncBudget ?? SYNC_BUDGET);
  const quota = opts.quota === undefined ? quotaFromEnv(process.env) : opts.quota;
  const app = new Hono<Env>();

  // The log gets the stack; the client only ever gets this sentence.
  app.onError((err, c) => {
    log('Serverfout bij', c.req.method, new URL(c.req.url).pathname, err);
    return c.json({ error: SERVER_ERROR }, 500);
  });

  app.use('*', securityHeaders({ trustProxy: !!opts.trustProxy }));

  // Hono hands only Error objects to onError; anything else thrown would reach the socket layer as a bare 500.
  app.use('*', async (c, next) => {
    try {
      await next();
    } catch (err) {
      log('Serverfout bij', c.req.method, new URL(c.req.url).pathname, err);
      c.res = c.json({ error: SERVER_ERROR }, 500);
    }
  });

  app.use('/api/*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    const m = c.req.method;
    // A custom header cannot be sent cross-site without a CORS preflight we never grant: CSRF defence besides SameSite.
    if (m !== 'GET' && m !== 'HEAD' && c.req.header('x-lk') !== '1') {
      return c.json({ error: 'Verzoek geweigerd: de kop x-lk ontbreekt' }, 403);
    }
    await next();
  });

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: BODY_LIMIT,
      onError: (c) => c.json({ error: `Het verzoek is te groot (hoogstens ${BODY_LIMIT / 1024 / 1024} MB)` }, 413),
    }),
  );

  /** A session, and unless `allowOneTimeCode`, one whose password the person chose: a one-time code (new or reset
   * account) opens only /api/auth/me and the password change, so a code read over a shoulder gives no data. */
  const session =
    (allowOneTimeCode: boolean): MiddlewareHandler<Env> =>
    async (c, next) => {
      const token = readSessionCookie(c);
      const s = token ? await sessionUser(store, token, now()) : undefined;
      if (!s) return c.json({ error: NOT_LOGGED_IN }, 401);
      if (s.touched && token) writeSessionCookie(c, token);
      if (!allowOneTimeCode && s.user.mustChangePassword) return c.json({ error: MUST_CHANGE_PASSWORD, mustChangePassword: true }, 403);
      c.set('session', s);
      await next();
    };
  const requireUser = session(false);
  const requireSession = session(true);

  const requireCoordinator: MiddlewareHandler<Env> = async (c, next) => {
    if (c.get('session').user.role !== 'coordinator') return c.json({ error: 'Alleen een coördinator mag dit' }, 403);
    await next();
  };

  app.post('/api/auth/login', async (c) => {
    const b = await jsonBody(c);
    if (!b.ok) return b.res;
    const { username, password } = isObject(b.body) ? b.body : {};
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password || username.length > 100 || password.length > 200) {
      return c.json({ error: 'Vul gebruikersnaam en wachtwoord in' }, 400);
    }
    const t = now();
    const key = `${username.trim().toLowerCase()}\u0000${clientIp(c, !!opts.trustProxy)}`;
    const wait = limiter.retryAfter(key, t);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.json({ error: `Te veel mislukte pogingen. Probeer het over ${Math.ceil(wait / 60)} minuten opnieuw.` }, 429);
    }
    const found = await findLogin(store, username);
    const ok = await verifyPassword(password, found?.hash ?? DUMMY_HASH);
    if (!found || !ok || !found.user.active) {
      limiter.fail(key, t);
      // A password typed into the username field must not end up in the log: only real account names are kept.
      const detail: AuditDetail = found ? { username: found.user.username } : { known: false };
      if (found && ok) detail.inactive = true;
      // Blocked attempts are not logged one by one (a script could fill the log); the failure that starts the block is marked.
      if (limiter.retryAfter(key, t) > 0) detail.blocked = true;
      await recordAudit(store, { at: t, actor: null, action: 'login.failed', target: found?.user.id ?? null, detail });
      return c.json({ error: 'Gebruikersnaam of wachtwoord klopt niet' }, 401);
    }
    limiter.clear(key);
    await recordAudit(store, { at: t, actor: found.user, action: 'login', target: found.user.id });
    await pruneSessions(store, t);
    await auditPruner.maybePrune(store, t);
    writeSessionCookie(c, await createSession(store, found.user.id, t));
    return c.json({ user: publicUser(found.user) });
  });

  app.post('/api/auth/logout', async (c) => {
    const token = readSessionCookie(c);
    if (token) {
      const s = await sessionUser(store, token, now());
      if (s) {
        await deleteSession(store, s.tokenHash);
        await recordAudit(store, { at: now(), actor: s.user, action: 'logout', target: s.user.id });
      }
    }
    clearSessionCookie(c);
    return c.json({ ok: true });
  });

  app.get('/api/auth/me', requireSession, (c) => c.json({ user: publicUser(c.get('session').user) }));

  app.post('/api/auth/password', requireSession, async (c) => {
    const b = await jsonBody(c);
    if (!b.ok) return b.res;
    const { old, new: next } = isObject(b.body) ? b.body : {};
    if (typeof old !== 'string' || typeof next !== 'string') return c.json({ error: 'Vul het oude en het nieuwe wachtwoord in' }, 400);
    if (next.length < MIN_PASSWORD) return c.json({ error: `Het nieuwe wachtwoord moet minstens ${MIN_PASSWORD} tekens hebben` }, 400);
    if (next.length > 200) return c.json({ error: 'Het nieuwe wachtwoord mag hoogstens 200 tekens hebben' }, 400);
    if (next === old) return c.json({ error: 'Kies een ander wachtwoord dan het oude' }, 400);
    const s = c.get('session');
    const found = await findLogin(store, s.user.username);
    if (!found || !(await verifyPassword(old, found.hash))) return c.json({ error: 'Het oude wachtwoord klopt niet' }, 400);
    await changePassword(store, s.user.id, next, s.tokenHash);
    await recordAudit(store, { at: now(), actor: s.user, action: 'user.password', target: s.user.id });
    return c.json({ user: publicUser({ ...s.user, mustChangePassword: false }) });
  });

  app.use('/api/users', requireUser, requireCoordinator);
  app.use('/api/users/*', requireUser, requireCoordinator);

  app.get('/api/users', async (c) => {
    const users = await listUsers(store);
    return c.json({ users: users.map((u) => ({ ...publicUser(u), active: u.active })) });
  });

  app.post('/api/users', async (c) => {
    const b = await jsonBody(c);
    if (!b.ok) return b.res;
    const { username, role, groups } = isObject(b.body) ? b.body : {};
    if (typeof username !== 'string' || !USERNAME_RE.test(username.trim().toLowerCase())) {
      return c.json({ error: 'Gebruikersnaam: 2 tot 40 tekens, alleen letters, cijfers, punt, streepje of liggend streepje' }, 400);
    }
    if (!ROLES.includes(role as Role)) return c.json({ error: "Rol moet 'coordinator' of 'begeleider' zijn" }, 400);
    if (groups !== undefined && !isGroupList(groups)) return c.json({ error: 'Groepen moet een lijst van groeps-ids zijn' }, 400);
    try {
      const { user, password } = await createUser(store, { username, role: role as Role, groups }, now());
      await recordAudit(store, { at: now(), actor: c.get('session').user, action: 'user.create', target: user.id, detail: { role: user.role, groups: user.groups } });
      return c.json({ user: { ...publicUser(user), active: true }, password }, 201);
    } catch (e) {
      if (e instanceof UserExistsError) return c.json({ error: e.message }, 409);
      throw e;
    }
  });

  const target = async (c: Context<Env>) => {
    const id = c.req.param('id') ?? '';
    return ID_RE.test(id) ? getUser(store, id) : undefined;
  };

  app.put('/api/users/:id/groups', async (c) => {
    const user = await target(c);
    if (!user) return c.json({ error: 'Gebruiker niet gevonden' }, 404);
    const b = await jsonBody(c);
    if (!b.ok) return b.res;
    const groups = isObject(b.body) ? b.body.groups : undefined;
    if (!isGroupList(groups)) return c.json({ error: 'Groepen moet een lijst van groeps-ids zijn' }, 400);
    await setGroups(store, user.id, groups);
    await recordAudit(store, { at: now(), actor: c.get('session').user, action: 'user.groups', target: user.id, detail: { groups: [...new Set(groups)] } });
    return c.json({ user: { ...publicUser({ ...user, groups: [...new Set(groups)] }), active: user.active } });
  });

  app.post('/api/users/:id/reset', async (c) => {
    const user = await target(c);
    if (!user) return c.json({ error: 'Gebruiker niet gevonden' }, 404);
    const password = await resetPassword(store, user.id);
    await recordAudit(store, { at: now(), actor: c.get('session').user, action: 'user.reset', target: user.id });
    return c.json({ user: { ...publicUser({ ...user, mustChangePassword: true }), active: true }, password });
  });

  app.post('/api/users/:id/deactivate', async (c) => {
    const user = await target(c);
    if (!user) return c.json({ error: 'Gebruiker niet gevonden' }, 404);
    if (user.id === c.get('session').user.id) return c.json({ error: 'Je kunt je eigen account niet uitschakelen' }, 400);
    await deactivate(store, user.id);
    await recordAudit(store, { at: now(), actor: c.get('session').user, action: 'user.deactivate', target: user.id });
    return c.json({ user: { ...publicUser(user), active: false } });
  });

  app.post('/api/sync', requireUser, async (c) => {
    const wait = syncBudget ? syncBudget.take(c.get('session').user.id, now()) : 0;
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.json({ error: `Te veel synchronisatieverzoeken. Probeer het over ${wait} ${wait === 1 ? 'seconde' : 'seconden'} opnieuw.` }, 429);
    }
    const b = await jsonBody(c);
    if (!b.ok) return b.res;
    const parsed = SyncRequestSchema.safeParse(b.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      const first = issues[0];
      return c.json({ error: `Ongeldig sync-verzoek: ${first.path ? `${first.path}: ` : ''}${first.message}`, issues: issues.slice(0, 20) }, 400);
    }
    const { user } = c.get('session');
    const t = now();
    const coordinator = user.role === 'coordinator';
    const before = coordinator ? await lastMid(store.db, parsed.data.deviceId) : 0;
    let res;
    try {
      res = await sync(store, { id: user.id, username: user.username, role: user.role, groups: user.groups }, parsed.data, t, { quota });
    } catch (e) {
      // The phone takes a fresh device id on this answer (an old app keeps its changes and says the sync failed).
      if (e instanceof DeviceTakenError) return c.json({ error: e.message, deviceTaken: true }, 403);
      throw e;
    }
    if (coordinator) {
      const counts = acceptedCounts(parsed.data, before, new Set(res.rejected.map((r) => r.mid)));
      if (ORG_AUDITED.some((tbl) => counts[tbl])) {
        await recordAudit(store, { at: t, actor: user, action: 'sync.org', target: parsed.data.deviceId, detail: { counts, refused: res.rejected.length } });
      }
    }
    return c.json(res);
  });

  app.post('/api/participants/:id/erase', requireUser, requireCoordinator, async (c) => {
    const id = c.req.param('id');
    if (!ID_RE.test(id)) return c.json({ error: 'Ongeldige id' }, 400);
    try {
      const r = await eraseParticipant(store, id, now());
      await recordAudit(store, { at: now(), actor: c.get('session').user, action: 'participant.erase', target: id, detail: { attendance: r.attendance } });
      await store.scrub();
      return c.json({ ok: true, attendance: r.attendance });
    } catch (e) {
      if (e instanceof NotFoundError) return c.json({ error: e.message }, 404);
      throw e;
    }
  });

  app.get('/api/participants/:id/export', requireUser, requireCoordinator, async (c) => {
    const id = c.req.param('id');
    if (!ID_RE.test(id)) return c.json({ error: 'Ongeldige id' }, 400);
    const x = await exportParticipant(store, id, now());
    if (!x) return c.json({ error: 'Deelnemer niet gevonden (onbekend, verwijderd of gewist)' }, 404);
    await recordAudit(store, { at: now(), actor: c.get('session').user, action: 'participant.export', target: id, detail: { attendance: x.attendance.length, mentions: x.mentions.length } });
    return c.json(x);
  });

  app.get('/api/audit', requireUser, requireCoordinator, async (c) => {
    const parsed = AuditQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return c.json({ error: i.code === 'unrecognized_keys' ? 'Onbekende zoekparameter' : i.message }, 400);
    }
    const { before, limit } = parsed.data;
    return c.json(await listAudit(store, { before: before === undefined ? undefined : Number(before), limit: limit === undefined ? 50 : Number(limit) }));
  });

  const reports = opts.reports ?? new ServerReports(store);
  app.get('/api/report', requireUser, requireCoordinator, async (c) => {
    const parsed = parseReportQuery(c.req.query());
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      const path = i.path.map(String).join('.');
      return c.json({ error: i.code === 'unrecognized_keys' ? `Onbekende zoekparameter: ${i.keys.join(', ')}` : `${path ? `${path}: ` : ''}${i.message}` }, 400);
    }
    return c.json(await reports.report(parsed.data, now()));
  });

  app.all('/api/*', (c) => c.json({ error: 'Onbekend adres' }, 404));

  if (opts.staticDir) {
    const serve = serveStaticApp(opts.staticDir);
    app.on(['GET', 'HEAD'], '*', serve);
  }

  return app;
}
