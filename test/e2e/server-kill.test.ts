// The server is killed (SIGKILL) while a phone pushes hundreds of changes, then started again: nothing is lost or doubled,
// on SQLite and on PostgreSQL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page, Request } from 'playwright-core';
import { idbAll, launchBrowser, openControlled, phoneContext, screenshot, seedGroup, startTodaysRound, logIn } from '../../test-setup/browser';
import { freshPostgresDatabase } from '../../test-setup/postgres';
import { ApiClient, startServerProcess, type ServerProcess } from '../../test-setup/server-process';
import { TABLES } from '../../src/shared/schema';


type Row = { id: string; groupId: string | null; _h: Record<string, string>; _d?: string; [k: string]: unknown };

const NAMES = Array.from({ length: 24 }, (_, i) => `Deelnemer${String(i + 1).padStart(2, '0')}`);
const NOTES = 12;

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function expect(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) assert.unreachable(what);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The phone's synced tables as the server would send them: values and field HLCs per record. */
async function phoneRows(page: Page): Promise<Map<string, { values: Record<string, unknown>; hlcs: Record<string, string>; deleted?: string }>> {
  const out = new Map<string, { values: Record<string, unknown>; hlcs: Record<string, string>; deleted?: string }>();
  for (const table of TABLES) {
    for (const row of await idbAll<Row>(page, table)) {
      const { id, groupId: _g, _h, _d, ...values } = row;
      out.set(`${table}/${id}`, _d ? { values: {}, hlcs: {}, deleted: _d } : { values, hlcs: _h });
    }
  }
  return out;
}

for (const kind of ['sqlite', 'postgres'] as const) {
  const test = suite(`server kill (${kind})`);
  let server: ServerProcess;
  let browser: Browser;

  test.before(async () => {
    server = await startServerProcess(kind === 'postgres' ? { databaseUrl: await freshPostgresDatabase() } : {});
    browser = await launchBrowser();
  });

  test.after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a sync cut off by SIGKILL after the commit, before the read and mid-work loses and doubles nothing once the server is back', async () => {
    const coord = new ApiClient(server.url);
    await coord.login('coordinator', server.password);
    const { groupId } = await coord.createGroup('Luistergroep De Linde', ['Amina', 'Bas']);
    const password = await coord.createBegeleider('anja', [groupId]);

    const context = await phoneContext(browser);
    const page = await context.newPage();
    try {
      await openControlled(page, server.url);
      await page.goto(`${server.url}/#/sync`);
      await logIn(page, 'anja', password);
      await page.getByText('Er wachten geen wijzigingen.').waitFor();
      // "Nothing waiting" is true before the first pull lands: wait for the group itself.
      await page.waitForFunction(
        (id) =>
          new Promise<boolean>((ok) => {
            const open = indexedDB.open('luisterkring');
            open.onerror = () => ok(false);
            open.onsuccess = () => {
              const idb = open.result;
              const req = idb.transaction('groups', 'readonly').objectStore('groups').get(id);
              req.onsuccess = () => {
                ok(!!req.result);
                idb.close();
              };
              req.onerror = () => ok(false);
            };
          }),
        groupId,
      );

      // Offline, the phone piles up two years of weekly rounds with attendance, participants, and today's round with notes.
      await context.setOffline(true);
      await seedGroup(page, { groupId, names: NAMES, pastRounds: { years: 2, everyDays: 7, present: 12 } });
      const roundId = await startTodaysRound(page, groupId);
      await page.evaluate((id) => (location.hash = `#/ronde/${encodeURIComponent(id)}`), roundId);
      await button(page, 'Start de opening').click();
      await page.getByRole('heading', { name: 'Opening', exact: true }).waitFor();
      for (let i = 1; i <= NOTES; i++) {
        await page.getByLabel('Notitie', { exact: true }).fill(`Notitie ${i} van de opening`);
        await button(page, 'Notitie bewaren').click();
        await page.locator('.note-list li', { hasText: `Notitie ${i} van de opening` }).waitFor();
      }
      await page.evaluate(() => (location.hash = '#/sync'));
      const waiting = (await idbAll(page, 'outbox')).length;
      assert.ok(waiting > 1000, `${waiting} changes wait in the outbox`);
      const meta = await idbAll<{ key: string; value: unknown }>(page, 'meta');
      const lastMid = meta.find((m) => m.key === 'lastMid')!.value as number;
      const deviceId = meta.find((m) => m.key === 'deviceId')!.value as string;

      // Each time the network comes back the phone pushes, and the server dies with that push in flight.
      let failed = 0;
      page.on('requestfailed', (r: Request) => {
        if (r.url().endsWith('/api/sync')) failed++;
      });
      const isPush = (r: Request) => r.url().endsWith('/api/sync') && (r.postDataJSON()?.changes?.length ?? 0) > 0;
      const serverLastMid = async () =>
        Number((await server.query<{ last_mid: number | string }>('select last_mid from devices where device_id = ?', [deviceId]))[0]?.last_mid ?? 0);
      const cutOff = async (what: string, kill: () => Promise<void>) => {
        const before = failed;
        // Watching starts before the network returns: the 'online' trigger pushes at once.
        const killed = kill();
        await context.setOffline(false);
        await killed;
        await expect(() => failed > before, `the push cut off ${what} failed on the phone`);
        // Offline again while the server restarts, so the phone's own retry cannot finish the sync early.
        await context.setOffline(true);
        await server.restart();
        assert.ok((await idbAll(page, 'outbox')).length > 0, `changes still wait after the kill ${what}`);
      };

      // 1. The server has applied a whole batch and dies before its answer reaches the phone: the phone still
      // holds those changes and sends them again; the server must skip them, not lose or redo anything.
      let pushMs = 0;
      await page.route('**/api/sync', async (route) => {
        // Only the first push is held back; anything after it (the phone's own retry) goes its normal way.
        if (pushMs > 0 || !isPush(route.request())) return route.continue();
        const t = Date.now();
        await route.fetch();
        pushMs = Date.now() - t;
        await server.kill('SIGKILL');
        await route.abort('connectionreset');
      });
      await cutOff('after the commit', async () => expect(() => pushMs > 0, 'a push went through the server', 20_000));
      await page.unroute('**/api/sync');
      const applied = await serverLastMid();
      const unacked = (await idbAll<{ mid: number }>(page, 'outbox')).filter((o) => o.mid <= applied).length;
      assert.ok(unacked > 0, `the server applied changes the phone never heard about (${unacked} up to mid ${applied})`);

      // 2. As the request leaves the phone, before the server has read it; 3. halfway through the server's work.
      for (const [what, delay] of [['as it leaves the phone', 0], ['halfway through the server', pushMs / 2]] as const) {
        await cutOff(what, async () => {
          await page.waitForRequest(isPush, { timeout: 20_000 });
          if (delay) await new Promise((r) => setTimeout(r, delay));
          await server.kill('SIGKILL');
        });
      }

      // The server is back and so is the network: the 'online' trigger syncs, and once more by hand.
      await context.setOffline(false);
      await page.getByText('Er wachten geen wijzigingen.').waitFor({ timeout: 20_000 });
      await button(page, 'Nu synchroniseren').and(page.locator(':enabled')).click();
      await page.getByRole('status').filter({ hasText: 'Alles is bijgewerkt met de server.' }).waitFor({ timeout: 20_000 });
      assert.is((await idbAll(page, 'outbox')).length, 0, 'the outbox is empty');
      assert.is((await idbAll(page, 'rejected')).length, 0, 'nothing was refused');

      // The server holds exactly what the phone holds: every record, every value, every field's HLC.
      const mine = await phoneRows(page);
      const fresh = new ApiClient(server.url);
      await fresh.login('coordinator', server.password);
      const theirs = new Map((await fresh.pullAll()).map((r) => [`${r.table}/${r.id}`, { values: r.values, hlcs: r.hlcs, ...(r.deleted ? { deleted: r.deleted } : {}) }]));
      const missing = [...mine.keys()].filter((k) => !theirs.has(k));
      assert.equal(missing, [], 'no record of the phone is missing on the server');
      for (const [k, row] of mine) assert.equal(theirs.get(k), row, `${k} is the same on the server`);
      assert.ok(mine.size > 1000, `${mine.size} records compared`);
      const notes = [...mine.entries()].filter(([k, r]) => k.startsWith('notes/') && r.values.roundId === roundId);
      assert.is(notes.length, NOTES, 'every note of today’s round is on the server');

      // Straight from the database: the device's last applied mutation is the phone's last, and no row is doubled.
      assert.is(await serverLastMid(), lastMid, 'the server applied up to the last change the phone made');
      const [{ n }] = await server.query<{ n: number | string }>("select count(*) as n from records where group_id = ? and tbl <> 'groups'", [groupId]);
      assert.is(Number(n), [...mine.keys()].filter((k) => !k.startsWith('groups/') && !k.startsWith('locations/')).length, 'one server row per record');
    } catch (e) {
      await screenshot(page, 'server-kill');
      console.error(server.logs());
      throw e;
    }
  });

  test.run();
}
