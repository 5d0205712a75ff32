// `tenant create|list|show|deactivate` and `credentials set`: a tenant and its secrets. Secrets
// go to the server in the request body only; what is printed is the API's masked view.
import { AI_PROVIDERS } from '../domain/aiTypes.js';
import type { CredentialChanges, Page, TenantCredentialsView, TenantView } from '../modules/tenants/ports.js';
import {
  argument,
  stringOption,
  type Command,
  type CommandContext,
  type CommandGroup,
  type OptionSpec,
} from './cliCommand.js';
import { CliError } from './cliError.js';
import { readSecret, secretOptionSpecs } from './cliSecrets.js';
import { cliFormat } from './cliFormat.js';

const tenantArg = { name: 'tenantId', description: "The tenant's id (as printed by tenant create or tenant list)" };

const SECRET_OPTION_NAMES = [
  'whatsapp-token',
  'app-secret',
  'ai-key',
  'fallback-openai',
  'fallback-openrouter',
  'fallback-huggingface',
  'mpesa-consumer-key',
  'mpesa-consumer-secret',
  'mpesa-passkey',
] as const;
type SecretOptionName = (typeof SECRET_OPTION_NAMES)[number];

// Each as --<name> <value>, --<name>-env <VAR> and --<name>-stdin (see cliSecrets.ts).
const secretOptions: Record<string, OptionSpec> = {
  ...secretOptionSpecs('whatsapp-token', {
    type: 'string',
    value: '<token>',
    description: 'WhatsApp Cloud API access token (stored encrypted)',
  }),
  ...secretOptionSpecs('app-secret', {
    type: 'string',
    value: '<secret>',
    description: "The tenant's own Meta app secret, if its webhooks are signed by another app",
  }),
  ...secretOptionSpecs('ai-key', {
    type: 'string',
    value: '<key>',
    description: 'API key for --ai-provider (stored encrypted)',
  }),
  ...secretOptionSpecs('fallback-openai', {
    type: 'string',
    value: '<key>',
    description: "OpenAI key used when the tenant's provider fails",
  }),
  ...secretOptionSpecs('fallback-openrouter', {
    type: 'string',
    value: '<key>',
    description: "OpenRouter key used when the tenant's provider fails",
  }),
  ...secretOptionSpecs('fallback-huggingface', {
    type: 'string',
    value: '<key>',
    description: "HuggingFace key used when the tenant's provider fails",
  }),
  ...secretOptionSpecs('mpesa-consumer-key', {
    type: 'string',
    value: '<key>',
    description: "M-Pesa: the Daraja app's consumer key",
  }),
  ...secretOptionSpecs('mpesa-consumer-secret', {
    type: 'string',
    value: '<secret>',
    description: "M-Pesa: the Daraja app's consumer secret",
  }),
  ...secretOptionSpecs('mpesa-passkey', {
    type: 'string',
    value: '<passkey>',
    description: 'M-Pesa: the Lipa na M-Pesa Online passkey',
  }),
};

const secretNote =
  'Secrets are sent to the server only; it stores them encrypted and shows only their last 4 characters. Give them by name ' +
  '(--ai-key-env OPENAI_KEY) or on standard input (--ai-key-stdin, or --ai-key -): a value typed on the command line is visible ' +
  'in the process list and shell history, and npm run prints it.';

const secretSources = (ctx: CommandContext) => ({
  options: ctx.options,
  env: ctx.env,
  readStdin: ctx.readStdin,
  warn: ctx.err,
});

/** The credentials named on the command line, in the API's shape; null when none is. */
async function credentialChanges(ctx: CommandContext): Promise<CredentialChanges | null> {
  const given: Partial<Record<SecretOptionName, string>> = {};
  for (const name of SECRET_OPTION_NAMES) {
    const secret = await readSecret(secretSources(ctx), name);
    if (secret) given[name] = secret;
  }
  const fallback = {
    ...(given['fallback-openai'] ? { openai: given['fallback-openai'] } : {}),
    ...(given['fallback-openrouter'] ? { openrouter: given['fallback-openrouter'] } : {}),
    ...(given['fallback-huggingface'] ? { huggingface: given['fallback-huggingface'] } : {}),
  };
  const changes: CredentialChanges = {
    ...(given['whatsapp-token'] ? { whatsapp_access_token: given['whatsapp-token'] } : {}),
    ...(given['app-secret'] ? { whatsapp_app_secret: given['app-secret'] } : {}),
    ...(given['ai-key'] ? { ai_api_key: given['ai-key'] } : {}),
    ...(Object.keys(fallback).length ? { fallback_keys: fallback } : {}),
    ...(given['mpesa-consumer-key'] ? { mpesa_consumer_key: given['mpesa-consumer-key'] } : {}),
    ...(given['mpesa-consumer-secret'] ? { mpesa_consumer_secret: given['mpesa-consumer-secret'] } : {}),
    ...(given['mpesa-passkey'] ? { mpesa_passkey: given['mpesa-passkey'] } : {}),
  };
  return Object.keys(changes).length ? changes : null;
}

function tenantSummary(tenant: TenantView): string {
  const ai = tenant.ai_provider
    ? `${tenant.ai_provider}${tenant.ai_model ? ` / ${tenant.ai_model}` : ''}`
    : 'server default';
  return [
    cliFormat.fields([
      ['id', tenant.id],
      ['name', tenant.client_name],
      ['phone', tenant.client_phone],
      ['phone number id', tenant.whatsapp_phone_number_id ?? '- (messages are routed by the display phone number)'],
      ['business account id', tenant.whatsapp_business_account_id ?? '-'],
      ['brand', tenant.brand_id ?? '-'],
      ['AI', ai],
      [
        'webhook verify token',
        tenant.webhook_verify_token ? 'set' : "not set (the server's WEBHOOK_VERIFY_TOKEN applies)",
      ],
      ['active', tenant.is_active ? 'yes' : 'no (the bot does not answer)'],
      ['verified by Meta', tenant.is_verified ? 'yes' : 'not yet'],
      ['created', cliFormat.time(tenant.created_at)],
    ]),
    'Credentials (stored encrypted):',
    cliFormat.credentials(tenant.credentials),
  ].join('\n');
}

const create: Command = {
  group: 'tenant',
  action: 'create',
  summary: 'Create a tenant with its WhatsApp and AI settings and its credentials',
  options: {
    name: { type: 'string', value: '<name>', description: 'The business name', required: true },
    phone: {
      type: 'string',
      value: '<phone>',
      description: "The business's WhatsApp number, e.g. +254700123456",
      required: true,
    },
    'phone-number-id': {
      type: 'string',
      value: '<id>',
      description: 'WhatsApp phone number id (Meta app > WhatsApp > API setup)',
    },
    'business-account-id': { type: 'string', value: '<id>', description: 'WhatsApp Business Account id' },
    'ai-provider': { type: 'string', description: 'AI provider used when no FAQ answers', choices: AI_PROVIDERS },
    'ai-model': { type: 'string', value: '<model>', description: 'Model of that provider, e.g. gpt-4o-mini' },
    ...secretOptionSpecs('verify-token', {
      type: 'string',
      value: '<token>',
      description: "The tenant's own webhook verify token (8+ characters)",
    }),
    brand: {
      type: 'string',
      value: '<brand-id>',
      description: 'Brand id (DEFAULT_BRAND_ID routes unknown numbers to it)',
    },
    'id-only': {
      type: 'boolean',
      description:
        "Print only the new tenant's id, for scripts: TENANT_ID=$(npm run -s admin -- tenant create ... --id-only)",
    },
    ...secretOptions,
  },
  notes: [
    secretNote,
    'Example:',
    '  $0 tenant create --name "Nairobi Music Store" --phone +254700123456 \\',
    '    --phone-number-id 119202345678901 --whatsapp-token-env WA_TOKEN --ai-provider openai --ai-key-env OPENAI_KEY',
  ],
  async run(ctx) {
    const optional = (flag: string) => stringOption(ctx, flag);
    const credentials = await credentialChanges(ctx);
    const verifyToken = await readSecret(secretSources(ctx), 'verify-token');
    const body = {
      client_name: stringOption(ctx, 'name'),
      client_phone: stringOption(ctx, 'phone'),
      ...(optional('phone-number-id') ? { whatsapp_phone_number_id: optional('phone-number-id') } : {}),
      ...(optional('business-account-id') ? { whatsapp_business_account_id: optional('business-account-id') } : {}),
      ...(optional('ai-provider') ? { ai_provider: optional('ai-provider') } : {}),
      ...(optional('ai-model') ? { ai_model: optional('ai-model') } : {}),
      ...(verifyToken ? { webhook_verify_token: verifyToken } : {}),
      ...(optional('brand') ? { brand_id: optional('brand') } : {}),
      ...(credentials ? { credentials } : {}),
    };
    const tenant = await ctx.api().call<TenantView>('POST', '/api/v1/tenants', { json: body });
    if (ctx.json) return ctx.out(cliFormat.json(tenant));
    if (ctx.options['id-only'] === true) return ctx.out(tenant.id);
    ctx.out(`Tenant created: ${tenant.id}\n${tenantSummary(tenant)}\n`);
    ctx.out(
      [
        'Next:',
        `  ${ctx.program} faq import ${tenant.id} faqs.csv`,
        `  ${ctx.program} apikey create ${tenant.id} --name dashboard`,
      ].join('\n'),
    );
    if (!tenant.credentials.whatsapp_access_token.set) {
      ctx.out(`  ${ctx.program} credentials set ${tenant.id} --whatsapp-token-env <VAR>   (needed to send replies)`);
    }
  },
};

const list: Command = {
  group: 'tenant',
  action: 'list',
  summary: 'List tenants by name, optionally those whose name or phone matches',
  options: {
    search: { type: 'string', value: '<text>', description: 'Part of the name, or digits of the phone' },
    page: { type: 'string', value: '<n>', description: 'Page number (default 1)' },
    limit: { type: 'string', value: '<n>', description: 'Tenants per page, 1 to 100 (default 20)' },
  },
  async run(ctx) {
    const search = stringOption(ctx, 'search');
    const page = await ctx.api().call<Page<TenantView>>('GET', '/api/v1/tenants', {
      query: { q: search, page: stringOption(ctx, 'page'), limit: stringOption(ctx, 'limit') },
    });
    if (ctx.json) return ctx.out(cliFormat.json(page));
    if (page.total === 0)
      return ctx.out(
        search ? `No tenant matches "${search}".` : `No tenants yet. Create one: ${ctx.program} tenant create --help`,
      );
    const rows = page.data.map((t) => [
      t.id,
      t.client_name,
      t.client_phone,
      t.whatsapp_phone_number_id ?? '-',
      t.ai_provider ?? '-',
      t.is_active ? 'yes' : 'no',
    ]);
    ctx.out(cliFormat.table(['ID', 'NAME', 'PHONE', 'PHONE NUMBER ID', 'AI', 'ACTIVE'], rows));
    const first = (page.page - 1) * page.limit + 1;
    const last = first + page.data.length - 1;
    if (page.page === 1 && last >= page.total) return ctx.out(`\n${cliFormat.count(page.total, 'tenant')}`);
    const shown = page.data.length
      ? `Tenants ${first}-${last} of ${page.total}`
      : `No tenants on page ${page.page} (${page.total} in all)`;
    ctx.out(`\n${shown}${last < page.total ? `; next: --page ${page.page + 1}` : ''}`);
  },
};

const show: Command = {
  group: 'tenant',
  action: 'show',
  summary: 'Show a tenant and which of its credentials are set (masked)',
  args: [tenantArg],
  async run(ctx) {
    const tenant = await ctx
      .api()
      .call<TenantView>('GET', `/api/v1/tenants/${encodeURIComponent(argument(ctx, 'tenantId'))}`);
    ctx.out(ctx.json ? cliFormat.json(tenant) : tenantSummary(tenant));
  },
};

const deactivate: Command = {
  group: 'tenant',
  action: 'deactivate',
  summary: "Stop the bot answering a tenant's customers (its data is kept)",
  args: [tenantArg],
  async run(ctx) {
    const id = argument(ctx, 'tenantId');
    const tenant = await ctx.api().call<TenantView>('POST', `/api/v1/tenants/${encodeURIComponent(id)}/deactivate`);
    if (ctx.json) return ctx.out(cliFormat.json(tenant));
    ctx.out(
      `Tenant ${tenant.id} (${tenant.client_name}) is inactive: the bot no longer answers its customers. Its data is kept.`,
    );
  },
};

const setCredentials: Command = {
  group: 'credentials',
  action: 'set',
  summary: "Set some of a tenant's credentials; the others stay as they are",
  args: [tenantArg],
  options: secretOptions,
  notes: [
    secretNote,
    'Example:',
    '  $0 credentials set <tenantId> --whatsapp-token-env WA_TOKEN --fallback-openrouter-env OPENROUTER_KEY',
  ],
  async run(ctx) {
    const changes = await credentialChanges(ctx);
    if (!changes) {
      throw new CliError(
        `Give at least one credential to set: ${SECRET_OPTION_NAMES.map((o) => `--${o}`).join(', ')} (each also as --<option>-env <VAR> or --<option>-stdin).`,
        [`See: ${ctx.program} credentials set --help`],
      );
    }
    const id = argument(ctx, 'tenantId');
    const view = await ctx
      .api()
      .call<TenantCredentialsView>('PUT', `/api/v1/tenants/${encodeURIComponent(id)}/credentials`, { json: changes });
    if (ctx.json) return ctx.out(cliFormat.json(view));
    ctx.out(`Credentials of tenant ${id} saved (stored encrypted):\n${cliFormat.credentials(view)}`);
  },
};

export const tenantCommandGroups: readonly CommandGroup[] = [
  { name: 'tenant', summary: 'Create, list, show and deactivate tenants.', commands: [create, list, show, deactivate] },
  {
    name: 'credentials',
    summary: "Set a tenant's secrets (write-only: never shown again, only their last 4 characters).",
    commands: [setCredentials],
  },
];
