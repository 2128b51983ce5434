// Every error code the API may answer, as a sentence a person understands.
import { t, has } from './i18n.js';

/** An error from the API (or from reaching it), with the contract's code. */
export class ApiError extends Error {
  constructor({ code, reason = null, message = '', status = 0, retryAfterSeconds = null }) {
    super(message || code);
    this.code = code;
    this.reason = reason;
    this.detail = message;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The sentence to show for `err` (an ApiError or anything thrown). */
export function describe(err) {
  if (!(err instanceof ApiError)) {
    return t('error.UNKNOWN', { code: err?.name || 'Error' });
  }
  const { code, reason } = err;
  if (code === 'UNAUTHENTICATED' && reason && has(`error.${reason}`)) {
    return t(`error.${reason}`);
  }
  if (code === 'BAD_USER_INPUT') {
    // The API's own words name the field; they are in English.
    const detail = (err.detail || '').replace(/[.\s]+$/, '');
    return detail ? t('error.BAD_USER_INPUT', { detail }) : t('error.BAD_USER_INPUT.plain');
  }
  if (code === 'RATE_LIMITED') {
    return err.retryAfterSeconds
      ? t('error.RATE_LIMITED', { minutes: Math.max(1, Math.ceil(err.retryAfterSeconds / 60)) })
      : t('error.RATE_LIMITED.plain');
  }
  if (code === 'HTTP') {
    return t('error.HTTP', { status: err.status });
  }
  if (has(`error.${code}`)) {
    return t(`error.${code}`);
  }
  return t('error.UNKNOWN', { code });
}

/** The code a failed plain HTTP request (the CSV export) stands for. */
export function codeOfStatus(status) {
  return (
    {
      400: 'BAD_USER_INPUT',
      401: 'UNAUTHENTICATED',
      403: 'FORBIDDEN',
      404: 'NOT_FOUND',
      409: 'CONFLICT',
      429: 'RATE_LIMITED',
    }[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'HTTP')
  );
}
