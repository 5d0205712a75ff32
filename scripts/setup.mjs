#!/usr/bin/env node
// npm run setup: writes a .env with everything a first start needs, generated fresh: the admin
// token, the encryption key, the webhook app secret and verify token (webhook_simulator.js reads
// the same .env, so it signs what the server checks). An existing .env is never overwritten
// without --force: it may hold the only copy of the key that opens the stored credentials.
//   node scripts/setup.mjs [--force] [--production] [--file <path>]
// Plain JavaScript: it runs before anything is compiled.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `Usage: npm run setup [-- --force] [-- --production]

Writes .env with a generated ADMIN_API_TOKEN, ENCRYPTION_KEY, WHATSAPP_APP_SECRET and
WEBHOOK_VERIFY_TOKEN (the values are written to the file only, never printed).
  (default)      development: replies go to webhook_simulator.js (GRAPH_API_BASE_URL=http://127.0.0.1:3999)
  --production   NODE_ENV=production, replies go to Meta, a POSTGRES_PASSWORD for compose.yaml;
                 then set WHATSAPP_APP_SECRET to your Meta app's
  --force        replace an existing .env (its ENCRYPTION_KEY opens the stored credentials: keep a copy)
  --file <path>  write there instead of .env`;

let options;
try {
  options = parseArgs({
    options: {
      force: { type: 'boolean', default: false },
      production: { type: 'boolean', default: false },
      file: { type: 'string', default: '.env' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (err) {
  console.error(`${err.message}\n\n${USAGE}`);
  process.exit(1);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (existsSync(options.file) && !options.force) {
  console.error(
    `${options.file} exists and is left as it is. Its ENCRYPTION_KEY opens the credentials stored with it;`,
  );
  console.error('to replace it anyway (a copy first!): npm run setup -- --force');
  process.exit(1);
}

const hex = (bytes) => randomBytes(bytes).toString('hex');
const lines = [
  `# Written by npm run setup (${new Date().toISOString().slice(0, 10)}). Every setting: .env.example.`,
  `NODE_ENV=${options.production ? 'production' : 'development'}`,
  "# The administrator's bearer token (admin API, npm run admin, the dashboard).",
  `ADMIN_API_TOKEN=${hex(32)}`,
  '# Encrypts stored credentials: losing it loses them. Keep a copy outside this machine.',
  `ENCRYPTION_KEY=${hex(32)}`,
  options.production
    ? "# Replace with your Meta app's secret (App settings > Basic): webhooks are signed with it."
    : '# Webhooks are signed with this; webhook_simulator.js reads it from this file too.',
  `WHATSAPP_APP_SECRET=${hex(24)}`,
  '# What you type as "Verify token" when you configure the webhook at Meta.',
  `WEBHOOK_VERIFY_TOKEN=${hex(16)}`,
];
if (options.production) {
  lines.push("# compose.yaml's PostgreSQL (and its DATABASE_URL for the server).", `POSTGRES_PASSWORD=${hex(24)}`);
} else {
  lines.push(
    '# Replies go to webhook_simulator.js (npm run simulator) instead of Meta; remove this line to talk to WhatsApp.',
    'GRAPH_API_BASE_URL=http://127.0.0.1:3999',
  );
}
writeFileSync(options.file, `${lines.join('\n')}\n`, { mode: 0o600 });
// The mode above applies to a new file only; a replaced one may have been readable by others.
chmodSync(options.file, 0o600);
console.log(
  `Wrote ${options.file} (${options.production ? 'production' : 'development'}): ADMIN_API_TOKEN, ENCRYPTION_KEY, WHATSAPP_APP_SECRET and WEBHOOK_VERIFY_TOKEN, generated.`,
);
console.log('Next: npm start, then in another terminal: npm run admin -- --help');
