// One of the five steps: a short prompt, the round-form fields of that step, notes, and the way on.
import { useEffect, useRef } from 'preact/hooks';
import { ROUND_STEPS, type RoundStep } from '../../shared/method';
import type { Note, Round } from '../../shared/schema';
import { useT } from '../i18n';
import { dict } from './dict';
import { StepNotes } from './Notes';
import { RulesButton } from './RulesCard';
import { ChosenTheme, SavedText, Strategies, ThemesRaised, WerkvormPicker } from './RoundFields';

export function StepScreen(props: {
  round: Round;
  index: number;
  notes: Note[];
  draft: string;
  onDraft: (text: string) => void;
  onPrev: () => void;
  onNext: () => void;
  onAttendance: () => void;
  /** Set when reviewing a finished round: a way back to its summary. */
  onSummary?: () => void;
}) {
  const t = useT(dict);
  const { round, index } = props;
  const step = ROUND_STEPS[index];
  const heading = useRef<HTMLHeadingElement>(null);
  // A new step is a new page for screen readers: announce it by moving focus to its title.
  useEffect(() => heading.current?.focus(), [index]);
  const last = index === ROUND_STEPS.length - 1;
  return (
    <section class="flow" key={step}>
      <p class="step-of">{t('stepOf', { n: index + 1, total: ROUND_STEPS.length })}</p>
      <h1 ref={heading} tabIndex={-1}>
        {t(`step.${step}`)}
      </h1>
      <div class="row tools">
        <RulesButton />
        <a class="btn" href={`#/ronde/${encodeURIComponent(round.id)}/timer`}>
          {t('timer')}
        </a>
        <button type="button" onClick={props.onAttendance}>
          {t('toAttendance')}
        </button>
      </div>
      <section class="card prompt" aria-label={t('prompt')}>
        <ul>
          {t(`p.${step}`)
            .split('|')
            .map((line) => (
              <li key={line}>{line}</li>
            ))}
        </ul>
      </section>
      <StepFields round={round} step={step} />
      <StepNotes round={round} step={step} notes={props.notes} draft={props.draft} onDraft={props.onDraft} />
      <div class="flow-nav">
        <button type="button" class="prev" onClick={props.onPrev}>
          {t('prev')}
        </button>
        <button type="button" class="primary big" onClick={props.onNext}>
          {last ? t('toEvaluation') : t('next')}
        </button>
      </div>
      {props.onSummary && (
        <button type="button" class="big" onClick={props.onSummary}>
          {t('toSummary')}
        </button>
      )}
    </section>
  );
}

function StepFields({ round, step }: { round: Round; step: RoundStep }) {
  const t = useT(dict);
  switch (step) {
    case 'opening':
      return (
        <section class="card">
          <WerkvormPicker round={round} />
        </section>
      );
    case 'verhaalkeuze':
      return (
        <section class="card stack">
          <ThemesRaised round={round} />
          <ChosenTheme round={round} />
        </section>
      );
    case 'verdieping':
      return null;
    case 'verbreding':
      return (
        <section class="card stack">
          <SavedText round={round} field="mote" label={t('mote')} value={round.mote ?? ''} max={300} multiline />
          <Strategies round={round} />
        </section>
      );
    case 'afsluiting':
      return (
        <section class="card">
          <SavedText round={round} field="closingWords" label={t('closingWords')} value={round.closingWords ?? ''} max={500} multiline />
        </section>
      );
  }
}
