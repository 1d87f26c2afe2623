// Loads a screen's code only when it is opened, so the round screens ship without the coördinator screens.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>, loadingText: string) {
  let cached: ComponentType<P> | null = null;
  return function LazyScreen(props: P) {
    const [C, setC] = useState<ComponentType<P> | null>(() => cached);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (cached) return;
      load().then(
        (c) => setC(() => (cached = c)),
        (e: Error) => setError(e.message),
      );
    }, []);
    if (error) return <p role="alert">{error}</p>;
    return C ? <C {...props} /> : <p class="muted" aria-busy="true">{loadingText}</p>;
  };
}
