// The begeleider's round: attendance, the five steps, evaluation and summary, resuming where this phone left off.
import { useEffect, useRef, useState } from 'preact/hooks';
import { endRound, recordStep, updateRound } from '../../data/actions';
import { useLive } from '../../data/live';
import { schemas } from '../../data/schemas';
import { firstTimerStart, loadRound, loadScreen, roundEvaluation, roundNotes, roundTimings, runningStep, saveScreen, type FlowScreen } from '../../data/round-queries';
import { proposeDuration } from '../../shared/duration';
import { ROUND_STEPS, type TimerStep } from '../../shared/method';
import type { Round } from '../../shared/schema';
import { useT } from '../i18n';
import { guarded } from '../toast';
import { whenIdle } from '../startup';
import { AttendanceScreen } from './Attendance';
import { dict } from './dict';
import { EvaluationScreen } from './Evaluation';
import { StepScreen } from './StepScreen';
import { SummaryScreen } from './Summary';
import './round.css';

/** A second tap on the same way on ("Volgende stap", "Vorige") within this time is a double tap, not a wish to skip a step. */
const DOUBLE_TAP_MS = 300;

export function RoundFlow({ roundId }: { roundId: string }) {
  const t = useT(dict);
  const round = useLive(() => loadRound(roundId), [roundId]);
  const [screen, setScreen] = useState<FlowScreen | null | undefined>(undefined);
  // Every tap validates what it writes: the schemas load while the begeleider reads the screen.
  useEffect(() => whenIdle(() => void schemas()), []);
  useEffect(() => {
    let live = true;
    setScreen(undefined);
    loadScreen(roundId).then(
      (s) => live && setScreen(s),
      () => live && setScreen(null),
    );
    return () => {
      live = false;
    };
  }, [roundId]);

  if (round === undefined || screen === undefined) return <p>{t('loading')}</p>;
  if (round === null)
    return (
      <section class="flow">
        <p>{t('notFound')}</p>
        <a class="btn" href="#/">
          {t('backHome')}
        </a>
      </section>
    );
  return <Flow round={round} screen={screen} setScreen={setScreen} />;
}

function Flow({ round, screen, setScreen }: { round: Round; screen: FlowScreen | null; setScreen: (s: FlowScreen) => void }) {
  const t = useT(dict);
  const notes = useLive(() => roundNotes(round.id), [round.id], []);
  const evaluation = useLive(() => roundEvaluation(round.id), [round.id], null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const lastMove = useRef({ at: 0, by: '' });
  const finished = round.status === 'afgerond';

  const go = (next: FlowScreen) => {
    setScreen(next);
    void guarded(() => saveScreen(round.id, next));
  };

  /** Moves to a screen whose step starts now: stops whatever step runs (also an "inloop" started on the timer) and starts it. */
  const timed = async (next: FlowScreen, step: TimerStep, by: 'next' | 'prev' | 'attendance') => {
    const now = Date.now();
    if (by === lastMove.current.by && now - lastMove.current.at < DOUBLE_TAP_MS) return;
    lastMove.current = { at: now, by };
    go(next);
    if (round.status !== 'bezig') return;
    await guarded(async () => {
      const running = runningStep(await roundTimings(round.id));
      if (running === step) return;
      await recordStep(round, [...(running ? [{ step: running, kind: 'stop' as const }] : []), { step, kind: 'start' }]);
    });
  };

  const end = async (chosen: number | null, at: number) => {
    const ok = await guarded(async () => {
      const timings = await roundTimings(round.id);
      const running = runningStep(timings);
      if (running) await recordStep(round, [{ step: running, kind: 'stop', at }]);
      await endRound(round, at, chosen ?? proposeDuration(round, firstTimerStart(timings), at).minutes);
    });
    if (ok) go({ kind: 'summary' });
  };

  if (round.status === 'gepland')
    return (
      <section class="flow">
        <p>{t('planned', { date: round.date })}</p>
        <button
          type="button"
          class="primary big"
          onClick={async () => {
            if (await guarded(() => updateRound(round, { status: 'bezig', startedAt: Date.now() }))) go({ kind: 'attendance' });
          }}
        >
          {t('startPlanned')}
        </button>
        <BackToGroup round={round} />
      </section>
    );
  if (round.status === 'geannuleerd')
    return (
      <section class="flow">
        <p>{t('cancelled')}</p>
        <BackToGroup round={round} />
      </section>
    );

  const shown: FlowScreen = screen ?? (finished ? { kind: 'summary' } : { kind: 'attendance' });
  const toStep = (i: number, by: 'next' | 'prev' | 'attendance') => timed({ kind: 'step', index: i }, ROUND_STEPS[i], by);
  const summary = finished ? () => go({ kind: 'summary' }) : undefined;

  switch (shown.kind) {
    case 'attendance': {
      const from = shown.from;
      const action = finished ? t('toSummary') : from === undefined ? t('startOpening') : t('backToStep', { step: t(`step.${ROUND_STEPS[from]}`) });
      return (
        <AttendanceScreen
          round={round}
          action={action}
          askNew={!finished && from === undefined}
          onAction={() => (finished ? go({ kind: 'summary' }) : void toStep(from ?? 0, 'attendance'))}
        />
      );
    }
    case 'step': {
      const i = shown.index;
      const step = ROUND_STEPS[i];
      return (
        <StepScreen
          round={round}
          index={i}
          notes={notes}
          draft={drafts[step] ?? ''}
          onDraft={(text) => setDrafts((d) => ({ ...d, [step]: text }))}
          onPrev={() => (i === 0 ? go({ kind: 'attendance', from: 0 }) : void toStep(i - 1, 'prev'))}
          onNext={() => void (i < ROUND_STEPS.length - 1 ? toStep(i + 1, 'next') : timed({ kind: 'evaluation' }, 'uitloop', 'next'))}
          onAttendance={() => go({ kind: 'attendance', from: i })}
          onSummary={summary}
        />
      );
    }
    case 'evaluation':
      return (
        <EvaluationScreen
          round={round}
          evaluation={evaluation}
          onPrev={() => void toStep(ROUND_STEPS.length - 1, 'prev')}
          onEnd={finished ? undefined : end}
          onSummary={summary}
        />
      );
    case 'summary':
      return (
        <SummaryScreen
          round={round}
          onAttendance={() => go({ kind: 'attendance' })}
          onStep={(i) => go({ kind: 'step', index: i })}
          onEvaluation={() => go({ kind: 'evaluation' })}
        />
      );
  }
}

function BackToGroup({ round }: { round: Round }) {
  const t = useT(dict);
  if (!round.groupId) return null;
  return (
    <a class="btn" href={`#/groep/${encodeURIComponent(round.groupId)}`}>
      {t('backGroup')}
    </a>
  );
}
