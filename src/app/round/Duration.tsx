// What the report will count for a round, shown above "Ronde afsluiten": the proposal and a one-tap correction.
import { useEffect, useState } from 'preact/hooks';
import { useLive } from '../../data/live';
import { firstTimerStart, roundTimings } from '../../data/round-queries';
import { MAX_DURATION, proposeDuration, validDuration } from '../../shared/duration';
import type { Round } from '../../shared/schema';
import { useT } from '../i18n';

const dict = {
  nl: {
    durTitle: 'Duur voor het jaarverslag',
    durMeasured: 'Gemeten vanaf de eerste stap: {d}.',
    'dur.plan-short': 'Gemeten: {measured}, minder dan de helft van de planning. Voorgesteld: de planning ({plan}).',
    'dur.plan-long': 'Gemeten: {measured}, meer dan anderhalf keer de planning. Voorgesteld: de planning ({plan}).',
    'dur.plan-afterwards': 'Deze ronde is achteraf ingevuld (gemeten: {measured}). Voorgesteld: de planning ({plan}).',
    durClock: 'gemeten {d}',
    durPlan: 'planning {d}',
    durMinutes: 'Duur in minuten',
    durInvalid: 'Vul een duur in van 1 tot {max} minuten.',
    durCounts: 'Telt als {d}. Afsluiten bevestigt deze duur.',
    unknown: 'onbekend',
    minutes: '{m} min',
    hours: '{h} u {m} min',
  },
  en: {
    durTitle: 'Duration for the annual report',
    durMeasured: 'Measured from the first step: {d}.',
    'dur.plan-short': 'Measured: {measured}, less than half the plan. Proposed: the plan ({plan}).',
    'dur.plan-long': 'Measured: {measured}, more than one and a half times the plan. Proposed: the plan ({plan}).',
    'dur.plan-afterwards': 'This round was filled in afterwards (measured: {measured}). Proposed: the plan ({plan}).',
    durClock: 'measured {d}',
    durPlan: 'plan {d}',
    durMinutes: 'Duration in minutes',
    durInvalid: 'Enter a duration of 1 to {max} minutes.',
    durCounts: 'Counts as {d}. Ending the round confirms it.',
    unknown: 'unknown',
    minutes: '{m} min',
    hours: '{h} h {m} min',
  },
};

/** A measured time that cannot be the real round (see proposeDuration) proposes the plan; one tap picks the other. */
export function DurationField(props: { round: Round; chosen: number | null; onChoose: (m: number | null) => void }) {
  const t = useT(dict);
  const timings = useLive(() => roundTimings(props.round.id), [props.round.id], []);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 20_000);
    return () => clearInterval(id);
  }, []);
  const p = proposeDuration(props.round, firstTimerStart(timings), now);
  const minutes = props.chosen ?? p.minutes;
  const invalid = props.chosen !== null && !validDuration(props.chosen);
  const fmt = (m: number) => (m < 60 ? t('minutes', { m }) : t('hours', { h: Math.floor(m / 60), m: m % 60 }));
  const why =
    p.source === 'measured'
      ? t('durMeasured', { d: fmt(p.measured!) })
      : t(`dur.${p.source}`, { measured: p.measured === null ? t('unknown') : fmt(p.measured), plan: fmt(p.planned) });
  const options = p.measured !== null && p.measured > 0 && p.measured !== p.planned ? [p.measured, p.planned] : [p.planned];
  return (
    <fieldset class="card duration">
      <legend>{t('durTitle')}</legend>
      <p class="muted small">{why}</p>
      {options.length > 1 && (
        <div class="chips">
          {options.map((m) => (
            <label key={m} class="chip">
              <input type="radio" name="duration" checked={minutes === m} onChange={() => props.onChoose(m)} />
              {m === p.planned ? t('durPlan', { d: fmt(m) }) : t('durClock', { d: fmt(m) })}
            </label>
          ))}
        </div>
      )}
      <div class="field">
        <label for="dur-min">{t('durMinutes')}</label>
        <input
          id="dur-min"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_DURATION}
          value={Number.isNaN(minutes) ? '' : minutes}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby="dur-err"
          onInput={(e) => props.onChoose(e.currentTarget.value === '' ? NaN : Number(e.currentTarget.value))}
        />
        <p id="dur-err" class="field-error" role={invalid ? 'alert' : undefined}>
          {invalid ? t('durInvalid', { max: MAX_DURATION }) : ''}
        </p>
      </div>
      <p id="dur-counts">
        <strong>{invalid ? '' : t('durCounts', { d: fmt(minutes) })}</strong>
      </p>
    </fieldset>
  );
}
