// Hash routing: works from the precache offline and from a home-screen launch without server rewrites.
import { useEffect, useState } from 'preact/hooks';

export function currentPath(): string {
  const h = typeof location !== 'undefined' ? location.hash.replace(/^#/, '') : '';
  return h.startsWith('/') ? h : '/';
}

export function navigate(path: string): void {
  location.hash = path;
}

export function useRoute(): string[] {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const on = () => setPath(currentPath());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}
