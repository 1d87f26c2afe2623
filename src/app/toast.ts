// App-wide messages: a failed write is shown as an error, never as "opgeslagen".
import { useEffect, useState } from 'preact/hooks';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

let seq = 0;
let toasts: Toast[] = [];
const subs = new Set<(t: Toast[]) => void>();

function emit() {
  for (const s of subs) s(toasts);
}

export function showToast(kind: Toast['kind'], text: string, ms = kind === 'error' ? 8000 : 3000): void {
  const t = { id: ++seq, kind, text };
  toasts = [...toasts, t];
  emit();
  setTimeout(() => dismiss(t.id), ms);
}

export function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/** Runs a write and reports its failure; returns whether it was stored. */
export async function guarded(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    showToast('error', (e as Error).message);
    return false;
  }
}

export function useToasts(): Toast[] {
  const [list, setList] = useState(toasts);
  useEffect(() => {
    subs.add(setList);
    return () => void subs.delete(setList);
  }, []);
  return list;
}
