// The period a report covers: a preset of the last N UTC days ending today,
// or a custom from..to, kept in the address so a reload or a link keeps it.

export const PRESETS = [7, 30, 90, 365];
const DEFAULT_DAYS = 30;
const MAX_SPAN_DAYS = 366;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}

export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function spanDays(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function validRange(from, to) {
  return (
    DAY.test(from || '') &&
    DAY.test(to || '') &&
    !Number.isNaN(Date.parse(`${from}T00:00:00Z`)) &&
    !Number.isNaN(Date.parse(`${to}T00:00:00Z`)) &&
    from <= to &&
    spanDays(from, to) <= MAX_SPAN_DAYS
  );
}

export function lastDays(days) {
  const to = todayUtc();
  return { from: addDays(to, -(days - 1)), to, days };
}

/** The range the address asks for. */
export function rangeOf(params) {
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && validRange(from, to)) return { from, to, days: null };
  const days = Number(params.get('days'));
  return lastDays(PRESETS.includes(days) ? days : DEFAULT_DAYS);
}

/** The address parameters of a range. */
export function rangeParams(range) {
  return range.days ? { days: String(range.days) } : { from: range.from, to: range.to };
}
