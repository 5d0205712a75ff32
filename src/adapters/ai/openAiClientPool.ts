// One OpenAI SDK client per provider address and key, reused across calls (each holds its own
// connection pool), set up the same way for chat, transcription and embeddings.
import OpenAI from 'openai';

// Enough for every tenant key in use; bounds memory when keys are rotated over months.
const MAX_CACHED_CLIENTS = 200;

export class OpenAiClientPool {
  private readonly clients = new Map<string, OpenAI>();

  /** The client for this key at this address; `timeoutMs` is the SDK's per-request limit, if any. */
  get(baseURL: string, apiKey: string, timeoutMs?: number): OpenAI {
    const key = `${baseURL}\u0000${apiKey}`;
    const cached = this.clients.get(key);
    if (cached) return cached;
    if (this.clients.size >= MAX_CACHED_CLIENTS) {
      const oldest = this.clients.keys().next();
      if (!oldest.done) this.clients.delete(oldest.value);
    }
    const client = new OpenAI({
      apiKey,
      baseURL,
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
      // The caller decides what to try next (the fallback chain, the refresh job's next run):
      // retries here would stack timeouts.
      maxRetries: 0,
      // Explicit nulls stop the SDK from reading OPENAI_ORG_ID etc. and sending them to other providers.
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      // Callers log failures themselves, without request details.
      logLevel: 'off',
    });
    this.clients.set(key, client);
    return client;
  }
}
