// The page's own routes under /dashboard/ (the server answers index.html for each of them), kept
// in the address bar so reload, back and forward work and a page can be linked to.
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/dashboard/';

export const PAGES = [
  { page: 'overview', path: '', label: 'Overview' },
  { page: 'inbox', path: 'inbox', label: 'Inbox' },
  { page: 'conversations', path: 'conversations', label: 'Conversations' },
  { page: 'faq', path: 'faq', label: 'FAQ editor' },
  { page: 'templates', path: 'templates', label: 'AI templates' },
  { page: 'questions', path: 'questions', label: 'Questions to teach' },
  { page: 'escalations', path: 'escalations', label: 'Escalations' },
  { page: 'payments', path: 'payments', label: 'Payments' },
  { page: 'settings', path: 'settings', label: 'Settings' },
  { page: 'team', path: 'team', label: 'Team' },
] as const;

export type PageName = (typeof PAGES)[number]['page'];

export interface Route {
  page: PageName;
  /** The customer of a conversation thread (conversations/<phone>, inbox/<phone>); null elsewhere. */
  phone: string | null;
}

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : '';
  const [first = '', second] = rest.split('/').filter(Boolean);
  const known = PAGES.find((p) => p.path === first);
  if (!known) return { page: 'overview', phone: null };
  const phone =
    (known.page === 'conversations' || known.page === 'inbox') && second && /^\d{5,20}$/.test(second) ? second : null;
  return { page: known.page, phone };
}

export function hrefOf(page: PageName, phone: string | null = null): string {
  const path = PAGES.find((p) => p.page === page)?.path ?? '';
  return `${BASE}${path}${phone ? `/${phone}` : ''}`;
}

const listeners = new Set<() => void>();
let listeningToHistory = false;

export function navigate(href: string): void {
  if (href === location.pathname) return;
  history.pushState(null, '', href);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    // Back and forward buttons: registered on first use, so importing this file touches no browser API.
    if (!listeningToHistory) {
      window.addEventListener('popstate', () => {
        for (const listener of listeners) listener();
      });
      listeningToHistory = true;
    }
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return route;
}

/** onClick for in-page links: ordinary clicks move without a page load; modified ones open tabs as usual. */
export function linkClick(event: MouseEvent, href: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  event.preventDefault();
  navigate(href);
}
