// Routing in the browser: every dashboard page is a path under /dashboard/
// (the server answers each with the same page), links are plain <a href>.
import { useState, useEffect } from './lib.js';

export const BASE = '/dashboard';

function current() {
  const path = location.pathname.slice(BASE.length).replace(/\/+$/, '') || '/';
  return { path, params: new URLSearchParams(location.search) };
}

export function href(path, params) {
  const query = params && [...new URLSearchParams(params)].length ? `?${new URLSearchParams(params)}` : '';
  return `${BASE}${path}${query}`;
}

export function navigate(to, { replace = false } = {}) {
  if (to === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', to);
  dispatchEvent(new Event('dashboard:navigate'));
}

export function useRoute() {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    addEventListener('popstate', update);
    addEventListener('dashboard:navigate', update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener('dashboard:navigate', update);
    };
  }, []);
  return route;
}

// Same-tab clicks on dashboard links route in place; a modified click
// (new tab, download) is left to the browser.
document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[href]');
  if (
    !link ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey ||
    link.target ||
    link.hasAttribute('download')
  ) {
    return;
  }
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(BASE)) return;
  // An anchor within this page (the skip link, an error summary) is the browser's.
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
