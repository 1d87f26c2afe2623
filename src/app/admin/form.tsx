// Form helpers for the coördinator screens: a labelled field with its Dutch error, and zod issues mapped to fields.
import type { ComponentChildren } from 'preact';
import { ValidationError } from '../../shared/schema';
import { WriteError } from '../../data/write';

export type Errors = Record<string, string>;

/** The first message per top-level field; an error that belongs to no field lands under '' (shown above the buttons). */
export function errorsOf(e: unknown): Errors {
  const cause = e instanceof WriteError ? e.cause : e;
  if (cause instanceof ValidationError) {
    const out: Errors = {};
    for (const i of cause.issues) {
      const key = i.path.split('.')[0] ?? '';
      out[key] ??= i.message;
    }
    return out;
  }
  return { '': (e as Error).message };
}

export function invalid(id: string, error: string | undefined) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-err` } : {};
}

export function Field(props: { id: string; label: string; error?: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && <p class="muted admin-hint">{props.hint}</p>}
      {props.children}
      {props.error && (
        <p class="field-error" id={`${props.id}-err`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A message that belongs to the whole form, read out when it appears. */
export function FormError(props: { error?: string }) {
  return props.error ? (
    <p class="field-error" role="alert">
      {props.error}
    </p>
  ) : null;
}
