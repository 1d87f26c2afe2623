// useLive: a Preact hook over Dexie's liveQuery, so screens re-render when their rows change (locally or by sync).
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

export function useLive<T>(query: () => Promise<T>, deps: unknown[]): T | undefined;
export function useLive<T>(query: () => Promise<T>, deps: unknown[], initial: T): T;
export function useLive<T>(query: () => Promise<T>, deps: unknown[], initial?: T): T | undefined {
  const [value, setValue] = useState<T | undefined>(initial);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const sub = liveQuery(query).subscribe({ next: setValue, error: setError });
    return () => sub.unsubscribe();
  }, deps);
  if (error) throw error;
  return value;
}
