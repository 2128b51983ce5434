// The API client and the session.
//
// The access token lives in this module's memory only. The refresh token
// is single use: every refreshSession returns a new one and retires the
// old, and presenting a retired one again ends the whole session (the API
// takes it for a stolen token). So it is also kept in memory while the page
// is open, and parked in this tab's sessionStorage only across a reload:
// written on pagehide, taken back and removed at start. A duplicated or
// newly opened tab therefore never holds a token this tab will rotate, and
// closing the tab forgets it. One refresh runs at a time.
import { ApiError, codeOfStatus } from './errors.js';

const PARKING = 'advocacy.dashboard.refreshToken';
/** Refresh this long before the access token expires, for clock drift. */
const EARLY_MS = 30_000;

const USER = 'user { id displayName email language roles }';
const LOGIN = `mutation SignIn($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken refreshToken expiresIn ${USER} } }`;
const REFRESH = `mutation Refresh($token: String!) {
  refreshSession(refreshToken: $token) { accessToken refreshToken expiresIn ${USER} } }`;
const LOGOUT = 'mutation SignOut($token: String!) { logout(refreshToken: $token) }';

let access = null; // { token, expiresAt } (expiresAt on this browser's clock)
let refreshToken = null;
let refreshing = null;
let user = null;
const ended = new Set();

addEventListener('pagehide', () => {
  if (refreshToken) sessionStorage.setItem(PARKING, refreshToken);
});
addEventListener('pageshow', (event) => {
  // Back from the back-forward cache: this page still holds the token.
  if (event.persisted) sessionStorage.removeItem(PARKING);
});

/** Called with a reason when the session ends without the user signing out. */
export function onSessionEnded(f) {
  ended.add(f);
  return () => ended.delete(f);
}

export function currentUser() {
  return user;
}

function adopt(payload) {
  access = { token: payload.accessToken, expiresAt: Date.now() + payload.expiresIn * 1000 };
  refreshToken = payload.refreshToken;
  user = payload.user;
  return user;
}

function forget() {
  access = null;
  refreshToken = null;
  user = null;
  sessionStorage.removeItem(PARKING);
}

function endSession(reason) {
  forget();
  ended.forEach((f) => f(reason));
}

async function post(query, variables, token) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json;q=0.9',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError({ code: 'NETWORK' });
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError({ code: codeOfStatus(response.status), status: response.status });
  }
  const first = body?.errors?.[0];
  if (first) {
    const ext = first.extensions ?? {};
    throw new ApiError({
      code: ext.code ?? codeOfStatus(response.status),
      reason: ext.reason ?? null,
      message: first.message,
      status: response.status,
      retryAfterSeconds: ext.retryAfterSeconds ?? null,
    });
  }
  if (!response.ok) {
    throw new ApiError({ code: codeOfStatus(response.status), status: response.status });
  }
  return body.data;
}

/**
 * The access token sent was refused: expired (TOKEN_EXPIRED, or no reason
 * from servers that give none) or otherwise no longer good. A refresh
 * settles it or ends the session; a failed sign-in is another matter.
 */
function refused(err) {
  return err instanceof ApiError && err.code === 'UNAUTHENTICATED' && err.reason !== 'INVALID_CREDENTIALS';
}

/** Rotates the refresh token; concurrent callers share one rotation. */
function refresh() {
  if (refreshing) return refreshing;
  const token = refreshToken;
  if (!token) {
    endSession('TOKEN_MISSING');
    return Promise.reject(new ApiError({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' }));
  }
  refreshing = post(REFRESH, { token })
    .then((data) => adopt(data.refreshSession))
    .catch((err) => {
      if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') {
        endSession('TOKEN_EXPIRED');
        throw new ApiError({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
      }
      throw err;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

async function freshToken() {
  if (refreshing) await refreshing;
  if (!access || Date.now() > access.expiresAt - EARLY_MS) await refresh();
  return access.token;
}

/** Runs a GraphQL operation as the signed-in user; refreshes once on expiry. */
export async function gql(query, variables = {}) {
  const token = await freshToken();
  try {
    return await post(query, variables, token);
  } catch (err) {
    if (!refused(err)) throw err;
    // Another request may have rotated the tokens meanwhile.
    if (!access || access.token === token) await refresh();
    try {
      return await post(query, variables, access.token);
    } catch (again) {
      if (refused(again)) endSession(again.reason ?? 'TOKEN_EXPIRED');
      throw again;
    }
  }
}

export async function signIn(email, password) {
  const data = await post(LOGIN, { email, password });
  return adopt(data.login);
}

/** Takes back a session parked by this tab before a reload, if any. */
export async function restore() {
  const parked = sessionStorage.getItem(PARKING);
  sessionStorage.removeItem(PARKING);
  if (!parked) return null;
  refreshToken = parked;
  try {
    return await refresh();
  } catch {
    forget();
    return null;
  }
}

export async function signOut() {
  const token = refreshToken;
  forget();
  if (token) {
    try {
      await post(LOGOUT, { token });
    } catch {
      // Signed out here either way; the session expires on its own.
    }
  }
}

/** Fetches a file of the API with the access token and saves it. */
export async function download(path, fallbackName) {
  const get = (token) => fetch(path, { headers: { authorization: `Bearer ${token}` } });
  let response;
  try {
    response = await get(await freshToken());
    if (response.status === 401) {
      await refresh();
      response = await get(access.token);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError({ code: 'NETWORK' });
  }
  if (!response.ok) {
    const text = (await response.text()).trim();
    throw new ApiError({ code: codeOfStatus(response.status), status: response.status, message: text });
  }
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
