// The live feed behind GET /tenants/{id}/events. Each tenant with open streams in this process has
// one poller that asks that tenant's own store (every query filtered by the tenant id) what changed;
// a hint (NOTIFY alphadome_inbox from any process on PostgreSQL, a direct call on PGlite) makes it
// look at once, and it also looks every pollMs, so changes written by code that sends no hint
// (the bot's answers) still arrive. An event only ever reaches the streams of the tenant it was read for.
import { errorText } from '../../domain/errorText.js';
import type { ConversationState, InboxMessage, TenantInboxStore } from './inboxPorts.js';

export type InboxEvent =
  | { type: 'message'; data: InboxMessage }
  | { type: 'status'; data: Pick<InboxMessage, 'id' | 'user_phone' | 'status' | 'whatsapp_message_id'> }
  | { type: 'conversation'; data: ConversationState };

export interface InboxStream {
  send(event: InboxEvent): void;
  end(): void;
}

export interface InboxEventsOptions {
  stores: { forTenant(tenantId: string): Pick<TenantInboxStore, 'changesSince'> };
  pollMs?: number;
  maxStreamsPerTenant?: number;
  logger: { warn(obj: object, msg: string): void };
}

// Rows written in a transaction that commits later than it began carry an older created_at: each
// look reaches this far back, and what was already told is recognised and skipped.
const OVERLAP_MS = 5_000;
const REMEMBER_MS = 60_000;

interface TenantFeed {
  streams: Set<InboxStream>;
  since: Date | null;
  /** id:status of every message told, and phone:state of every conversation state, with when. */
  told: Map<string, number>;
  known: Set<string>;
  timer: NodeJS.Timeout;
  running: Promise<void> | null;
  again: boolean;
}

export class InboxEvents {
  private readonly feeds = new Map<string, TenantFeed>();
  private readonly pollMs: number;
  private readonly maxStreams: number;

  constructor(private readonly options: InboxEventsOptions) {
    this.pollMs = options.pollMs ?? 1_000;
    this.maxStreams = options.maxStreamsPerTenant ?? 20;
  }

  /** Null when the tenant has as many streams open as it may. */
  subscribe(tenantId: string, stream: InboxStream): (() => void) | null {
    let feed = this.feeds.get(tenantId);
    if (feed && feed.streams.size >= this.maxStreams) return null;
    if (!feed) {
      const timer = setInterval(() => this.hint(tenantId), this.pollMs);
      timer.unref();
      feed = { streams: new Set(), since: null, told: new Map(), known: new Set(), timer, running: null, again: false };
      this.feeds.set(tenantId, feed);
      this.hint(tenantId);
    }
    feed.streams.add(stream);
    return () => this.unsubscribe(tenantId, stream);
  }

  /** Something of this tenant changed: look now (nothing happens for a tenant without streams here). */
  hint(tenantId: string): void {
    const feed = this.feeds.get(tenantId);
    if (!feed) return;
    if (feed.running) {
      feed.again = true;
      return;
    }
    feed.running = this.poll(tenantId, feed).finally(() => {
      feed.running = null;
      if (feed.again && this.feeds.get(tenantId) === feed) {
        feed.again = false;
        this.hint(tenantId);
      }
    });
  }

  /** Ends every stream (the server is closing). */
  close(): void {
    for (const [tenantId, feed] of this.feeds) {
      for (const stream of feed.streams) stream.end();
      clearInterval(feed.timer);
      this.feeds.delete(tenantId);
    }
  }

  streamCount(tenantId: string): number {
    return this.feeds.get(tenantId)?.streams.size ?? 0;
  }

  private unsubscribe(tenantId: string, stream: InboxStream): void {
    const feed = this.feeds.get(tenantId);
    if (!feed) return;
    feed.streams.delete(stream);
    if (feed.streams.size > 0) return;
    clearInterval(feed.timer);
    this.feeds.delete(tenantId);
  }

  private async poll(tenantId: string, feed: TenantFeed): Promise<void> {
    const first = feed.since === null;
    try {
      const since = feed.since ?? new Date(Date.now() - OVERLAP_MS);
      const changes = await this.options.stores.forTenant(tenantId).changesSince(since);
      const now = Date.now();
      const events: InboxEvent[] = [];
      for (const message of changes.messages) {
        const key = `${message.id}:${message.status}`;
        if (feed.told.has(key)) continue;
        feed.told.set(key, now);
        const isNew = !feed.known.has(message.id);
        feed.known.add(message.id);
        const { id, user_phone, status, whatsapp_message_id } = message;
        events.push(
          isNew
            ? { type: 'message', data: message }
            : { type: 'status', data: { id, user_phone, status, whatsapp_message_id } },
        );
      }
      for (const state of changes.conversations) {
        const key = `c:${state.user_phone}:${state.paused_until}:${state.assigned_user_id}`;
        if (feed.told.has(key)) continue;
        feed.told.set(key, now);
        events.push({ type: 'conversation', data: state });
      }
      feed.since = new Date(changes.now.getTime() - OVERLAP_MS);
      for (const [key, at] of feed.told) if (now - at > REMEMBER_MS) feed.told.delete(key);
      if (feed.known.size > 10_000) feed.known.clear();
      // The first look only learns what exists already: a stream tells what happens after it opened.
      if (first) return;
      for (const event of events) for (const stream of feed.streams) stream.send(event);
    } catch (err) {
      this.options.logger.warn({ tenantId, error: errorText(err) }, 'inbox feed: reading changes failed; trying again');
    }
  }
}
