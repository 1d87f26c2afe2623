// Starts the server: storage and migrations, the first coördinator account, the API and the built PWA.
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { ServerReports } from './report';
import { openStore } from './store';
import { countUsers, createUser, UserExistsError } from './users';
import { checkLocalDateRule } from '../shared/ids';

const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '0.0.0.0';
const store = openStore({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? './data' });

await store.migrate();

/** The first coördinator, on an empty database. Several processes starting at once on one PostgreSQL all see no
 * users; the unique username lets one create it, and the others carry on without it. */
async function firstCoordinator(): Promise<{ user: { username: string }; password: string } | null> {
  if ((await countUsers(store)) > 0) return null;
  try {
    return await createUser(store, { username: 'coordinator', role: 'coordinator' }, Date.now());
  } catch (e) {
    if (e instanceof UserExistsError) return null;
    throw e;
  }
}

const first = await firstCoordinator();
if (first) {
  const { user, password } = first;
  const line = '='.repeat(64);
  console.log(
    [
      line,
      'Eerste start: er is een coördinator-account aangemaakt.',
      `  gebruikersnaam: ${user.username}`,
      `  eenmalig wachtwoord: ${password}`,
      'Log hiermee in en verander het wachtwoord meteen; het wordt niet nog eens getoond.',
      line,
    ].join('\n'),
  );
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
