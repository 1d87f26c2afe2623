// Serves the built PWA: files from dist/, index.html for app paths, and cache headers that keep updates flowing.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Vite names bundled files `name-<hash>.ext`: their content never changes under that name. */
const HASHED = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export function cacheControl(path: string): string {
  if (HASHED.test(path)) return 'public, max-age=31536000, immutable';
  // The service worker, the page and the manifest must be revalidated, or phones never see an update.
  return 'no-cache';
}

async function fileAt(root: string, path: string): Promise<string | undefined> {
  const full = resolve(join(root, path));
  if (full !== root && !full.startsWith(root + sep)) return undefined;
  try {
    return (await stat(full)).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

export function serveStaticApp(dir: string) {
  const root = resolve(dir);
  return async (c: Context) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return c.text('Ongeldig adres', 400);
    }
    if (path.includes('\0')) return c.text('Ongeldig adres', 400);
    let file = path.endsWith('/') ? await fileAt(root, path + 'index.html') : await fileAt(root, path);
    let served = path.endsWith('/') ? '/index.html' : path;
    // Paths without an extension are app routes: the page handles them. A missing asset stays a 404.
    if (!file && extname(path) === '') {
      file = await fileAt(root, 'index.html');
      served = '/index.html';
    }
    if (!file) return c.text('Niet gevonden', 404);
    c.header('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    c.header('Cache-Control', cacheControl(served));
    if (c.req.method === 'HEAD') return c.body(null);
    return c.body(new Uint8Array(await readFile(file)));
  };
}
