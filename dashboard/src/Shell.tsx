// The signed-in page: header (tenant name, or the administrator's tenant switcher, and sign out),
// the section menu, and the section itself for the one tenant in view.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './apiClient.js';
import type { MeView } from './apiTypes.js';
import { ConversationsPage } from './ConversationsPage.js';
import { EscalationsPage } from './EscalationsPage.js';
import { FaqPage } from './FaqPage.js';
import { InboxPage } from './InboxPage.js';
import { TeamPage } from './TeamPage.js';
import { OverviewPage } from './OverviewPage.js';
import { PaymentsPage } from './PaymentsPage.js';
import type { PageProps } from './pageProps.js';
import { QuestionsPage } from './QuestionsPage.js';
import { hrefOf, linkClick, PAGES, useRoute, type Route } from './router.js';
import { session } from './session.js';
import { SettingsPage } from './SettingsPage.js';
import { TemplatesPage } from './TemplatesPage.js';
import { TenantSwitcher, type TenantChoice } from './TenantSwitcher.js';

export interface ShellProps {
  /** null: signed in with email and password (the session cookie). */
  token: string | null;
  me: MeView;
  onSignOut: (reason: string | null) => void;
}

export function Shell({ token, me, onSignOut }: ShellProps) {
  const client = useMemo(
    () =>
      new ApiClient(token, () =>
        onSignOut('Your session ended (signed out elsewhere, or the key was revoked): sign in again.'),
      ),
    [token],
  );
  const route = useRoute();
  // A tenant key always shows its own tenant, whatever the tab remembered; only the administrator chooses.
  const [tenant, setTenant] = useState<TenantChoice | null>(() => {
    if (me.role === 'tenant') return { id: me.tenant_id, name: me.tenant_name };
    // An escalation notice's link names the tenant (?tenant=…) for the administrator's view.
    const linked = new URLSearchParams(location.search).get('tenant');
    const remembered = linked && /^[0-9a-f-]{36}$/i.test(linked) ? linked : session.tenant();
    return remembered ? { id: remembered, name: '' } : null;
  });
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const label = PAGES.find((p) => p.page === route.page)?.label ?? 'Overview';
  // An agent answers customers: the server refuses them the team and the settings, so the menu does too.
  const isAgent = me.role === 'tenant' && me.user?.role === 'agent';
  const pages = PAGES.filter((p) => !(isAgent && (p.page === 'team' || p.page === 'settings')));

  useEffect(() => {
    document.title = `${label}${tenant?.name ? ` · ${tenant.name}` : ''} · Alphadome`;
    // After moving to another section, a screen reader starts at its content, not at the menu.
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [route.page, route.phone]);

  const choose = (choice: TenantChoice) => {
    session.setTenant(choice.id);
    setTenant(choice);
  };

  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href={hrefOf('overview')} onClick={(e) => linkClick(e, hrefOf('overview'))}>
          Alphadome
        </a>
        {me.role === 'tenant' ? (
          <p class="tenant-name">
            {me.tenant_name}
            {me.user && <span class="muted"> · {me.user.name}</span>}
          </p>
        ) : (
          <TenantSwitcher client={client} selected={tenant?.id ?? null} onSelect={choose} />
        )}
        <button type="button" class="sign-out" onClick={() => onSignOut(null)}>
          Sign out
        </button>
      </header>
      <nav class="sections" aria-label="Sections">
        <ul>
          {pages.map((p) => {
            const href = hrefOf(p.page);
            return (
              <li key={p.page}>
                <a
                  href={href}
                  aria-current={route.page === p.page ? 'page' : undefined}
                  onClick={(e) => linkClick(e, href)}
                >
                  {p.label}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <main ref={main} tabIndex={-1}>
        {tenant ? (
          <Section key={tenant.id} route={route} client={client} tenantId={tenant.id} me={me} />
        ) : (
          <p class="muted">Choose a tenant above.</p>
        )}
      </main>
    </div>
  );
}

function Section({ route, me, ...props }: PageProps & { route: Route; me: MeView }) {
  switch (route.page) {
    case 'conversations':
      return <ConversationsPage {...props} phone={route.phone} />;
    case 'faq':
      return <FaqPage {...props} />;
    case 'templates':
      return <TemplatesPage {...props} />;
    case 'questions':
      return <QuestionsPage {...props} />;
    case 'escalations':
      return <EscalationsPage {...props} />;
    case 'payments':
      return <PaymentsPage {...props} />;
    case 'settings':
      return <SettingsPage {...props} me={me} />;
    case 'inbox':
      return <InboxPage {...props} phone={route.phone} me={me} />;
    case 'team':
      return <TeamPage {...props} me={me} />;
    default:
      return <OverviewPage {...props} />;
  }
}
