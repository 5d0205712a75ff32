// GET / (pointing to the dashboard) and the dashboard's built files at /dashboard: hashed assets
// cached for good, and index.html (never cached, so a new build is seen at once) for /dashboard,
// /dashboard/ and every client-side route.
import { access } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

export interface DashboardRoutesOptions {
  /** Absolute path of the built bundle (`npm run build` writes it); it may be missing. */
  root: string;
}

export const DASHBOARD_PREFIX = '/dashboard';
/** Vite puts content-hashed files here: a changed file gets a new name, so it may be cached forever. */
const HASHED_ASSETS = 'assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const ROOT_LINKS = {
  name: 'Alphadome Bot',
  dashboard: DASHBOARD_PREFIX,
  api_docs: '/docs',
  openapi: '/docs/json',
  api: '/api/v1',
  health: '/healthz',
  ready: '/readyz',
};
const NOT_BUILT = 'The dashboard is not built on this server: run npm run build, then reload this page.\n';

export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, { root }) => {
  const assets = path.join(root, HASHED_ASSETS);
  // serve: false only adds reply.sendFile here (this plugin is encapsulated); the routes below decide
  // what is served. No root at registration: a missing bundle is answered per request, not a start warning.
  // Cache headers are set only once a file is found, so a 404 is never cached as immutable.
  await app.register(fastifyStatic, {
    serve: false,
    dotfiles: 'deny',
    index: false,
    cacheControl: false,
    setHeaders: (response, file) =>
      response.setHeader('cache-control', file.startsWith(assets) ? IMMUTABLE : 'no-cache'),
  });
  const indexFile = path.join(root, 'index.html');

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    // Checked per request, so a bundle built while the server runs is served without a restart.
    if (!(await exists(indexFile))) {
      return reply.status(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(NOT_BUILT);
    }
    const wanted = (request.params as { '*'?: string })['*'] ?? '';
    // A path without a file extension is one of the page's own routes (/dashboard/faq ...).
    const file = wanted === '' || !path.posix.extname(wanted) ? 'index.html' : wanted;
    return reply.sendFile(file, root);
  };

  // The server's root: a browser is sent to the dashboard; an API client is told where things are.
  app.get('/', async (request, reply) => {
    if (/\btext\/html\b/.test(request.headers.accept ?? '')) return reply.redirect(DASHBOARD_PREFIX, 302);
    return reply.header('cache-control', 'no-store').send(ROOT_LINKS);
  });
  app.get(DASHBOARD_PREFIX, handler);
  app.get(`${DASHBOARD_PREFIX}/`, handler);
  app.get(`${DASHBOARD_PREFIX}/*`, handler);
};

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
