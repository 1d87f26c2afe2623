// Starts the server: storage and migrations, the first coördinator account, the API and the built PWA.
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { ServerReports } from './report';
import { checkWritable, isStorageFull, NotWritableError, openStore } from './store';
import { CODE_TTL_MS, countUsers, createUser, listUsers, resetPassword, SESSION_MAX_MS, UserExistsError } from './users';
import { checkLocalDateRule } from '../shared/ids';

const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '0.0.0.0';
const DAY = 24 * 3600 * 1000;

/** A whole number of days from the environment, or the default; anything else stops the start with a reason. */
function days(name: string, fallbackMs: number, min: number): number {
  const v = process.env[name];
  if (v === undefined) return fallbackMs;
  if (!/^\d{1,5}$/.test(v) || Number(v) < min) {
    console.error(`${name} moet een geheel aantal dagen zijn (minstens ${min}), niet "${v}"`);
    process.exit(1);
  }
  return Number(v) * DAY;
}
const sessionMaxMs = days('SESSION_MAX_DAYS', SESSION_MAX_MS, 1);
const codeTtlMs = days('ONE_TIME_CODE_DAYS', CODE_TTL_MS, 1);

function stop(e: unknown): never {
  const storage = e instanceof NotWritableError || isStorageFull(e);
  console.error(
    storage && !(e instanceof NotWritableError)
      ? 'De database kan niet worden beschreven (schijf vol of alleen-lezen) / The database cannot be written (disk full or read-only):'
      : 'Luisterkring kan niet starten / cannot start:',
    e instanceof NotWritableError ? e.message : e,
  );
  process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL || undefined;
const dataDir = process.env.DATA_DIR ?? './data';
if (!databaseUrl) {
  try {
    checkWritable(dataDir);
  } catch (e) {
    stop(e);
  }
}
const store = openStore({ databaseUrl, dataDir });

try {
  await store.migrate();
  // A read-only database (a PostgreSQL standby, a file mounted read-only) must stop the start, not fail every login.
  await store.write(async () => {});
} catch (e) {
  stop(e);
}

function printCode(title: string, username: string, password: string) {
  const line = '='.repeat(64);
  console.log(
    [
      line,
      title,
      `  gebruikersnaam: ${username}`,
      `  eenmalig wachtwoord: ${password}`,
      `Log hiermee in en verander het wachtwoord meteen; het wordt niet nog eens getoond en werkt ${Math.round(codeTtlMs / DAY)} dagen, één keer.`,
      line,
    ].join('\n'),
  );
}

/** The first coördinator, on an empty database. Several processes starting at once on one PostgreSQL all see no
 * users; the unique username lets one create it, and the others carry on without it. */
async function firstCoordinator(): Promise<{ user: { username: string }; password: string } | null> {
  try {
    return await createUser(store, { username: 'coordinator', role: 'coordinator' }, Date.now(), codeTtlMs);
  } catch (e) {
    if (e instanceof UserExistsError) return null;
    throw e;
  }
}

if ((await countUsers(store)) === 0) {
  const first = await firstCoordinator();
  if (first) printCode('Eerste start: er is een coördinator-account aangemaakt.', first.user.username, first.password);
} else {
  // Codes expire and work once: when no coördinator can get in any more (never chose a password, code spent or
  // expired), a start hands out a fresh code, or nobody could ever manage the server again. One who logged in with the code and is still choosing a password has a session: leave them be.
  const coordinators = (await listUsers(store)).filter((u) => u.role === 'coordinator' && u.active);
  const inSession = new Set((await store.db.selectFrom('sessions').select('user_id').execute()).map((r) => r.user_id));
  const stuck = coordinators.length > 0 && coordinators.every((u) => u.mustChangePassword && (u.codeExpiresAt ?? 0) <= Date.now() && !inSession.has(u.id));
  if (stuck) {
    const first = coordinators[0];
    printCode('Geen coördinator kan inloggen (eenmalige code verlopen of gebruikt): een nieuwe code.', first.username, await resetPassword(store, first.id, Date.now(), codeTtlMs));
  }
}

// SYNC_RATE_LIMIT=off lifts the per-user sync budget, for load benchmarks that play many phones as one account.
const reports = new ServerReports(store);
const auditDays = process.env.AUDIT_RETENTION_DAYS;
if (auditDays !== undefined && !/^\d{1,5}$/.test(auditDays)) {
  console.error(`AUDIT_RETENTION_DAYS moet een geheel aantal dagen zijn (0 bewaart alles), niet "${auditDays}"`);
  process.exit(1);
}
const app = createApp({
  store,
  reports,
  auditRetentionDays: auditDays === undefined ? undefined : Number(auditDays),
  staticDir: resolve('dist'),
  trustProxy: process.env.TRUST_PROXY === '1',
  syncBudget: process.env.SYNC_RATE_LIMIT === 'off' ? null : undefined,
  sessionMaxMs,
  codeTtlMs,
});
const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(`Luisterkring luistert op http://${host}:${info.port} (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`);
  if (!checkLocalDateRule()) console.warn('De EU-klokregel wijkt af van de tijdzonegegevens: datums volgen de tijdzonegegevens.');
  // The report's copy of ten years of rows is read once now, not when the first coördinator asks for it.
  reports.warm().catch((e: unknown) => console.error('Rapportgegevens konden niet worden ingelezen:', e));
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: afsluiten…`);
  // Open requests finish; their transactions commit before the database closes.
  server.close(() => {
    store.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  // Idle keep-alive sockets would otherwise hold close() open until they time out.
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
