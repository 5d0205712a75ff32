// GET /webhook (Meta's verification handshake) and POST /webhook (deliveries).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { mimeEssence } from '../../domain/mimeEssence.js';
import type { Metrics } from '../operations/metrics.js';
import type { IngestService } from './ingestService.js';
import type { TenantDirectory } from './ports.js';

/** Meta caps webhook payloads at 3 MB. */
export const WEBHOOK_BODY_LIMIT = 3 * 1024 * 1024;

const verificationQuery = z.object({
  'hub.mode': z.literal('subscribe'),
  'hub.verify_token': z.string().min(1),
  'hub.challenge': z.string().min(1).max(1024),
});

export interface WebhookRoutesOptions {
  ingest: IngestService;
  directory: TenantDirectory;
  globalVerifyToken: string | null;
  metrics?: Pick<Metrics, 'webhookRequest'>;
}

export const webhookRoutes: FastifyPluginAsync<WebhookRoutesOptions> = async (app: FastifyInstance, options) => {
  // Signatures are computed over the exact bytes, so this plugin keeps the raw body, of any type:
  // the signature is checked first (401 whatever was sent), and only then is a type other than
  // JSON refused with 415, rather than parsed as something else.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );
  // Every answer of this plugin, refusals by the body parser (413, 415) included.
  const metrics = options.metrics;
  if (metrics)
    app.addHook('onResponse', async (request, reply) => metrics.webhookRequest(request.method, reply.statusCode));

  app.get('/webhook', async (request, reply) => {
    const query = verificationQuery.safeParse(request.query);
    if (!query.success) {
      return reply.status(400).send({
        error: 'Invalid verification request',
        details: 'Expected hub.mode=subscribe, hub.verify_token and hub.challenge',
      });
    }
    const token = query.data['hub.verify_token'];
    const matchesGlobal = options.globalVerifyToken !== null && sameText(token, options.globalVerifyToken);
    const tenantId = matchesGlobal ? null : await options.directory.verifyByToken(token);
    if (!matchesGlobal && !tenantId) {
      return reply.status(401).send({ error: 'Invalid webhook token', details: 'hub.verify_token does not match' });
    }
    request.log.info({ tenantId }, 'webhook verified');
    return reply.type('text/plain').send(query.data['hub.challenge']);
  });

  app.post('/webhook', async (request, reply) => {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers['x-hub-signature-256'];
    const ingestRequest = { rawBody, signature: Array.isArray(header) ? header[0] : header, clientAddress: request.ip };
    const admission = await options.ingest.admit(ingestRequest);
    if (typeof admission !== 'string') {
      // Meta retries a delivery that got any non-2xx answer, so one refused while throttled is delayed, not lost.
      if (admission.retryAfterSeconds !== undefined) reply.header('retry-after', String(admission.retryAfterSeconds));
      return reply.status(admission.httpStatus).send({ error: admission.error, details: admission.details });
    }
    const contentType = request.headers['content-type'];
    if (mimeEssence(contentType) !== 'application/json') {
      return reply.status(415).send({
        error: 'Unsupported media type',
        details: `Content-Type ${contentType?.slice(0, 100) ?? '(none)'} is not supported; send application/json`,
      });
    }
    const outcome = await options.ingest.receive(ingestRequest, admission);
    if (outcome.kind === 'rejected') {
      return reply.status(outcome.httpStatus).send({ error: outcome.error, details: outcome.details });
    }
    return reply.send({
      status: 'received',
      message_id: outcome.messageIds[0] ?? null,
      ...(outcome.messageIds.length > 1 ? { message_ids: outcome.messageIds } : {}),
    });
  });
};

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
