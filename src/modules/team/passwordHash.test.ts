import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwordHash.js';
import { agentMay } from './sessionTokens.js';

describe('password hashes', () => {
  it('salts every hash, keeps no password in it, and verifies only the right password', async () => {
    const [a, b] = [await hashPassword('a long enough password'), await hashPassword('a long enough password')];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toContain('password');
    expect(await verifyPassword('a long enough password', a)).toBe(true);
    expect(await verifyPassword('a long enough passwore', a)).toBe(false);
    expect(await verifyPassword('a long enough password', 'plain text')).toBe(false);
  });
});

describe('what an agent may call', () => {
  it('reads all but keys, credentials, people and the audit; writes only where the route allows', () => {
    expect(agentMay('GET', '/api/v1/tenants/:tenantId/conversations', false)).toBe(true);
    expect(agentMay('GET', '/api/v1/tenants/:tenantId/settings', false)).toBe(true);
    for (const path of ['api-keys', 'credentials', 'users', 'users/:userId', 'audit'])
      expect(agentMay('GET', `/api/v1/tenants/:tenantId/${path}`, false), path).toBe(false);
    expect(agentMay('PATCH', '/api/v1/tenants/:tenantId/settings', false)).toBe(false);
    expect(agentMay('POST', '/api/v1/tenants/:tenantId/conversations/:userPhone/messages', true)).toBe(true);
  });
});
