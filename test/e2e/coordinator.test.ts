// The coördinator's side end to end in real Chromium: set up a group and its begeleider, the begeleider runs a round
// offline on a phone and syncs, and the coördinator's report shows that round's figures.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { firstPassword, idbAll, launchBrowser, logIn, openControlled, phoneContext, screenshot, seedGroup, startApp, type AppServer } from '../../test-setup/browser';
import { EXISTING, NEWCOMERS, STEP_TITLES, Taps, beginSteps, doStep, evaluateAndEnd, startRound, takeAttendance } from '../../test-setup/round-scenario';

const test = suite('coördinator');
let app: AppServer;
let browser: Browser;
let desk: BrowserContext;
let phone: BrowserContext;
let coord: Page;
let beg: Page;

const LOCATION = 'Buurthuis De Kastanje';
const WIJK = 'Noord';
const GROUP = 'Luistergroep De Kastanje';
const BEGELEIDER = 'sanne';
const OWN_PASSWORD = 'kastanje-op-dinsdag';
/** How long the round lasts on the phone's (fake) clock: the design's plan of 2.5 hours. */
const ROUND_MINUTES = 150;

test.before(async () => {
  app = await startApp();
  browser = await launchBrowser();
  desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', serviceWorkers: 'allow' });
  await desk.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  phone = await phoneContext(browser);
  // The phone's clock is faked (flowing normally) so the round can last its real 2.5 hours without the test waiting.
  await phone.clock.install();
  coord = await desk.newPage();
  beg = await phone.newPage();
});

test.after(async () => {
  await browser?.close();
  await app?.stop();
});

/** To the sync screen's login form from anywhere, then log in (choosing an own password after a one-time code). */
async function login(page: Page, username: string, password: string): Promise<string> {
  await page.getByRole('link', { name: 'Luisterkring — naar het begin' }).click();
  await page.getByRole('link', { name: 'Synchroniseren en inloggen' }).click();
  return logIn(page, username, password);
}

/** On #/sync: sync now and wait until the server has every change (the outbox is empty). What the pull brings is
 * waited for separately, with `until`: the status text may still show the previous sync's "up to date". */
async function syncNow(page: Page): Promise<void> {
  const now = page.getByRole('button', { name: 'Nu synchroniseren' });
  await now.and(page.locator(':enabled')).waitFor();
  await now.click();
  await page.getByText('Er wachten geen wijzigingen.').waitFor();
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`niet gebeurd binnen ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The value of a key figure on the report screen, found by its Dutch term in the list of key figures. */
async function figure(page: Page, term: string): Promise<string> {
  const dd = page.locator('dl').getByText(term, { exact: true }).locator('xpath=following-sibling::dd[1]');
  return (await dd.locator('.figure-value').innerText()).trim();
}

const nl1 = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });

test('coördinator sets up a group and begeleider; the offline round reaches the report', async () => {
  let page = coord;
  try {
    // Coördinator, desktop: log in with the first-start password, then a location and a group in Beheer.
    await coord.goto(app.url + '/');
    // The first-start code opens only the password change: the coördinator chooses her own first.
    await login(coord, 'coordinator', firstPassword(app));
    await coord.getByRole('link', { name: 'Luisterkring — naar het begin' }).click();
    await coord.getByRole('link', { name: 'Beheer (coördinator)' }).click();
    await coord.getByRole('link', { name: /^Locaties/ }).click();
    await coord.getByRole('button', { name: 'Nieuwe locatie' }).click();
    await coord.getByLabel('Naam', { exact: true }).fill(LOCATION);
    await coord.getByLabel('Wijk', { exact: true }).fill(WIJK);
    await coord.getByRole('button', { name: 'Opslaan' }).click();
    await coord.getByRole('button', { name: `Bewerk ${LOCATION}` }).waitFor();

    await coord.getByRole('link', { name: 'Terug naar beheer' }).click();
    await coord.getByRole('link', { name: /^Groepen/ }).click();
    await coord.getByRole('link', { name: 'Nieuwe groep' }).click();
    await coord.getByLabel('Naam van de groep').fill(GROUP);
    await coord.getByLabel('Locatie', { exact: true }).selectOption({ label: `${LOCATION} (${WIJK})` });
    await coord.getByLabel('Ritme').selectOption({ label: 'Maandelijks' });
    await coord.getByRole('button', { name: 'Opslaan' }).click();
    await coord.waitForURL(/#\/beheer\/groepen\/g/);
    await coord.getByRole('heading', { name: 'Groep bewerken' }).waitFor();
    const groupId = decodeURIComponent(new URL(coord.url()).hash.replace(/^#\/beheer\/groepen\//, ''));

    // A begeleider account for this group: the one-time code is shown once.
    await coord.getByLabel('Gebruikersnaam').fill(BEGELEIDER);
    await coord.getByRole('button', { name: 'Account maken' }).click();
    const codeBox = coord.getByRole('alert').filter({ has: coord.getByRole('heading', { name: `Eenmalige code voor ${BEGELEIDER}` }) });
    const code = (await codeBox.locator('code').innerText()).trim();
    assert.ok(code.length >= 8, `a one-time code is shown: ${JSON.stringify(code)}`);
    const assigned = coord.getByRole('checkbox', { name: `${BEGELEIDER} begeleidt deze groep` });
    assert.ok(await assigned.isChecked(), 'the new begeleider is assigned to the group');
    await coord.getByRole('button', { name: 'Ik heb de code doorgegeven' }).click();
    const groupRow = (await idbAll<{ id: string; begeleiders: string[] }>(coord, 'groups')).find((g) => g.id === groupId)!;
    assert.is(groupRow.begeleiders.length, 1, 'the group record names its begeleider for the phones');

    await coord.getByRole('link', { name: 'Luisterkring — naar het begin' }).click();
    await coord.getByRole('link', { name: 'Synchroniseren en inloggen' }).click();
    await syncNow(coord);

    // Begeleider, phone: log in with the code, the group arrives.
    page = beg;
    await openControlled(beg, app.url);
    await beg.getByRole('link', { name: 'Synchroniseren en inloggen' }).click();
    await beg.getByLabel('Gebruikersnaam').fill(BEGELEIDER);
    await beg.getByLabel('Wachtwoord', { exact: true }).fill(code);
    await beg.getByRole('button', { name: 'Inloggen' }).click();
    await beg.getByText(`Ingelogd als ${BEGELEIDER}`).waitFor();
    // The code was for once: the phone asks for an own password right away, and syncs nothing before it.
    await beg.getByText(/Kies eerst hieronder je eigen wachtwoord/).waitFor();
    const ownPassword = beg.getByRole('heading', { name: 'Kies je eigen wachtwoord' });
    await ownPassword.waitFor();
    await beg.getByLabel('Eenmalige code', { exact: true }).fill(code);
    await beg.getByLabel('Nieuw wachtwoord', { exact: true }).fill(OWN_PASSWORD);
    await beg.getByLabel('Herhaal het nieuwe wachtwoord', { exact: true }).fill(OWN_PASSWORD);
    await beg.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await ownPassword.waitFor({ state: 'detached' });
    await beg.getByText(`Ingelogd als ${BEGELEIDER}`).waitFor();
    await beg.getByText('Er wachten geen wijzigingen.').waitFor();
    await beg.getByRole('link', { name: 'Luisterkring — naar het begin' }).click();
    await beg.getByRole('link', { name: GROUP }).waitFor();
    // The group's regulars from before the app: seeded through the app's own data layer, first visits long ago.
    await seedGroup(beg, { groupId, names: EXISTING });
    await beg.reload();
    await beg.getByRole('link', { name: GROUP }).click();
    await beg.getByRole('heading', { name: GROUP }).waitFor();

    // Offline: the whole round on the phone, which lasts 2.5 hours on its clock.
    await phone.setOffline(true);
    const taps = new Taps();
    const roundId = await startRound(beg, taps);
    await takeAttendance(beg, taps);
    await beginSteps(beg, taps);
    for (let i = 0; i < STEP_TITLES.length; i++) {
      if (i === 2) await phone.clock.fastForward(ROUND_MINUTES * 60_000);
      await doStep(beg, taps, i);
    }
    await evaluateAndEnd(beg, taps);
    assert.ok((await idbAll(beg, 'outbox')).length > 0, 'the round waits in the outbox while offline');

    // Online again: the phone syncs by itself (the online trigger); the sync screen confirms nothing waits.
    await phone.setOffline(false);
    await beg.getByRole('link', { name: 'Luisterkring — naar het begin' }).click();
    await beg.getByRole('link', { name: 'Synchroniseren en inloggen' }).click();
    await beg.getByText('Er wachten geen wijzigingen.').waitFor();
    assert.equal(await idbAll(beg, 'outbox'), [], 'every change reached the server');

    // Coördinator: sync, then the report of this year shows the round.
    page = coord;
    await syncNow(coord);
    type RoundRow = { id: string; status: string; startedAt: number; endedAt: number };
    const round = await until('the ended round reaches the coördinator', async () =>
      (await idbAll<RoundRow>(coord, 'rounds')).find((r) => r.id === roundId && r.status === 'afgerond'),
    );
    await until('its attendance reaches the coördinator', async () =>
      (await idbAll<{ roundId: string; present: boolean }>(coord, 'attendance')).filter((a) => a.roundId === roundId && a.present).length === EXISTING.length + NEWCOMERS.length ? true : undefined,
    );
    const minutes = (round.endedAt - round.startedAt) / 60_000;
    assert.ok(minutes >= ROUND_MINUTES && minutes < ROUND_MINUTES + 10, `the round lasted its 2.5 hours: ${minutes} min`);

    await coord.getByRole('link', { name: 'Luisterkring — naar het begin' }).click();
    await coord.getByRole('link', { name: 'Jaarcijfers' }).click();
    await coord.getByRole('heading', { name: 'Jaarverslag' }).waitFor();
    const present = EXISTING.length + NEWCOMERS.length;
    assert.is(await figure(coord, 'Rondes gehouden'), '1');
    assert.is(await figure(coord, 'Aanwezigen totaal'), String(present));
    assert.is(await figure(coord, 'Nieuwkomers'), String(NEWCOMERS.length), 'only the two new people are newcomers; the regulars came before');
    assert.is(await figure(coord, 'Unieke deelnemers'), String(present));
    assert.is(await figure(coord, 'Uren aandacht'), nl1.format((present * minutes) / 60), `${present} present × ${minutes} min`);
    // The per-group table names the group with the same round.
    const groupLine = coord.getByRole('region', { name: /^Per groep/ }).getByRole('row', { name: new RegExp(`^${GROUP}`) });
    assert.match(await groupLine.innerText(), new RegExp(`^${GROUP}\\s+1\\s+0\\s+${present}\\s+${present}\\s`));
  } catch (e) {
    await screenshot(page, 'coordinator');
    throw e;
  }
});

test.run();
