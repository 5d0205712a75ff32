// GET /healthz (the process is up), GET /readyz (it can serve: database and migrations) and
// GET /metrics (Prometheus). Probes stay open; /metrics asks for a bearer token when one is set.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AuthFailureThrottle } from '../../http/authFailureThrottle.js';
import type { MetricsExposition, ReadinessProbe } from './ports.js';

export interface OperationsRoutesOptions {
  readiness: ReadinessProbe;
  exposition: MetricsExposition;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** Shared with the admin API: a guesser gets one burst of tries per window for both tokens. */
  throttle: AuthFailureThrottle;
}

export const operationsRoutes: FastifyPluginAsync<OperationsRoutesOptions> = async (app: FastifyInstance, options) => {
  // A load balancer must stop sending traffic as soon as shutdown begins, before the database goes.
  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });

  // No database here: a slow or lost database must not get a live process restarted.
  app.get('/healthz', async () => ({ status: 'ok' }));

  // During shutdown (the server runs with return503OnClosing off, so this handler still sees
  // requests) it answers 503 in the spec's shape without touching the database.
  app.get('/readyz', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (shuttingDown)
      return reply.status(503).send({ error: 'Service unavailable', details: 'the server is shutting down' });
    const report = await options.readiness.check();
    if (report.ready) return { status: 'ready', database: 'ok', migrations: 'applied' };
    request.log.warn({ details: report.details, error: report.cause ?? null }, 'not ready');
    return reply.status(503).send({ error: 'Service unavailable', details: report.details });
  });

  const expected = options.metricsToken === null ? null : digest(options.metricsToken);
  app.get('/metrics', async (request, reply) => {
    if (expected !== null) {
      // Refused before the token is looked at, so a token guessed while throttled is not confirmed.
      const wait = options.throttle.retryAfterSeconds(request.ip);
      if (wait !== null) {
        return reply
          .status(429)
          .header('retry-after', String(wait))
          .send({
            error: 'Too many requests',
            details: `Too many failed authentications from this address; try again in ${wait} s`,
          });
      }
      const presented = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
        if (options.throttle.recordFailure(request.ip)) {
          request.log.warn(
            { address: request.ip },
            'metrics: too many failed authentications from this address; refusing it until its window ends',
          );
        }
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer')
          .send({ error: 'Unauthorized', details: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' });
      }
    }
    const body = await options.exposition.render();
    return reply.header('cache-control', 'no-store').type(options.exposition.contentType).send(body);
  });
};

/** Equal-length digests let the comparison take the same time whatever the token's length. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
