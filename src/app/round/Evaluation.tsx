// The begeleiders' short evaluation after the afsluiting, the duration the report will count, and the button that ends the round.
import { useEffect, useRef, useState } from 'preact/hooks';
import { saveEvaluation } from '../../data/actions';
import { validDuration } from '../../shared/duration';
import { lazyScreen } from '../lazy';
import { ValidationError } from '../../shared/records';
import type { Evaluation, Round } from '../../shared/schema';
import { useT } from '../i18n';
import { showToast } from '../toast';
import { dict } from './dict';

type Score = 'atmosphere' | 'safety';
type Text = 'wentWell' | 'improve' | 'support';
type Form = Record<Score, number | null> & Record<Text, string>;

const EMPTY: Form = { atmosphere: null, safety: null, wentWell: '', improve: '', support: '' };

/** Needed only at the close, so a round opens without it (it is precached for offline use like every chunk). */
const DurationField = lazyScreen(() => import('./Duration').then((m) => m.DurationField), '…');

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
              autocomplete="off"
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
                if (duration !== null && !validDuration(duration)) return;
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

