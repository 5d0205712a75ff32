// Keeps the inbox current: signed in with a session cookie, the server's event stream (GET
// /tenants/{id}/events) says when something happened; a token cannot ride on an EventSource, so the
// administrator's view looks again every few seconds instead.
import { useEffect, useRef, useState } from 'preact/hooks';
import { API_PREFIX, type ApiClient } from './apiClient.js';

const POLL_MS = 5_000;
const SETTLE_MS = 150;

export function useInboxEvents(
  client: ApiClient,
  tenantId: string,
  onChange: () => void,
): 'live' | 'connecting' | 'polling' {
  const latest = useRef(onChange);
  latest.current = onChange;
  const [state, setState] = useState<'live' | 'connecting' | 'polling'>(client.usesSession ? 'connecting' : 'polling');

  useEffect(() => {
    if (!client.usesSession) {
      const timer = setInterval(() => latest.current(), POLL_MS);
      return () => clearInterval(timer);
    }
    // A burst of events (an answer in three parts) makes one reload.
    let pending: ReturnType<typeof setTimeout> | null = null;
    const changed = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = null;
        latest.current();
      }, SETTLE_MS);
    };
    const source = new EventSource(`${API_PREFIX}/tenants/${tenantId}/events`);
    source.onopen = () => {
      setState('live');
      // Whatever happened while the stream was down is read again.
      changed();
    };
    source.onerror = () => setState('connecting');
    for (const type of ['message', 'status', 'conversation']) source.addEventListener(type, changed);
    return () => {
      source.close();
      if (pending) clearTimeout(pending);
    };
  }, [client, tenantId]);
  return state;
}
