// The begeleiders' short evaluation after the afsluiting, the duration the report will count, and the button that ends the round.
import { useEffect, useRef, useState } from 'preact/hooks';
import { saveEvaluation } from '../../data/actions';
import { useLive } from '../../data/live';
import { firstTimerStart, roundTimings } from '../../data/round-queries';
import { proposeDuration } from '../../shared/duration';
import { ValidationError } from '../../shared/records';
import type { Evaluation, Round } from '../../shared/schema';
import { useT } from '../i18n';
import { showToast } from '../toast';
import { dict } from './dict';

type Score = 'atmosphere' | 'safety';
type Text = 'wentWell' | 'improve' | 'support';
type Form = Record<Score, number | null> & Record<Text, string>;

const EMPTY: Form = { atmosphere: null, safety: null, wentWell: '', improve: '', support: '' };

export function EvaluationScreen(props: {
  round: Round;
  evaluation: Evaluation | null;
  onPrev: () => void;
  /** Absent for a finished round: then only saving is offered. Gets the duration the begeleider chose (null: the
   * proposal shown) and the moment of the tap. */
  onEnd?: (durationMin: number | null, at: number) => Promise<void>;
  onSummary?: () => void;
}) {
  const t = useT(dict);
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string>>>({});
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  /** Minutes typed or picked by the begeleider; null follows the proposal. */
  const [duration, setDuration] = useState<number | null>(null);
  const dirty = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const stored = props.evaluation;
  useEffect(() => {
    if (stored && !dirty.current) {
      setForm({ atmosphere: stored.atmosphere, safety: stored.safety, wentWell: stored.wentWell ?? '', improve: stored.improve ?? '', support: stored.support ?? '' });
    }
  }, [stored]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    dirty.current = true;
    setForm((f) => ({ ...f, [k]: v }));
    setSaved(false);
    setErrors((e) => ({ ...e, [k]: undefined }));
  };

  /** Stores the evaluation; true when stored or when there was nothing to store. */
  const save = async (): Promise<boolean> => {
    const touched = form.atmosphere !== null || form.safety !== null || form.wentWell.trim() || form.improve.trim() || form.support.trim();
    if (!touched) return true;
    const missing: typeof errors = {};
    if (form.atmosphere === null) missing.atmosphere = t('scoreRequired');
    if (form.safety === null) missing.safety = t('scoreRequired');
    if (missing.atmosphere || missing.safety) {
      setErrors(missing);
      return false;
    }
    try {
      await saveEvaluation(props.round, { ...form, atmosphere: form.atmosphere!, safety: form.safety! });
      dirty.current = false;
      setErrors({});
      setSaved(true);
      return true;
    } catch (e) {
      if (e instanceof ValidationError) setErrors(Object.fromEntries(e.issues.map((i) => [i.path, i.message])));
      else showToast('error', (e as Error).message);
      return false;
    }
  };

  const run = async (fn: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="flow">
      <h1 ref={heading} tabIndex={-1}>
        {t('evaluation')}
      </h1>
      <p class="muted">{t('evalIntro')}</p>
      <form
        class="card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run(save);
        }}
      >
        {(['atmosphere', 'safety'] as const).map((k) => (
          <fieldset key={k} class="scale" aria-describedby={`ev-${k}-err`}>
            <legend>{t(k)}</legend>
            <p class="muted small">{t('scaleHint')}</p>
            <div class="scale-row">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} class="scale-opt">
                  <input type="radio" name={k} value={n} checked={form[k] === n} onChange={() => set(k, n)} />
                  <span>{n}</span>
                </label>
              ))}
            </div>
            <p id={`ev-${k}-err`} class="field-error">
              {errors[k] ?? ''}
            </p>
          </fieldset>
        ))}
        {(['wentWell', 'improve', 'support'] as const).map((k) => (
          <div key={k} class="field">
            <label for={`ev-${k}`}>{t(k)}</label>
            <textarea
              id={`ev-${k}`}
              rows={2}
              value={form[k]}
              aria-invalid={errors[k] ? 'true' : undefined}
              aria-describedby={`ev-${k}-err`}
              onInput={(e) => set(k, e.currentTarget.value)}
            />
            <p id={`ev-${k}-err`} class="field-error">
              {errors[k] ?? ''}
            </p>
          </div>
        ))}
        <div class="row">
          <button type="submit" disabled={busy}>
            {t('saveEval')}
          </button>
          <span class="muted" role="status">
            {saved ? t('evalSaved') : ''}
          </span>
        </div>
      </form>
      {props.onEnd && <DurationField round={props.round} chosen={duration} onChoose={setDuration} />}
      {props.onEnd && <p class="muted">{t('endHint')}</p>}
      <div class="flow-nav">
        <button type="button" class="prev" onClick={props.onPrev}>
          {t('prev')}
        </button>
        {props.onEnd ? (
          <button
            type="button"
            class="primary big"
            disabled={busy}
            aria-describedby="dur-counts"
            onClick={() =>
              void run(async () => {
                if (duration !== null && !validMinutes(duration)) return;
                if (!(await save())) return;
                await props.onEnd!(duration, Date.now());
              })
            }
          >
            {t('endRound')}
          </button>
        ) : (
          <button type="button" class="primary big" onClick={props.onSummary}>
            {t('toSummary')}
          </button>
        )}
      </div>
    </section>
  );
}

const MAX_DURATION = 600;
const validMinutes = (m: number) => Number.isInteger(m) && m >= 1 && m <= MAX_DURATION;

/** What the report will count for this round, shown before the close so confirming it is the close itself;
 * a measured time that cannot be the real round (see proposeDuration) proposes the plan, one tap corrects it. */
function DurationField(props: { round: Round; chosen: number | null; onChoose: (m: number | null) => void }) {
  const t = useT(dict);
  const timings = useLive(() => roundTimings(props.round.id), [props.round.id], []);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 20_000);
    return () => clearInterval(id);
  }, []);
  const p = proposeDuration(props.round, firstTimerStart(timings), now);
  const minutes = props.chosen ?? p.minutes;
  const invalid = props.chosen !== null && !validMinutes(props.chosen);
  const fmt = (m: number) => (m < 60 ? t('durationMinutes', { m }) : t('durationValue', { h: Math.floor(m / 60), m: m % 60 }));
  const why =
    p.source === 'measured'
      ? t('durMeasured', { d: fmt(p.measured!) })
      : t(`dur.${p.source}`, { measured: p.measured === null ? t('unknownDuration') : fmt(p.measured), plan: fmt(p.planned) });
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
