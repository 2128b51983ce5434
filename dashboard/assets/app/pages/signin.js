import { html, useState, useRef, useEffect } from '../lib.js';
import { signIn } from '../api.js';
import { describe } from '../errors.js';
import { t } from '../i18n.js';
import { LOGO } from '../ui.js';

/** Email and password, through the API's `login`. */
function PasswordSignIn({ onSignedIn }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const first = useRef(null);
  useEffect(() => first.current?.focus(), []);
  const submit = async (event) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError(t('signIn.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(email.trim(), password));
    } catch (err) {
      // A failed sign-in is UNAUTHENTICATED; servers that give no reason mean this one.
      if (err.code === 'UNAUTHENTICATED' && !err.reason) err.reason = 'INVALID_CREDENTIALS';
      setError(describe(err));
      setBusy(false);
    }
  };
  return html`<form class="signin-form" onSubmit=${submit} noValidate aria-describedby=${error ? 'signin-error' : null}>
    ${error && html`<div class="notice notice-error" id="signin-error" role="alert"><p>${error}</p></div>`}
    <label class="field">
      <span class="field-label">${t('signIn.email')}</span>
      <input ref=${first} type="email" name="email" autocomplete="username" value=${email}
        onInput=${(e) => setEmail(e.currentTarget.value)} required />
    </label>
    <label class="field">
      <span class="field-label">${t('signIn.password')}</span>
      <input type="password" name="password" autocomplete="current-password" value=${password}
        onInput=${(e) => setPassword(e.currentTarget.value)} required />
    </label>
    <button type="submit" class="button primary wide" disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>
      ${busy ? t('signIn.busy') : t('signIn.submit')}
    </button>
  </form>`;
}

// The ways to sign in, in the order shown. The organization's single
// sign-on (OpenID Connect through the API's signInWithIdToken) takes its
// place first in this list once the API offers it.
const METHODS = [PasswordSignIn];

export function SignIn({ notice, onSignedIn }) {
  useEffect(() => {
    document.title = `${t('signIn.title')} · ${t('app.name')}`;
  }, []);
  return html`<main class="signin" id="main">
    <div class="signin-card">
      <div class="brand brand-large"><img class="brand-mark" src=${LOGO} alt="" />${t('app.name')}</div>
      <h1>${t('signIn.title')}</h1>
      <p class="lead">${t('signIn.lead')}</p>
      ${notice && html`<div class="notice notice-info" role="status"><p>${t(notice)}</p></div>`}
      ${METHODS.map((Method) => html`<${Method} onSignedIn=${onSignedIn} />`)}
    </div>
  </main>`;
}
