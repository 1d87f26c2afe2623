import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshPostgresDatabase } from '../../../test-setup/postgres';
import { DIALECTS } from './harness';

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** Starts src/server/main.ts and waits until it listens; collects what it prints. */
async function start(env: Record<string, string>): Promise<{ child: ChildProcess; out: () => string }> {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while (!/luistert op/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, out: () => out };
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((ok) => (child.exitCode !== null ? ok(child.exitCode) : child.once('exit', (code) => ok(code))));
}

for (const kind of DIALECTS) {
  const test = suite(`main (${kind})`);
  let dir: string;
  let env: Record<string, string>;
  test.before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-main-'));
    const port = await freePort();
    env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, DATABASE_URL: kind === 'postgres' ? await freshPostgresDatabase() : '' };
  });
  test.after(() => rmSync(dir, { recursive: true, force: true }));

  test('the first start prints a one-time coördinator password that logs in; SIGTERM stops cleanly; a restart prints none', async () => {
    const first = await start(env);
    const m = /gebruikersnaam: (\S+)\s+eenmalig wachtwoord: (\S+)/.exec(first.out());
    assert.ok(m, first.out());
    assert.is(m![1], 'coordinator');
    assert.match(first.out(), /verander het wachtwoord/i);
    const res = await fetch(`http://127.0.0.1:${env.PORT}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lk': '1' },
      body: JSON.stringify({ username: 'coordinator', password: m![2] }),
    });
    assert.is(res.status, 200);
    assert.is((await res.json()).user.role, 'coordinator');
    first.child.kill('SIGTERM');
    assert.is(await stopped(first.child), 0);

    const second = await start(env);
    assert.not.match(second.out(), /eenmalig wachtwoord/);
    second.child.kill('SIGINT');
    assert.is(await stopped(second.child), 0);
  });

  test.run();
}
