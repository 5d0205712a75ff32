// `apikey create|list|revoke` and `keys rotate`: who may call the API, and the encryption keys
// that protect stored secrets.
import type { ApiKeyView } from '../modules/tenants/ports.js';
import { argument, type Command, type CommandGroup } from './cliCommand.js';
import { cliFormat } from './cliFormat.js';

const tenantArg = { name: 'tenantId', description: "The tenant's id (as printed by tenant create or tenant list)" };
const keysPath = (tenantId: string) => `/api/v1/tenants/${encodeURIComponent(tenantId)}/api-keys`;

const createKey: Command = {
  group: 'apikey',
  action: 'create',
  summary: 'Create an API key that reaches this tenant only; it is shown once',
  args: [tenantArg],
  options: {
    name: { type: 'string', value: '<name>', description: 'What the key is for, e.g. dashboard', required: true },
  },
  notes: ['The key is printed once and cannot be shown again: the server keeps only its SHA-256 hash.'],
  async run(ctx) {
    const tenantId = argument(ctx, 'tenantId');
    const created = await ctx
      .api()
      .call<ApiKeyView & { key: string }>('POST', keysPath(tenantId), { json: { name: ctx.options['name'] } });
    if (ctx.json) return ctx.out(cliFormat.json(created));
    ctx.out(
      [
        `API key "${created.name}" created for tenant ${tenantId} (key id ${created.id}):`,
        '',
        `    ${created.key}`,
        '',
        'Copy it now: it cannot be shown again (the server keeps only its hash).',
        'Send it as "Authorization: Bearer <key>"; it reaches this tenant only. To revoke it:',
        `  ${ctx.program} apikey revoke ${tenantId} ${created.id}`,
      ].join('\n'),
    );
  },
};

const listKeys: Command = {
  group: 'apikey',
  action: 'list',
  summary: "List a tenant's API keys (prefix and last use; revoked ones too)",
  args: [tenantArg],
  async run(ctx) {
    const tenantId = argument(ctx, 'tenantId');
    const { data } = await ctx.api().call<{ data: ApiKeyView[] }>('GET', keysPath(tenantId));
    if (ctx.json) return ctx.out(cliFormat.json({ data }));
    if (data.length === 0)
      return ctx.out(
        `Tenant ${tenantId} has no API keys. Create one: ${ctx.program} apikey create ${tenantId} --name <name>`,
      );
    const rows = data.map((k) => [
      k.id,
      k.name,
      k.prefix,
      cliFormat.time(k.created_at),
      cliFormat.time(k.last_used_at),
      k.revoked_at ? `revoked ${cliFormat.time(k.revoked_at)}` : 'active',
    ]);
    ctx.out(cliFormat.table(['ID', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'STATUS'], rows));
  },
};

const revokeKey: Command = {
  group: 'apikey',
  action: 'revoke',
  summary: 'Revoke an API key: it stops working at once',
  args: [tenantArg, { name: 'keyId', description: "The key's id (from apikey list; not the key itself)" }],
  async run(ctx) {
    const tenantId = argument(ctx, 'tenantId');
    const keyId = argument(ctx, 'keyId');
    await ctx.api().call('DELETE', `${keysPath(tenantId)}/${encodeURIComponent(keyId)}`);
    if (ctx.json) return ctx.out(cliFormat.json({ revoked: keyId }));
    ctx.out(`API key ${keyId} of tenant ${tenantId} is revoked: it stops working at once.`);
  },
};

const ROTATION_PROCEDURE = [
  'Key rotation, step by step:',
  '  1. Put the new key first in ENCRYPTION_KEYS (ENCRYPTION_KEYS=new:<key>,old:<key>) and restart every server process.',
  '  2. Run keys rotate: every stored secret is re-encrypted with the new (first) key.',
  '  3. Remove the old key from ENCRYPTION_KEYS and restart every server process again.',
];

const rotate: Command = {
  group: 'keys',
  action: 'rotate',
  summary: 'Re-encrypt every stored secret with the current (first) encryption key',
  notes: ROTATION_PROCEDURE,
  async run(ctx) {
    const result = await ctx
      .api()
      .call<{ rewritten: number; unreadable?: number }>('POST', '/api/v1/admin/encryption/rotate');
    const unreadable = result.unreadable ?? 0;
    if (ctx.json) {
      ctx.out(cliFormat.json(result));
      return unreadable > 0 ? 1 : 0;
    }
    ctx.out(
      result.rewritten > 0
        ? `Re-encrypted ${cliFormat.count(result.rewritten, 'stored secret')} with the current encryption key.`
        : 'Re-encrypted 0 stored secrets: every one already uses the current encryption key.',
    );
    if (unreadable > 0) {
      ctx.err(
        [
          `${cliFormat.count(unreadable, 'stored secret')} could not be opened with any key in ENCRYPTION_KEYS and ${unreadable === 1 ? 'was' : 'were'} left as ${unreadable === 1 ? 'it is' : 'they are'}.`,
          'The server log names the tenant, column and key id of each. Add the missing key to ENCRYPTION_KEYS (or set those',
          'credentials again with credentials set), then run keys rotate again. Do not remove any key until this reports none.',
        ].join('\n'),
      );
    }
    ctx.out(`\n${ROTATION_PROCEDURE.join('\n')}`);
    return unreadable > 0 ? 1 : 0;
  },
};

export const accessCommandGroups: readonly CommandGroup[] = [
  {
    name: 'apikey',
    summary: "Create, list and revoke a tenant's API keys.",
    commands: [createKey, listKeys, revokeKey],
  },
  { name: 'keys', summary: 'Encryption keys of stored secrets (ENCRYPTION_KEYS).', commands: [rotate] },
];
