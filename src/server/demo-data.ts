// `npm run demo-data`: fills a fresh server database with the fictional demo organisation, written as a coördinator's sync.
import { pathToFileURL } from 'node:url';
import { demoOrganisation } from '../shared/demo';
import { formatHlc } from '../shared/hlc';
import { MAX_BATCH, type Change, type Rejected } from '../shared/schema';
import { openStore, type Store } from './store';
import { lastMid, push, type Actor } from './sync';
import { countUsers, createUser, listUsers, setGroups, UserExistsError } from './users';

const DEVICE = 'demo-data';

export interface DemoResult {
  records: number;
  rejected: Rejected[];
  /** One-time passwords of accounts created now (username → password). */
  passwords: Map<string, string>;
}

export class NotEmptyError extends Error {}

/** Writes the demo organisation through the same sync path as a phone, so every record gets a proper version. */
export async function loadDemo(store: Store, opts: { seed?: number; year?: number; now?: number } = {}): Promise<DemoResult> {
  const now = opts.now ?? Date.now();
  const existing = await store.db.selectFrom('records').select('id').limit(1).execute();
  if (existing.length) throw new NotEmptyError('De database bevat al gegevens; de demo vult alleen een lege database.');
  const org = demoOrganisation(opts.seed ?? 1, { year: opts.year });
  const passwords = new Map<string, string>();

  const account = async (username: string, role: 'coordinator' | 'begeleider', groups: string[]) => {
    try {
      const { user, password } = await createUser(store, { username, role, groups }, now);
      passwords.set(username, password);
      return user.id;
    } catch (e) {
      if (!(e instanceof UserExistsError)) throw e;
      const user = (await listUsers(store)).find((u) => u.username === username)!;
      await setGroups(store, user.id, [...user.groups, ...groups]);
      return user.id;
    }
  };

  const coordinator = (await listUsers(store)).find((u) => u.role === 'coordinator' && u.active)?.id ?? (await account('coordinator', 'coordinator', []));
  const begeleiderIds = new Map<string, string[]>();
  const byUser = new Map<string, string[]>();
  for (const g of org.groups) for (const b of g.begeleiders) byUser.set(b, [...(byUser.get(b) ?? []), g.id]);
  for (const [name, groups] of byUser) {
    const id = await account(name, 'begeleider', groups);
    for (const g of groups) begeleiderIds.set(g, [...(begeleiderIds.get(g) ?? []), id]);
  }

  const actor: Actor = { id: coordinator, role: 'coordinator', groups: [] };
  let mid = await lastMid(store.db, DEVICE);
  const changes: Change[] = org.records.map((r, i) => ({
    mid: ++mid,
    table: r.table,
    id: r.id,
    groupId: r.groupId,
    values: r.table === 'groups' ? { ...r.values, begeleiders: begeleiderIds.get(r.id) ?? [] } : r.values,
    // One wall time, an increasing counter: the order of the list is the order of writing.
    hlc: formatHlc(now, i, DEVICE),
  }));
  const rejected: Rejected[] = [];
  for (let i = 0; i < changes.length; i += MAX_BATCH) {
    // Only the push half of a sync: the demo needs nothing back, and a pull would page up to 500 rows back per batch.
    const res = await push(store, actor, { deviceId: DEVICE, changes: changes.slice(i, i + MAX_BATCH) }, now);
    rejected.push(...res.rejected);
  }
  return { records: changes.length - rejected.length, rejected, passwords };
}

async function main() {
  const seed = Number(process.env.SEED ?? 1);
  const year = process.env.YEAR ? Number(process.env.YEAR) : new Date().getFullYear() - 1;
  const store = openStore({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? './data' });
  try {
    await store.migrate();
    const firstStart = (await countUsers(store)) === 0;
    const res = await loadDemo(store, { seed, year });
    console.log(`Demo-organisatie (seed ${seed}, jaar ${year}): ${res.records} records geschreven.`);
    if (res.rejected.length) console.log(`${res.rejected.length} geweigerd, bijvoorbeeld: ${res.rejected[0].reason}`);
    if (res.passwords.size) {
      console.log(firstStart ? 'Accounts (eenmalige wachtwoorden, bij eerste inlog wijzigen):' : 'Nieuwe accounts (eenmalige wachtwoorden):');
      for (const [name, password] of res.passwords) console.log(`  ${name.padEnd(14)} ${password}`);
    }
  } catch (e) {
    console.error(e instanceof NotEmptyError ? e.message : e);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
