// After the round: who came, who was new, how long it took, and the way back into its form, notes and evaluation.
import { roundSummary } from '../../data/round-queries';
import { useLive } from '../../data/live';
import { ROUND_STEPS } from '../../shared/method';
import type { Round } from '../../shared/schema';
import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../i18n';
import { dict } from './dict';

export function SummaryScreen(props: {
  round: Round;
  onAttendance: () => void;
  onStep: (index: number) => void;
  onEvaluation: () => void;
}) {
  const t = useT(dict);
  const { round } = props;
  const sum = useLive(() => roundSummary(round), [round]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const duration = sum?.durationMs == null ? t('unknownDuration') : formatDuration(sum.durationMs, t);
  return (
    <section class="flow">
      <h1 ref={heading} tabIndex={-1}>
        {t('summary')}
      </h1>
      <p>{round.status === 'afgerond' ? t('finished') : t('running')}</p>
      {sum && (
        <dl class="summary">
          <div>
            <dt>{t('sumPresent')}</dt>
            <dd>{sum.present}</dd>
          </div>
          <div>
            <dt>{t('sumNew')}</dt>
            <dd>{sum.newcomers}</dd>
          </div>
          <div>
            <dt>{t('sumDuration')}</dt>
            <dd>{duration}</dd>
          </div>
          <div>
            <dt>{t('sumNotes')}</dt>
            <dd>{sum.notes}</dd>
          </div>
        </dl>
      )}
      <p class="muted">{t('syncLater')}</p>
      {round.groupId && (
        <a class="btn primary big" href={`#/groep/${encodeURIComponent(round.groupId)}`}>
          {t('backGroup')}
        </a>
      )}
      <h2>{t('review')}</h2>
      <div class="review">
        <button type="button" onClick={props.onAttendance}>
          {t('attendance')}
        </button>
        {ROUND_STEPS.map((s, i) => (
          <button key={s} type="button" onClick={() => props.onStep(i)}>
            {t(`step.${s}`)}
          </button>
        ))}
        <button type="button" onClick={props.onEvaluation}>
          {t('evaluation')}
        </button>
      </div>
    </section>
  );
}

function formatDuration(ms: number, t: (k: 'durationValue' | 'durationMinutes', v: Record<string, number>) => string): string {
  const min = Math.round(ms / 60_000);
  return min < 60 ? t('durationMinutes', { m: min }) : t('durationValue', { h: Math.floor(min / 60), m: min % 60 });
}
