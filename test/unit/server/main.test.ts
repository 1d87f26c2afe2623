import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** A tiny tmpfs of our own (root in the test container): a real read-only or full disk, not a simulation. */
function mountTmpfs(dir: string, options: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const disk = suite('main on a read-only or full data folder (sqlite, real tmpfs)');
const mnt = join(tmpdir(), `lk-disk-${process.pid}`);
const canMount = mountTmpfs(mnt, 'size=64k');
if (canMount) execFileSync('umount', [mnt]);

disk('a read-only data folder stops the start with a clear Dutch and English message (exit 1)', async () => {
  if (!canMount) return console.warn('skipped: mounting a tmpfs needs root');
  assert.ok(mountTmpfs(mnt, 'size=1m,ro'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { ...process.env, PORT: String(await freePort()), HOST: '127.0.0.1', DATA_DIR: mnt, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    assert.is(await stopped(child), 1, out);
    assert.match(out, /niet beschrijfbaar/);
    assert.match(out, /not writable/);
    assert.not.match(out, /luistert op/);
  } finally {
    execFileSync('umount', [mnt]);
  }
});

disk('a disk that fills up answers 503 with a reason and works again, without a restart, when space returns', async () => {
  if (!canMount) return console.warn('skipped: mounting a tmpfs needs root');
  assert.ok(mountTmpfs(mnt, 'size=2m'));
  let child: ChildProcess | undefined;
  try {
    const port = await freePort();
    const started = await start({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: mnt, DATABASE_URL: '' });
    child = started.child;
    const m = /gebruikersnaam: (\S+)\s+eenmalig wachtwoord: (\S+)/.exec(started.out())!;
    // The rest of the disk goes to a filler file, as a log or a backup would take it.
    try {
      writeFileSync(join(mnt, 'vulling'), Buffer.alloc(4 * 1024 * 1024));
    } catch {
      // ENOSPC: the disk is full now, which is the point.
    }
    const login = () =>
      fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lk': '1' }, body: JSON.stringify({ username: m[1], password: m[2] }) });
    let full: Response | undefined;
    // SQLite may still find room in the pages and WAL it has; wrong passwords fill the login counters until it does not.
    for (let i = 0; i < 200; i++) {
      const r = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lk': '1', 'x-forwarded-for': `10.0.${i}.1` },
        body: JSON.stringify({ username: `naam${i}-${'x'.repeat(80)}`, password: 'fout' }),
      });
      if (r.status === 503) {
        full = r;
        break;
      }
    }
    assert.ok(full, 'a full disk is noticed');
    assert.match((await full!.json()).error, /vol|alleen-lezen/);
    assert.ok(Number(full!.headers.get('retry-after')) > 0);
    rmSync(join(mnt, 'vulling'));
    const res = await login();
    assert.is(res.status, 200, await res.clone().text());
    child.kill('SIGTERM');
    await stopped(child);
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await stopped(child);
    }
    execFileSync('umount', [mnt]);
  }
});

disk.run();
