// Headers every answer carries: the browser may load scripts, styles, images and data only from
// this server, no other site may frame it, types are never sniffed, no referrer leaves. The
// dashboard (a Vite bundle) and the OpenAPI UI at /docs need nothing more: neither has an inline
// script or style, and both talk only to this server. Answers that hold tenant data are not stored
// by browsers or proxies; the dashboard's static files keep their own cache headers.
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
].join('; ');

const ALWAYS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Paths whose answers are never cached: the admin API, Meta's webhook, the metrics. */
const NEVER_CACHED = /^\/(?:api\/|webhook(?:[/?]|$)|metrics(?:[/?]|$))/;

export function installSecurityHeaders(app: FastifyInstance): void {
  // onSend on the root instance runs for every answer: routes, 404s and errors alike.
  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(ALWAYS)) reply.header(name, value);
    if (NEVER_CACHED.test(request.url)) reply.header('cache-control', 'no-store');
    return payload;
  });
}
