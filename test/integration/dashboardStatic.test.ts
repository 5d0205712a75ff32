// /dashboard serves the built bundle: index.html (never cached) for the page's own routes,
// hashed assets cached for good, nothing outside the bundle, and a clear 503 before a build.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../../src/http/errorBody.js';
import { dashboardRoutes } from '../../src/modules/dashboard/dashboardRoutes.js';

const INDEX =
  '<!doctype html><title>Alphadome dashboard</title><script type="module" src="/dashboard/assets/index-AbC123.js"></script>';

describe('dashboard static files', () => {
  let root: string;
  let server: FastifyInstance;
  let baseUrl: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'alphadome-dashboard-'));
    server = Fastify();
    installErrorHandlers(server);
    await server.register(dashboardRoutes, { root: path.join(root, 'dashboard') });
    await writeFile(path.join(root, 'secret.txt'), 'outside the bundle');
    baseUrl = await server.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('answers 503 with what to do while the bundle is not built', async () => {
    for (const url of ['/dashboard', '/dashboard/', '/dashboard/faq', '/dashboard/assets/index-AbC123.js']) {
      const res = await fetch(`${baseUrl}${url}`);
      expect(res.status, url).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.text()).toContain('run npm run build');
    }
  });

  it('serves index.html for every page route, uncached, as soon as a build appears', async () => {
    await mkdir(path.join(root, 'dashboard', 'assets'), { recursive: true });
    await writeFile(path.join(root, 'dashboard', 'index.html'), INDEX);
    await writeFile(path.join(root, 'dashboard', 'assets', 'index-AbC123.js'), 'console.log("dashboard")');
    await writeFile(path.join(root, 'dashboard', '.env'), 'SECRET=1');
    for (const url of [
      '/dashboard',
      '/dashboard/',
      '/dashboard/faq',
      '/dashboard/conversations/254711000101',
      '/dashboard/index.html',
    ]) {
      const res = await fetch(`${baseUrl}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('caches hashed assets for good, and never a file that is missing', async () => {
    const asset = await fetch(`${baseUrl}/dashboard/assets/index-AbC123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log("dashboard")');

    const missing = await fetch(`${baseUrl}/dashboard/assets/index-Old999.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBeNull();
    expect(await missing.json()).toEqual({
      error: 'Not found',
      details: expect.stringContaining('/dashboard/assets/index-Old999.js'),
    });
  });

  it('serves nothing outside the bundle, nor its dot files', async () => {
    await writeFile(path.join(root, 'dashboard', '.secret.js'), 'SECRET=2');
    for (const url of [
      '/dashboard/%2e%2e/secret.txt',
      '/dashboard/..%2fsecret.txt',
      '/dashboard/.secret.js',
      '/dashboard/assets/..%2f.secret.js',
    ]) {
      const res = await fetch(`${baseUrl}${url}`);
      expect([403, 404], url).toContain(res.status);
      expect(await res.text(), url).not.toMatch(/outside the bundle|SECRET=/);
    }
    // A name without an extension is a page route: it gets the page, not the file.
    const route = await fetch(`${baseUrl}/dashboard/.env`);
    expect(await route.text()).toBe(INDEX);
  });
});
