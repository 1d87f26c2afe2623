// The names of the timer steps in both languages, shared by the timer and the step plan editor.
import type { TimerStep } from '../../shared/method';
import type { Dict } from '../i18n';

export const stepDict: Dict<TimerStep> = {
  nl: {
    inloop: 'Inloop',
    opening: 'Opening',
    verhaalkeuze: 'Verhaalkeuze',
    verdieping: 'Verdieping',
    verbreding: 'Verbreding',
    afsluiting: 'Afsluiting',
    uitloop: 'Uitloop',
  },
  en: {
    inloop: 'Walk-in',
    opening: 'Opening',
    verhaalkeuze: 'Choosing the story',
    verdieping: 'Deepening',
    verbreding: 'Broadening',
    afsluiting: 'Closing',
    uitloop: 'Wind-down',
  },
};
