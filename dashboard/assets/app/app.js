// The dashboard: the session, the frame (header, navigation) and the page
// for the address, each page open to the roles the API lets use it.
import { html, useState, useEffect } from './lib.js';
import { restore, signOut, onSessionEnded } from './api.js';
import { t, setLanguage, onLanguage, language } from './i18n.js';
import { useRoute, navigate, href } from './router.js';
import { useQuery, PageHeader, LOGO } from './ui.js';
import { SignIn } from './pages/signin.js';
import { Overview } from './pages/overview.js';
import { Engagement } from './pages/engagement.js';
import { Programme } from './pages/programme.js';
import { ContentList } from './pages/content.js';
import { ContentEditor } from './pages/editor.js';
import { Settings } from './pages/settings.js';

const ANALYSTS = ['HR', 'ADMIN'];
const CURATORS = ['CURATOR', 'ADMIN'];

/** Pages in the navigation, with who may open them. */
export const PAGES = [
  { path: '/overview', label: 'nav.overview', roles: ANALYSTS, view: Overview },
  { path: '/engagement', label: 'nav.engagement', roles: ANALYSTS, view: Engagement },
  { path: '/programme', label: 'nav.programme', roles: ANALYSTS, view: Programme },
  { path: '/content', label: 'nav.content', roles: CURATORS, view: ContentList },
  { path: '/settings', label: 'nav.settings', roles: ['ADMIN'], view: Settings },
];

const allowed = (user, roles) => roles.some((r) => user.roles.includes(r));

/** The page for a path, with its roles, or null for no page. */
function pageFor(path) {
  const direct = PAGES.find((p) => p.path === path);
  if (direct) return direct;
  const item = /^\/content\/([^/]+)$/.exec(path);
  if (item) {
    const id = item[1] === 'new' ? null : decodeURIComponent(item[1]);
    return { path, roles: CURATORS, view: ContentEditor, props: { id }, nav: '/content' };
  }
  return null;
}

export function App() {
  const [session, setSession] = useState({ phase: 'restoring', user: null, notice: null });
  const [, rerender] = useState(language());
  useEffect(() => onLanguage(rerender), []);
  useEffect(() => {
    restore().then((user) => {
      if (user) setLanguage(user.language);
      setSession({ phase: user ? 'in' : 'out', user, notice: null });
    });
    return onSessionEnded(() => setSession({ phase: 'out', user: null, notice: 'signIn.ended' }));
  }, []);

  if (session.phase === 'restoring') {
    return html`<p class="boot" role="status">${t('signIn.restoring')}</p>`;
  }
  if (session.phase === 'out') {
    return html`<${SignIn}
      notice=${session.notice}
      onSignedIn=${(user) => {
        setLanguage(user.language);
        setSession({ phase: 'in', user, notice: null });
      }}
    />`;
  }
  return html`<${Shell}
    user=${session.user}
    onSignOut=${async () => {
      await signOut();
      setSession({ phase: 'out', user: null, notice: 'signIn.signedOut' });
    }}
  />`;
}

function Shell({ user, onSignOut }) {
  const route = useRoute();
  const visible = PAGES.filter((p) => allowed(user, p.roles));
  const org = useQuery('query Organization { organization { name } }', {});
  useEffect(() => {
    if ((route.path === '/' || route.path === '/sign-in') && visible.length) {
      navigate(href(visible[0].path), { replace: true });
    }
  }, [route.path]);

  const page = pageFor(route.path);
  let body;
  if (route.path === '/' || route.path === '/sign-in') {
    body = visible.length ? null : html`<${Denied} user=${user} roles=${[...ANALYSTS, 'CURATOR']} visible=${visible} />`;
  } else if (!page) {
    body = html`<${NotFound} />`;
  } else if (!allowed(user, page.roles)) {
    body = html`<${Denied} user=${user} roles=${page.roles} visible=${visible} />`;
  } else {
    const View = page.view;
    body = html`<${View} key=${route.path} user=${user} params=${route.params} ...${page.props ?? {}} />`;
  }
  const current = page?.nav ?? route.path;
  return html`<div class="shell">
    <a class="skip-link" href="#main">${t('app.skip')}</a>
    <header class="topbar">
      <a class="brand" href=${href('/')}><img class="brand-mark" src=${LOGO} alt="" />${t('app.name')}</a>
      <span class="org-name">${org.data?.organization?.name ?? ''}</span>
      <div class="user-box">
        <span class="user-name">${user.displayName}</span>
        <span class="user-roles">${user.roles.filter((r) => r !== 'EMPLOYEE').map((r) => t(`role.${r}`)).join(' · ')}</span>
        <button type="button" class="button secondary small" id="sign-out" onClick=${onSignOut}>${t('app.signOut')}</button>
      </div>
    </header>
    <nav class="sidebar" aria-label=${t('app.nav')}>
      <ul>
        ${visible.map(
          (p) => html`<li>
            <a href=${href(p.path)} aria-current=${current === p.path ? 'page' : null} data-nav=${p.path.slice(1)}>
              ${t(p.label)}
            </a>
          </li>`,
        )}
      </ul>
    </nav>
    <main id="main" class="main" tabindex="-1">${body}</main>
  </div>`;
}

function Denied({ user, roles, visible }) {
  const names = (list) => list.map((r) => t(`role.${r}`)).join(', ');
  const ambassadorOnly = !user.roles.some((r) => r !== 'EMPLOYEE');
  return html`<div class="denied" id="denied">
    <${PageHeader} title=${t('denied.title')} />
    <div class="card">
      <p>${t('denied.body', { roles: names(roles), mine: names(user.roles) })}</p>
      ${ambassadorOnly && html`<p>${t('denied.ambassador')}</p>`}
      <p>${t('denied.elsewhere')}</p>
      ${visible.length
        ? html`<ul class="link-list">
            ${visible.map((p) => html`<li><a href=${href(p.path)}>${t(p.label)}</a></li>`)}
          </ul>`
        : html`<p class="muted">${t('denied.none')}</p>`}
    </div>
  </div>`;
}

function NotFound() {
  return html`<div>
    <${PageHeader} title=${t('app.notFound.title')} />
    <div class="card">
      <p>${t('app.notFound.body')}</p>
      <p><a href=${href('/')}>${t('app.goHome')}</a></p>
    </div>
  </div>`;
}
