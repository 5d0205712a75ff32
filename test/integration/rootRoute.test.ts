// GET / is where a newcomer lands first: a browser goes on to the dashboard, an API client reads
// where the dashboard, the API documentation and the probes are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/testApp.js';

describe('GET / (pglite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine: 'pglite' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('sends a browser to /dashboard', async () => {
    const res = await fetch(`${t.baseUrl}/`, {
      redirect: 'manual',
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard');
  });

  it('tells an API client where the dashboard, the docs and the probes are, each of them a real route', async () => {
    const res = await fetch(`${t.baseUrl}/`, { redirect: 'manual', headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    const links = (await res.json()) as Record<string, string>;
    expect(links).toMatchObject({ dashboard: '/dashboard', api_docs: '/docs', health: '/healthz', ready: '/readyz' });
    for (const name of ['api_docs', 'openapi', 'health', 'ready']) {
      const linked = await fetch(`${t.baseUrl}${links[name]}`, { redirect: 'manual' });
      expect(linked.status, name).toBeLessThan(400);
    }
    // Without a build the dashboard answers 503 "run npm run build"; with one, 200. Never 404.
    expect((await fetch(`${t.baseUrl}${links['dashboard']}`)).status).not.toBe(404);
  });
});
