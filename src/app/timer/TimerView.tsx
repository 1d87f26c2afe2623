// The co-begeleider's timer: the running step and its time left, the whole plan, and start/next/pause controls.
import { useContext, useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { recordStep } from '../../data/actions';
import { rememberVibrated, roundTimer, vibratedSteps, type TimerData } from '../../data/group-queries';
import { useLive } from '../../data/live';
import type { TimerStep } from '../../shared/method';
import { computeTimer, formatClock, nextStep, type TimerState } from '../../shared/timer';
import { LocaleContext, dateFormat, useT, type Locale, type T } from '../i18n';
import { guarded } from '../toast';
import { stepDict } from './steps';
import './timer.css';

const dict = {
  nl: {
    title: 'Timer',
    loading: 'Timer laden…',
    notFound: 'Deze ronde staat (nog) niet op deze telefoon. Synchroniseer eerst.',
    sync: 'Synchroniseren',
    notStarted: 'Nog niet begonnen',
    left: 'nog',
    over: 'over tijd',
    paused: 'Gepauzeerd',
    start: 'Start {step}',
    next: 'Volgende stap: {step}',
    pause: 'Pauze',
    resume: 'Hervat {step}',
    ended: 'Deze ronde is afgerond.',
    cancelled: 'Deze ronde is geannuleerd.',
    reason: 'Reden: {reason}',
    finish: 'Einde: timer stoppen',
    finished: 'Klaar',
    took: 'duurde',
    notHere: 'De ronde zelf staat nog niet op deze telefoon; je tijden komen er na het synchroniseren bij.',
    steps: 'Stappen',
    stepTimes: '{elapsed} van {planned} min',
    stepOver: '+{over}',
    total: 'Verstreken: {elapsed} van {planned} minuten',
    progress: 'Voortgang van de ronde',
    plannedEnd: 'Gepland klaar om {time}',
    expectedEnd: 'Zo verder klaar om {time}',
    nowRunning: 'Nu: {step}',
    nowPaused: 'Gepauzeerd: {step}',
    noWakeLock: 'Scherm blijft niet vanzelf aan — zet automatische vergrendeling uit',
    toRound: 'Naar de ronde',
  },
  en: {
    title: 'Timer',
    loading: 'Loading timer…',
    notFound: 'This round is not on this phone (yet). Sync first.',
    sync: 'Sync',
    notStarted: 'Not started yet',
    left: 'left',
    over: 'over time',
    paused: 'Paused',
    start: 'Start {step}',
    next: 'Next step: {step}',
    pause: 'Pause',
    resume: 'Resume {step}',
    ended: 'This round has ended.',
    cancelled: 'This round was cancelled.',
    reason: 'Reason: {reason}',
    finish: 'End: stop the timer',
    finished: 'Done',
    took: 'took',
    notHere: 'The round itself is not on this phone yet; your times join it after syncing.',
    steps: 'Steps',
    stepTimes: '{elapsed} of {planned} min',
    stepOver: '+{over}',
    total: 'Elapsed: {elapsed} of {planned} minutes',
    progress: 'Progress of the round',
    plannedEnd: 'Planned to end at {time}',
    expectedEnd: 'At this pace ends at {time}',
    nowRunning: 'Now: {step}',
    nowPaused: 'Paused: {step}',
    noWakeLock: 'The screen does not stay on by itself — turn off auto-lock',
    toRound: 'To the round',
  },
};

type Key = keyof typeof dict.nl;

const VIBRATION = [200, 100, 200];

/** Re-renders every second and when the page becomes visible again; the time itself is read from the clock at render. */
function useTick(): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const id = setInterval(bump, 1000);
    const onVisible = () => bump(1);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(id);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);
}

export function TimerView({ roundId }: { roundId: string }) {
  const t = useT(dict);
  const data = useLive(() => roundTimer(roundId), [roundId], undefined as TimerData | null | undefined);
  useTick();
  if (data === undefined) return <p class="muted">{t('loading')}</p>;
  if (data === null)
    return (
      <div class="card stack">
        <p>{t('notFound')}</p>
        <a class="btn" href="#/sync">
          {t('sync')}
        </a>
      </div>
    );
  return <Timer data={data} />;
}

function Timer({ data }: { data: TimerData }) {
  const t = useT(dict);
  const steps = useT(stepDict);
  const locale = useContext(LocaleContext);
  const { round, timings } = data;
  const target = { id: data.id, groupId: data.groupId };
  const closed = round?.status === 'afgerond' || round?.status === 'geannuleerd';
  // A closed round's clock stops where the round ended (a cancelled one has no end: at its last event).
  const lastEvent = timings.reduce((m, e) => Math.max(m, e.at), 0);
  const now = closed ? Math.min(Date.now(), round?.endedAt ?? (lastEvent || Date.now())) : Date.now();
  const state = computeTimer(data.plan, timings, now);
  const cur = state.current ? state.steps.find((s) => s.step === state.current)! : null;
  const running = closed ? null : state.running;
  const overStep = running && cur && cur.overMs > 0 ? running : null;
  const over = !closed && !state.finished;

  useOverrunVibration(data.id, overStep);
  const wakeLockMissing = useWakeLock(running !== null);

  const record = (events: { step: TimerStep; kind: 'start' | 'stop' }[]) => guarded(() => recordStep(target, events));
  const next = nextStep(state.current);
  const announce = running ? t('nowRunning', { step: steps(running) }) : state.current && over ? t('nowPaused', { step: steps(state.current) }) : '';

  return (
    <div class="timer">
      <h1 class="sr-only">{t('title')}</h1>
      <p class="sr-only" aria-live="polite">
        {announce}
      </p>
      <section class={`timer-now${over && cur && cur.overMs > 0 ? ' is-over' : ''}`}>
        <p class="timer-step">{state.finished && !closed ? t('finished') : state.current ? steps(state.current) : t('notStarted')}</p>
        {closed || state.finished ? (
          state.startedAt !== null && <FinalClock ms={state.totalElapsedMs} t={t} />
        ) : (
          cur && <BigClock step={cur} t={t} />
        )}
        {state.current && !running && over && <p class="timer-paused">{t('paused')}</p>}
      </section>

      {closed ? (
        <p class="card">
          {round?.status === 'afgerond' ? t('ended') : t('cancelled')}
          {round?.status === 'geannuleerd' && round.cancelReason ? ` ${t('reason', { reason: round.cancelReason })}` : ''}
        </p>
      ) : (
        // Two fixed places: Pauze/Hervat first, the way on (Volgende stap, or the end after Uitloop) second, so the
        // same spot that paused also resumes.
        <div class="timer-controls">
          {state.current === null ? (
            <button type="button" class="primary big" onClick={() => record([{ step: 'inloop', kind: 'start' }])}>
              {t('start', { step: steps('inloop') })}
            </button>
          ) : running ? (
            <button type="button" class="big" onClick={() => record([{ step: running, kind: 'stop' }])}>
              {t('pause')}
            </button>
          ) : (
            <button type="button" class={state.finished ? 'big' : 'primary big'} onClick={() => record([{ step: state.current!, kind: 'start' }])}>
              {t('resume', { step: steps(state.current) })}
            </button>
          )}
          {state.current !== null && next && (
            <button
              type="button"
              class={running ? 'primary big' : 'big'}
              onClick={() => record(running ? [{ step: running, kind: 'stop' }, { step: next, kind: 'start' }] : [{ step: next, kind: 'start' }])}
            >
              {t('next', { step: steps(next) })}
            </button>
          )}
          {running && !next && (
            <button type="button" class="primary big" onClick={() => record([{ step: running, kind: 'stop' }])}>
              {t('finish')}
            </button>
          )}
        </div>
      )}

      {wakeLockMissing && running && <p class="timer-hint">{t('noWakeLock')}</p>}
      {!round && <p class="muted">{t('notHere')}</p>}

      <RoundProgress state={state} locale={locale} closed={closed} onStart={(step) => record([{ step, kind: 'start' }])} />

      {round && (
        <p>
          <a class="btn" href={`#/ronde/${encodeURIComponent(round.id)}`}>
            {t('toRound')}
          </a>
        </p>
      )}
    </div>
  );
}

/** The time the round's steps took, where a running round shows its countdown. */
function FinalClock({ ms, t }: { ms: number; t: T<Key> }) {
  return (
    <p class="timer-clock">
      <span class="clock-unit">{t('took')}</span> <span class="clock-digits">{formatClock(ms)}</span>
    </p>
  );
}

function BigClock({ step, t }: { step: TimerState['steps'][number]; t: T<Key> }) {
  if (step.overMs > 0)
    return (
      <p class="timer-clock over">
        <span class="clock-digits">+{formatClock(step.overMs)}</span> <span class="clock-unit">{t('over')}</span>
      </p>
    );
  return (
    <p class="timer-clock">
      <span class="clock-unit">{t('left')}</span> <span class="clock-digits">{formatClock(step.plannedMs - step.elapsedMs, true)}</span>
    </p>
  );
}

function RoundProgress(props: { state: TimerState; locale: Locale; closed: boolean; onStart: (step: TimerStep) => void }) {
  const t = useT(dict);
  const steps = useT(stepDict);
  const { state } = props;
  const elapsedMin = Math.floor(state.totalElapsedMs / 60_000);
  const plannedMin = Math.round(state.totalPlannedMs / 60_000);
  const time = (ms: number) =>
    dateFormat(props.locale, { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' }).format(ms);
  const showExpected = state.expectedEnd !== null && state.plannedEnd !== null && Math.abs(state.expectedEnd - state.plannedEnd) >= 60_000;
  return (
    <section class="timer-progress">
      <h2>{t('steps')}</h2>
      <p>{t('total', { elapsed: elapsedMin, planned: plannedMin })}</p>
      <progress max={Math.max(1, state.totalPlannedMs)} value={Math.min(state.totalElapsedMs, state.totalPlannedMs)} aria-label={t('progress')} />
      {state.plannedEnd !== null && !props.closed && (
        <p class="muted">
          {t('plannedEnd', { time: time(state.plannedEnd) })}
          {showExpected && ` · ${t('expectedEnd', { time: time(state.expectedEnd!) })}`}
        </p>
      )}
      <ol class="step-list">
        {state.steps.map((s) => {
          const isCurrent = s.step === state.current;
          return (
            <li key={s.step} class={`step-row${isCurrent ? ' current' : ''}${s.overMs > 0 ? ' is-over' : ''}`} aria-current={isCurrent ? 'step' : undefined}>
              <span class="step-name">{steps(s.step)}</span>
              <span class="step-times">
                {t('stepTimes', { elapsed: formatClock(s.elapsedMs), planned: Math.round(s.plannedMs / 60_000) })}
                {s.overMs > 0 && <strong class="step-over"> {t('stepOver', { over: formatClock(s.overMs) })}</strong>}
              </span>
              {!props.closed && !isCurrent && !(state.current === null && s.step === 'inloop') && (
                <button type="button" class="step-start" onClick={() => props.onStart(s.step)}>
                  {t('start', { step: steps(s.step) })}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** One quiet vibration per step that runs over, remembered on this phone so a reload stays quiet. */
function useOverrunVibration(roundId: string, overStep: TimerStep | null): void {
  const done = useRef<Set<string> | null>(null);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let live = true;
    done.current = null;
    setLoaded(false);
    void vibratedSteps(roundId).then((list) => {
      if (!live) return;
      done.current = new Set(list);
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [roundId]);
  useEffect(() => {
    const seen = done.current;
    if (!overStep || !loaded || !seen || seen.has(overStep)) return;
    seen.add(overStep);
    void rememberVibrated(roundId, [...seen]);
    if (typeof navigator.vibrate === 'function') navigator.vibrate(VIBRATION);
  }, [overStep, loaded, roundId]);
}

/** Keeps the screen on while a step runs; returns true when the browser cannot, so the page can say so. */
function useWakeLock(wanted: boolean): boolean {
  const supported = typeof navigator !== 'undefined' && 'wakeLock' in navigator;
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!wanted || !supported) return;
    let sentinel: WakeLockSentinel | null = null;
    let active = true;
    // The browser drops the lock whenever the page is hidden; take it again when the page comes back.
    const acquire = async () => {
      if (document.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return;
      try {
        const s = await navigator.wakeLock.request('screen');
        if (active) {
          sentinel = s;
          setFailed(false);
        } else await s.release();
      } catch {
        if (active) setFailed(true);
      }
    };
    void acquire();
    document.addEventListener('visibilitychange', acquire);
    return () => {
      active = false;
      document.removeEventListener('visibilitychange', acquire);
      sentinel?.release().catch(() => undefined);
    };
  }, [wanted, supported]);
  return !supported || failed;
}
