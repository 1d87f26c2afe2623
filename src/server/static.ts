// Serves the built PWA: files from dist/, index.html for app paths, and cache headers that keep updates flowing.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
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

interface Found {
  full: string;
  /** Changes when the file is rebuilt, so a compressed copy is never served for an older build. */
  version: string;
}

async function fileAt(root: string, path: string): Promise<Found | undefined> {
  const full = resolve(join(root, path));
  if (full !== root && !full.startsWith(root + sep)) return undefined;
  try {
    const st = await stat(full);
    return st.isFile() ? { full, version: `${st.mtimeMs}:${st.size}` } : undefined;
  } catch {
    return undefined;
  }
}

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.map']);
const MIN_COMPRESS = 1024;
type Encoding = 'br' | 'gzip';

/** The encoding to answer with: brotli where the browser takes it (every current one over HTTPS and localhost), else gzip. */
export function pickEncoding(acceptEncoding: string | undefined): Encoding | null {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || Number(q.trim().replace(/^q=/, '')) > 0)
      .map(([name]) => name.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}

/** Compressed copies, made once per file version: the app is a few hundred KB and fixed until the next build. On a
 * phone on a slow connection the JavaScript is a third of its size this way. Compression runs on libuv's thread
 * pool (never blocking a sync request), and requests arriving meanwhile share the one job. */
const compressed = new Map<string, Promise<Buffer>>();

function compressedBody(found: Found, raw: Buffer, encoding: Encoding): Promise<Buffer> {
  const key = `${encoding}:${found.full}:${found.version}`;
  let body = compressed.get(key);
  if (!body) {
    body =
      encoding === 'br'
        ? brotliAsync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
        : gzipAsync(raw, { level: 9 });
    compressed.set(key, body);
    body.catch(() => compressed.delete(key));
  }
  return body;
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
    let file: Found | undefined = path.endsWith('/') ? await fileAt(root, path + 'index.html') : await fileAt(root, path);
    let served = path.endsWith('/') ? '/index.html' : path;
    // Paths without an extension are app routes: the page handles them. A missing asset stays a 404.
    if (!file && extname(path) === '') {
      file = await fileAt(root, 'index.html');
      served = '/index.html';
    }
    if (!file) return c.text('Niet gevonden', 404);
    const ext = extname(file.full);
    c.header('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    c.header('Cache-Control', cacheControl(served));
    const compressible = COMPRESSIBLE.has(ext);
    if (compressible) c.header('Vary', 'Accept-Encoding');
    if (c.req.method === 'HEAD') return c.body(null);
    const raw = await readFile(file.full);
    const encoding = compressible && raw.length >= MIN_COMPRESS ? pickEncoding(c.req.header('accept-encoding')) : null;
    if (!encoding) return c.body(new Uint8Array(raw));
    c.header('Content-Encoding', encoding);
    return c.body(new Uint8Array(await compressedBody(file, raw, encoding)));
  };
}
