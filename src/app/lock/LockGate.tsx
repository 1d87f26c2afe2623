// Covers the whole app with the lock screen while locked, and locks after a spell without use (never on the timer view).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { db } from '../../data/db';
import { DEFAULT_IDLE_MINUTES, lock, lockStatus, onLockChange, readLockConfig, type LockStatus, type SecretKind } from '../../data/lock-state';
import { currentPath } from '../router';
import { lazyScreen } from '../lazy';
import './lock.css';

// Only phones with a PIN ever see the lock screen; the others do not download it.
const LockScreen = lazyScreen(() => import('./LockScreen').then((m) => m.LockScreen), '…');

export interface LockState {
  status: LockStatus | 'loading';
  idleMinutes: number;
  passkey: boolean;
  kind: SecretKind;
}

export function useLockState(): LockState {
  const [state, setState] = useState<LockState>({ status: 'loading', idleMinutes: DEFAULT_IDLE_MINUTES, passkey: false, kind: 'pin' });
  useEffect(() => {
    let live = true;
    const read = async () => {
      const d = db();
      const [status, config] = await Promise.all([lockStatus(d), readLockConfig(d)]);
      if (live) setState({ status, idleMinutes: config?.idleMinutes ?? DEFAULT_IDLE_MINUTES, passkey: !!config?.passkey, kind: config?.kind ?? 'pin' });
    };
    // A database that cannot even be opened has nothing to show or protect; the app then shows its own errors.
    read().catch(() => live && setState((s) => ({ ...s, status: 'none' })));
    const off = onLockChange(() => void read());
    return () => {
      live = false;
      off();
    };
  }, []);
  return state;
}

const ACTIVITY = ['pointerdown', 'keydown', 'input', 'scroll'] as const;
const CHECK_MS = 10_000;
/** The co-begeleider's timer shows no personal text and has to stay in view for hours; times come from stored events, so a lock elsewhere never stops it. */
const onTimerView = () => /^\/ronde\/[^/]+\/timer$/.test(currentPath());

function useIdleLock(active: boolean, minutes: number): void {
  useEffect(() => {
    if (!active) return;
    let last = Date.now();
    const touch = () => {
      last = Date.now();
    };
    // Timers stop while a phone sleeps, so the check compares clock times instead of waiting for a timeout.
    const check = () => {
      if (onTimerView()) return touch();
      if (Date.now() - last >= minutes * 60_000) lock(db());
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') check();
    };
    for (const e of ACTIVITY) addEventListener(e, touch, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisible);
    const timer = setInterval(check, CHECK_MS);
    return () => {
      for (const e of ACTIVITY) removeEventListener(e, touch, { capture: true });
      document.removeEventListener('visibilitychange', onVisible);
      clearInterval(timer);
    };
  }, [active, minutes]);
}

/** Nothing of the app renders until the phone knows whether it is locked, and nothing before the first unlock. Locked
 * again later, the app stays mounted but hidden and inert under the lock screen, so a half-typed note or the step on
 * screen is still there after unlocking; its sealed rows are not read again while locked. */
export function LockGate({ children }: { children: ComponentChildren }) {
  const { status, idleMinutes, passkey, kind } = useLockState();
  const opened = useRef(false);
  useIdleLock(status === 'unlocked', idleMinutes);
  if (status === 'loading') return null;
  if (status !== 'locked') opened.current = true;
  if (!opened.current) return <LockScreen passkey={passkey} passphrase={kind === 'passphrase'} />;
  const locked = status === 'locked';
  return (
    <>
      {locked && <LockScreen passkey={passkey} passphrase={kind === 'passphrase'} />}
      <div class="lock-app" hidden={locked} inert={locked}>
        {children}
      </div>
    </>
  );
}
