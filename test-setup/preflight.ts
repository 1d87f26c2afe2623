// Runs first in `npm test`: says in one line what a fresh machine lacks (Debian's Chromium, PostgreSQL) and how to
// install it, before any test runs, instead of a launch error in the middle of the suite.
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './browser';
import { PG_BIN } from './postgres';

const missing: string[] = [];
if (!existsSync(CHROMIUM_PATH)) {
  missing.push(`Chromium ontbreekt (${CHROMIUM_PATH}): installeer het met 'apt-get install -y chromium' of zet CHROME_PATH`);
}
if (!process.env.TEST_DATABASE_URL && !existsSync(`${PG_BIN}/initdb`)) {
  missing.push(`PostgreSQL 15 ontbreekt (${PG_BIN}): installeer het met 'apt-get install -y postgresql' of zet TEST_DATABASE_URL`);
}
for (const m of missing) console.error(m);
process.exit(missing.length ? 1 : 0);
