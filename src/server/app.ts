// The HTTP API as a function from Request to Response: auth, user management, sync, erasure and the built PWA.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { config as zodConfig } from 'zod/mini';
import { nl } from 'zod/locales';
import { ID_RE, SyncRequestSchema, type SyncRequest, type TableName } from '../shared/schema';
import { AUDIT_RETENTION_DAYS, AuditPruner, AuditQuerySchema, listAudit, recordAudit, type AuditDetail } from './audit';
import {
  RULES,
  clearLimits,
  clearSessionCookie,
  clientIp,
  countFailure,
  KEY_HEADER,
  knownDeviceUser,
  pruneLimits,
  readSessionCookie,
  rememberDevice,
  retryAfter,
  secureCookie,
  writeSessionCookie,
  type LimitKey,
} from './auth';
import { exportParticipant } from './export';
import { securityHeaders } from './headers';
import { quotaFromEnv, SYNC_BUDGET, TokenBuckets, type BucketOptions, type Quota } from './limits';
import { DUMMY_HASH, hashPassword, MIN_PASSWORD, needsRehash, verifyPassword } from './passwords';
import { parseReportQuery, ServerReports } from './report';
import { serveStaticApp } from './static';
import { isStorageFull, type Store } from './store';
import { DeviceTakenError, eraseParticipant, lastMid, NotFoundError, sync } from './sync';
import {
  changePassword,
  createSession,
  createUser,
  deactivate,
  deleteSession,
  findLogin,
  hashToken,
  CODE_TTL_MS,
  getUser,
  isGroupList,
  normaliseUsername,
  rehash,
  listUsers,
  pruneSessions,
  publicUser,
  resetPassword,
  ROLES,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  sessionUser,
  setGroups,
  signOutEverywhere,
  spendCode,
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
  /** A session's absolute lifetime (SESSION_MAX_DAYS). */
  sessionMaxMs?: number;
  /** How long a one-time code stays usable (ONE_TIME_CODE_DAYS). */
  codeTtlMs?: number;
}

type Env = { Variables: { session: SessionInfo } };

const NOT_LOGGED_IN = 'Niet ingelogd';
const MUST_CHANGE_PASSWORD = 'Kies eerst een eigen wachtwoord: met de eenmalige code kun je alleen dat doen';

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
const STORAGE_FULL = 'De server kan nu niets opslaan (de schijf is vol of alleen-lezen); je wijzigingen blijven op de telefoon. Probeer het later opnieuw.';
const CODE_SPENT = 'Deze eenmalige code is verlopen of al gebruikt. Vraag de coördinator om een nieuwe.';
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
  const trustProxy = !!opts.trustProxy;
  const sessionPolicy = { maxMs: opts.sessionMaxMs ?? SESSION_MAX_MS };
  const codeTtlMs = opts.codeTtlMs ?? CODE_TTL_MS;
  const auditPruner = new AuditPruner(opts.auditRetentionDays ?? AUDIT_RETENTION_DAYS);
  const syncBudget = opts.syncBudget === null ? null : new TokenBuckets(opts.syncBudget ?? SYNC_BUDGET);
  const quota = opts.quota === undefined ? quotaFromEnv(process.env) : opts.quota;
  const app = new Hono<Env>();

  // The log gets the stack; the client only ever gets this sentence. A full or read-only disk is a 503 that says so:
  // nothing is cached about it, so the first request after space returns simply works.
  const failure = (err: unknown, c: Context) => {
    log('Serverfout bij', c.req.method, new URL(c.req.url).pathname, err);
    if (isStorageFull(err)) {
      c.header('Retry-After', '60');
      return c.json({ error: STORAGE_FULL }, 503);
    }
    return c.json({ error: SERVER_ERROR }, 500);
  };
  app.onError(failure);

  app.use('*', securityHeaders({ trustProxy: !!opts.trustProxy }));

  // Hono hands only Error objects to onError; anything else thrown would reach the socket layer as a bare 500.
  app.use('*', async (c, next) => {
    try {
      await next();
    } catch (err) {
      c.res = failure(err, c);
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
      const s = token ? await sessionUser(store, token, now(), c.req.header(KEY_HEADER), sessionPolicy) : undefined;
      if (!s) return c.json({ error: NOT_LOGGED_IN }, 401);
      if (s.touched && token) writeSessionCookie(c, token, Math.min(s.leftMs, SESSION_IDLE_MS), secureCookie(c, trustProxy));
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
    const { username, password, sessionKey } = isObject(b.body) ? b.body : {};
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password || username.length > 100 || password.length > 200) {
      return c.json({ error: 'Vul gebruikersnaam en wachtwoord in' }, 400);
    }
    if (sessionKey !== undefined && sessionKey !== true) return c.json({ error: 'sessionKey moet true zijn of ontbreken' }, 400);
    const t = now();
    const ip = clientIp(c, trustProxy);
    const name = normaliseUsername(username);
    const found = await findLogin(store, username);
    const device = await knownDeviceUser(store, c);
    const knownHere = !!found && device?.userId === found.user.id;
    // A phone the account logged in from before is counted on its own, so failures by strangers never reach it.
    const keys: LimitKey[] = knownHere
      ? [{ rule: 'device', key: `device|${device.tokenHash}` }]
      : [
          { rule: 'account', key: `account|${name}` },
          { rule: 'pair', key: `pair|${name}|${ip}` },
        ];
    const ipKey: LimitKey = { rule: 'ip', key: `ip|${ip}` };
    const wait = await retryAfter(store, [...keys, ipKey], t);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.json({ error: `Te veel mislukte pogingen. Probeer het over ${Math.ceil(wait / 60)} ${wait > 60 ? 'minuten' : 'minuut'} opnieuw.` }, 429);
    }
    const ok = await verifyPassword(password, found?.hash ?? DUMMY_HASH);
    const codeSpent = !!found && ok && found.user.active && found.user.mustChangePassword && !(await spendCode(store, found.user.id, t));
    if (!found || !ok || !found.user.active || codeSpent) {
      const blocked = await countFailure(store, [...keys, ipKey], t);
      if (found) {
        // A password typed into the username field must not end up in the log: only real account names are kept.
        const detail: AuditDetail = { username: found.user.username };
        if (ok && !found.user.active) detail.inactive = true;
        if (codeSpent) detail.codeSpent = true;
        // Blocked attempts are not logged one by one (a script could fill the log); the failure that starts the block is marked.
        if (blocked) detail.blocked = true;
        await recordAudit(store, { at: t, actor: null, action: 'login.failed', target: found.user.id, detail });
      } else {
        await auditUnknownName(ip, t);
      }
      return c.json({ error: codeSpent ? CODE_SPENT : 'Gebruikersnaam of wachtwoord klopt niet' }, 401);
    }
    await clearLimits(store, keys);
    if (needsRehash(found.hash)) await rehash(store, found.user.id, found.hash, await hashPassword(password));
    await recordAudit(store, { at: t, actor: found.user, action: 'login', target: found.user.id, detail: sessionKey ? { bound: true } : {} });
    await pruneSessions(store, t, sessionPolicy);
    await pruneLimits(store, t);
    await auditPruner.maybePrune(store, t);
    const session = await createSession(store, found.user.id, t, sessionKey === true);
    const secure = secureCookie(c, trustProxy);
    writeSessionCookie(c, session.token, Math.min(sessionPolicy.maxMs, SESSION_IDLE_MS), secure);
    if (!knownHere) await rememberDevice(store, c, found.user.id, t, secure);
    return c.json(session.key === null ? { user: publicUser(found.user) } : { user: publicUser(found.user), sessionKey: session.key });
  });

  /** Failed logins for names nobody has are one audit entry per address and window, with a count: a script trying
   * names cannot flood the log, and the log still shows that it happened and from where. */
  async function auditUnknownName(ip: string, t: number): Promise<void> {
    const key = `unknown|${ip}`;
    const row = await store.db.selectFrom('login_limits').select(['ref', 'count', 'last_at']).where('key', '=', key).executeTakeFirst();
    if (row?.ref && t - Number(row.last_at) < RULES.ip.resetMs) {
      const count = Number(row.count) + 1;
      await store.db.updateTable('login_limits').set({ count, last_at: t }).where('key', '=', key).execute();
      await store.db
        .updateTable('audit')
        .set({ detail: JSON.stringify({ known: false, ip, count, last: t }) })
        .where('id', '=', Number(row.ref))
        .execute();
      return;
    }
    const entry = await store.db
      .insertInto('audit')
      .values({ at: t, actor_id: null, actor_name: null, action: 'login.failed', target: null, detail: JSON.stringify({ known: false, ip, count: 1, last: t }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('login_limits')
      .values({ key, count: 1, last_at: t, blocked_until: 0, ref: String(entry.id) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ count: 1, last_at: t, ref: String(entry.id) }))
      .execute();
  }

  app.post('/api/auth/logout', async (c) => {
    // The cookie alone may end its session (it cannot read anything): a phone that logged out offline, and has
    // dropped its session key, says so here when it is online again.
    const token = readSessionCookie(c);
    if (token) {
      const s = await store.db.selectFrom('sessions').select(['token_hash', 'user_id']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
      const user = s && (await getUser(store, s.user_id));
      if (s) await deleteSession(store, s.token_hash);
      if (user) await recordAudit(store, { at: now(), actor: user, action: 'logout', target: user.id });
    }
    clearSessionCookie(c, secureCookie(c, trustProxy));
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
      const { user, password } = await createUser(store, { username, role: role as Role, groups }, now(), codeTtlMs);
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
    const password = await resetPassword(store, user.id, now(), codeTtlMs);
    await recordAudit(store, { at: now(), actor: c.get('session').user, action: 'user.reset', target: user.id });
    return c.json({ user: { ...publicUser({ ...user, mustChangePassword: true }), active: user.active }, password });
  });

  // A lost or handed-on phone: every session of the account ends, on every phone; the outboxes stay on the phones
  // and go out after the next login.
  app.post('/api/users/:id/signout', async (c) => {
    const user = await target(c);
    if (!user) return c.json({ error: 'Gebruiker niet gevonden' }, 404);
    const sessions = await signOutEverywhere(store, user.id);
    await recordAudit(store, { at: now(), actor: c.get('session').user, action: 'user.signout', target: user.id, detail: { sessions } });
    return c.json({ user: { ...publicUser(user), active: user.active }, sessions });
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
