// The zod schemas (≈ 10 KB gzipped with zod itself) load when something is first validated, not with the screen:
// a round opens without them, and RoundFlow asks for them as soon as the main thread is idle, before the first tap.
type SchemaModule = typeof import('../shared/schema');

let loading: Promise<SchemaModule> | null = null;

/** A failed load (the network went away before the worker had cached the app) is not remembered: the next write tries again. */
export function schemas(): Promise<SchemaModule> {
  return (loading ??= import('../shared/schema').catch((e: unknown) => {
    loading = null;
    throw e;
  }));
}
