// Pieces every page uses: data loading with its states, errors, headers,
// figures, the period picker and scrollable tables.
import { html, useState, useEffect, useRef, useCallback } from './lib.js';
import { gql } from './api.js';
import { describe } from './errors.js';
import { t, fmt } from './i18n.js';
import { PRESETS, validRange, lastDays } from './range.js';

/** The product's mark, from the same versioned assets as this module. */
export const LOGO = new URL('../favicon.svg', import.meta.url).href;

/**
 * Runs `query` with `variables` whenever they change. Keeps the last data
 * while a new answer is on its way (so a figure never blinks to empty) and
 * ignores answers that arrive after a newer request.
 */
export function useQuery(query, variables, { skip = false } = {}) {
  const key = JSON.stringify(variables ?? {});
  const [state, setState] = useState({ data: null, error: null, loading: !skip, key: null });
  const seq = useRef(0);
  const run = useCallback(() => {
    if (skip) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    gql(query, JSON.parse(key)).then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false, key }),
      (error) => mine === seq.current && setState((s) => ({ ...s, error, loading: false })),
    );
  }, [query, key, skip]);
  useEffect(run, [run]);
  return { ...state, reload: run, fresh: state.key === key && !state.loading };
}

/** Shown only when loading takes longer than a moment, so fast pages never flicker. */
export function Loading({ label }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), 150);
    return () => clearTimeout(timer);
  }, []);
  return html`<div class="loading" role="status" aria-live="polite">
    ${shown && html`<span class="spinner" aria-hidden="true"></span><span>${label ?? t('app.loading')}</span>`}
  </div>`;
}

export function ErrorNotice({ error, onRetry }) {
  if (!error) return null;
  return html`<div class="notice notice-error" role="alert">
    <p>${describe(error)}</p>
    ${onRetry && html`<button type="button" class="button secondary small" onClick=${onRetry}>${t('app.retry')}</button>`}
  </div>`;
}

export function Notice({ kind = 'info', children }) {
  return html`<div class=${`notice notice-${kind}`} role="status">${children}</div>`;
}

/** The page's title: names the browser tab and takes focus on arrival, for screen readers and keyboards. */
export function PageHeader({ title, lead, children }) {
  const heading = useRef(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return html`<header class="page-header">
    <div>
      <h1 tabindex="-1" ref=${heading}>${title}</h1>
      ${lead && html`<p class="lead">${lead}</p>`}
    </div>
    ${children && html`<div class="page-actions">${children}</div>`}
  </header>`;
}

/** A headline figure; `data-value` holds the API's raw value. */
export function Figure({ id, label, value, display, note, tone }) {
  return html`<div class=${`figure ${tone ? `figure-${tone}` : ''}`} id=${id} data-value=${String(value)}>
    <div class="figure-label">${label}</div>
    <div class="figure-value">${display}</div>
    ${note && html`<div class="figure-note">${note}</div>`}
  </div>`;
}

export function TableWrap({ label, children }) {
  return html`<div class="table-wrap" role="region" aria-label=${label} tabindex="0">${children}</div>`;
}

export function Section({ title, id, note, actions, children, wide }) {
  const headingId = `${id}-title`;
  return html`<section class=${`card ${wide ? 'card-wide' : ''}`} id=${id} aria-labelledby=${headingId}>
    <div class="card-head">
      <h2 id=${headingId}>${title}</h2>
      ${actions}
    </div>
    ${note && html`<p class="muted">${note}</p>`}
    ${children}
  </section>`;
}

/** Presets of the last 7, 30, 90 or 365 days, or a custom range. */
export function RangePicker({ range, onChange }) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    setFrom(range.from);
    setTo(range.to);
  }, [range.from, range.to]);
  const apply = (event) => {
    event.preventDefault();
    if (!validRange(from, to)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    onChange({ from, to, days: null });
  };
  return html`<div class="range" role="group" aria-label=${t('range.label')}>
    <div class="segmented">
      ${PRESETS.map(
        (n) => html`<button
          type="button"
          class="segment"
          data-days=${n}
          aria-pressed=${range.days === n ? 'true' : 'false'}
          aria-label=${t('range.days', { n })}
          onClick=${() => onChange(lastDays(n))}
        >
          ${t('range.daysShort', { n })}
        </button>`,
      )}
    </div>
    <form class="range-custom" onSubmit=${apply}>
      <label>
        <span>${t('range.from')}</span>
        <input type="date" name="from" value=${from} onInput=${(e) => setFrom(e.currentTarget.value)} required />
      </label>
      <label>
        <span>${t('range.to')}</span>
        <input type="date" name="to" value=${to} onInput=${(e) => setTo(e.currentTarget.value)} required />
      </label>
      <button type="submit" class="button secondary small">${t('range.apply')}</button>
    </form>
    ${invalid && html`<p class="field-error" role="alert">${t('range.invalid')}</p>`}
    <p class="range-shown" id="range-shown" data-from=${range.from} data-to=${range.to}>
      ${t('range.shown', { from: fmt.day(range.from), to: fmt.day(range.to) })}
    </p>
  </div>`;
}

export function StatusBadge({ kind, value, label }) {
  return html`<span class=${`badge badge-${kind}-${value.toLowerCase()}`}>${label}</span>`;
}
