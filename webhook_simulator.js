#!/usr/bin/env node
// Chat with a tenant locally without Meta: this sends signed WhatsApp webhooks to the bot server
// and plays Meta's Graph API, so the bot's replies come back here. Node's standard library only.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const USAGE = `Usage: node webhook_simulator.js [options]

Sends WhatsApp text-message webhooks to the bot server and shows the bot's replies.

  Start the server with  GRAPH_API_BASE_URL=http://127.0.0.1:3999  (or your --graph-port)
  so its replies come to this simulator instead of Meta.

Options:
  --server <url>            bot server (default http://127.0.0.1:$PORT, PORT from env/.env, else 3000)
  --graph-port <port>       port of the stand-in Graph API on 127.0.0.1 (default: the port of
                            GRAPH_API_BASE_URL from env/.env when it is a loopback URL, else 3999)
  --tenant-phone <number>   tenant's display phone number (default 254700123456)
  --phone-number-id <id>    tenant's WhatsApp phone_number_id (default $WHATSAPP_PHONE_NUMBER_ID,
                            else 119202345678901). When only one of these two is given, the other
                            is sent empty, so routing uses the one you chose.
  --from <number>           customer's WhatsApp number (default 254700000001)
  --name <name>             customer's profile name (default "Sim Customer")
  --message <text>          one-shot: send this, print the reply, exit (0 = replied, 1 = not)
  --timeout <seconds>       one-shot: how long to wait for the reply (default 20)
  -h, --help                this text

Interactive mode (no --message): each line is a message; /from <number> switches customer; /quit exits.
Webhooks are signed with WHATSAPP_APP_SECRET (env or .env); without it they go unsigned, which
the server accepts only when started with ALLOW_UNSIGNED_WEBHOOKS=true (development).`;

let args;
try {
  args = parseArgs({
    options: {
      server: { type: 'string' },
      'graph-port': { type: 'string' },
      'tenant-phone': { type: 'string' },
      'phone-number-id': { type: 'string' },
      from: { type: 'string', default: '254700000001' },
      name: { type: 'string', default: 'Sim Customer' },
      message: { type: 'string' },
      timeout: { type: 'string', default: '20' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (err) {
  fail(`${err.message}\n\n${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

// Same .env the server reads, so both sides agree on the secret without copying it around.
// Variables already set in the environment win (loadEnvFile does not overwrite them).
if (existsSync('.env')) process.loadEnvFile('.env');
const secret = process.env.WHATSAPP_APP_SECRET?.trim() || null;
const serverUrl = (args.server ?? `http://127.0.0.1:${process.env.PORT?.trim() || 3000}`).replace(/\/+$/, '');
// The server sends its replies to GRAPH_API_BASE_URL: when that is this machine, listen right there.
const graphPort = Number(args['graph-port'] ?? loopbackPort(process.env.GRAPH_API_BASE_URL) ?? 3999);
const timeoutMs = Number(args.timeout) * 1000;
if (!Number.isInteger(graphPort) || graphPort < 0 || graphPort > 65535)
  fail(`--graph-port must be a port number, got "${args['graph-port']}"`);
if (!(timeoutMs > 0)) fail(`--timeout must be a positive number of seconds, got "${args.timeout}"`);

// Neither given: the spec's example tenant. One given: only that one routes (a stale default for
// the other could point at a different tenant, and the server refuses such a mismatch).
const neither = args['tenant-phone'] === undefined && args['phone-number-id'] === undefined;
const tenant = {
  display: args['tenant-phone'] ?? (neither ? '254700123456' : ''),
  phoneNumberId:
    args['phone-number-id'] ?? (neither ? process.env.WHATSAPP_PHONE_NUMBER_ID?.trim() || '119202345678901' : ''),
};
let customer = args.from;

// --- the stand-in Graph API -------------------------------------------------------------------

const sent = new Map(); // our inbound wamid -> its number in this session (#1, #2, ...)
const replyListeners = new Set(); // one-shot mode waits on these
let graphCount = 0;

const graph = createServer((req, res) => {
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    let body = null;
    try {
      body = JSON.parse(raw || 'null');
    } catch {}
    const answer = (status, json) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (req.method !== 'POST' || !/\/messages$/.test(req.url ?? '') || !body || typeof body !== 'object') {
      return answer(400, {
        error: {
          message: `Unsupported request ${req.method} ${req.url} (webhook simulator)`,
          type: 'GraphMethodException',
          code: 100,
        },
      });
    }
    // Read receipts and typing indicators carry a status instead of a message.
    if (body.status) return answer(200, { success: true });
    graphCount += 1;
    const id = `wamid.sim-${graphCount}`;
    answer(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] });
    const reply = { to: String(body.to), text: textOf(body), replyTo: body.context?.message_id ?? null };
    show(`bot → ${reply.to}: ${reply.text}  ${marker(reply.replyTo)}`);
    for (const listener of replyListeners) listener(reply);
  });
});

function textOf(body) {
  if (body.type === 'text') return String(body.text?.body ?? '');
  return `[${body.type ?? 'unknown'} message] ${JSON.stringify(body[body.type] ?? {})}`;
}

function marker(replyTo) {
  if (!replyTo) return '(continued)'; // WhatsApp threads only the first part of a split reply
  return sent.has(replyTo) ? `(↩ #${sent.get(replyTo)})` : `(↩ ${replyTo})`;
}

// --- sending webhooks -------------------------------------------------------------------------

let messageCount = 0;
// Unique across runs: the server ignores a wamid it has already stored (Meta redelivers).
const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

// Allocated before the POST: the reply can reach the stand-in before the POST's answer reaches us.
function nextMessageId() {
  messageCount += 1;
  const id = `wamid.sim-in-${runId}-${messageCount}`;
  sent.set(id, messageCount);
  return id;
}

/** Posts one text message; false after printing why the server did not take it. */
async function sendMessage(id, text) {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'SIMULATED-WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: tenant.display, phone_number_id: tenant.phoneNumberId },
              contacts: [{ profile: { name: args.name }, wa_id: customer }],
              messages: [
                {
                  from: customer,
                  id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  // The signature covers these exact bytes, so the body is serialised once and sent as is.
  const raw = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json' };
  if (secret) headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

  let res;
  try {
    res = await fetch(`${serverUrl}/webhook`, {
      method: 'POST',
      headers,
      body: raw,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    const cause = err.cause?.code ?? err.cause?.message ?? err.message;
    console.error(`✗ cannot reach the server at ${serverUrl} (${cause}). Is it running? (npm run dev)`);
    return false;
  }
  const answer = await res.text();
  if (!res.ok) {
    console.error(`✗ server rejected the webhook: HTTP ${res.status} ${answer}`);
    if (res.status === 401)
      console.error(
        secret
          ? "  (is WHATSAPP_APP_SECRET the same as the server's?)"
          : "  (unsigned: set WHATSAPP_APP_SECRET here to the server's, or start the server with ALLOW_UNSIGNED_WEBHOOKS=true)",
      );
    return false;
  }
  // 200 without a message id: the server took the delivery but found no tenant for it.
  let stored = null;
  try {
    stored = JSON.parse(answer).message_id;
  } catch {}
  if (!stored) {
    console.error(
      `✗ server accepted the webhook but stored no message (${answer}): no tenant matched ` +
        `phone_number_id "${tenant.phoneNumberId}" / display number "${tenant.display}" (see the server log)`,
    );
    return false;
  }
  return true;
}

// --- modes ------------------------------------------------------------------------------------

let rl = null;
function show(line) {
  if (!rl) return console.log(line);
  // Keep the prompt usable when a reply lands while the user is typing.
  if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
  console.log(line);
  rl.prompt(true);
}

async function oneShot(text) {
  const id = nextMessageId();
  const replies = [];
  let settle = null;
  const done = new Promise((resolve) => {
    const deadline = setTimeout(resolve, timeoutMs);
    let ours = false;
    replyListeners.add((reply) => {
      if (reply.to !== customer) return;
      if (reply.replyTo === id) ours = true;
      else if (reply.replyTo !== null || !ours) return; // someone else's reply
      replies.push(reply);
      // Later parts of a split reply are unthreaded; give them a moment to arrive, then finish.
      clearTimeout(settle);
      settle = setTimeout(() => {
        clearTimeout(deadline);
        resolve();
      }, 1_000);
    });
  });
  console.log(`you (${customer}) #1: ${text}`);
  if (!(await sendMessage(id, text))) process.exit(1);
  await done;
  if (replies.length === 0) {
    console.error(
      `✗ no reply within ${timeoutMs / 1000} s. Was the server started with GRAPH_API_BASE_URL=http://127.0.0.1:${graphPort}? ` +
        'Is the bot enabled for this tenant? (see the server log)',
    );
    process.exit(1);
  }
  process.exit(0);
}

function interactive() {
  console.log(`Chatting as ${args.name} (${customer}). /from <number> switches customer, /quit exits.`);
  rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
  rl.prompt();
  rl.on('line', async (line) => {
    const text = line.trim();
    if (text === '/quit') return rl.close();
    if (text.startsWith('/from')) {
      const number = text.slice(5).trim();
      if (/^\d{6,15}$/.test(number)) customer = number;
      show(/^\d{6,15}$/.test(number) ? `now chatting as ${customer}` : 'usage: /from <number, digits only>');
      return;
    }
    if (text === '') return rl.prompt();
    const id = nextMessageId();
    show((await sendMessage(id, text)) ? `  (sent #${sent.get(id)} as ${customer})` : '  (not sent)');
  });
  rl.on('close', () => process.exit(0));
}

graph.on('error', (err) => {
  fail(
    err.code === 'EADDRINUSE'
      ? `port ${graphPort} is in use (another simulator?): choose another with --graph-port, and start the server with that port in GRAPH_API_BASE_URL`
      : `stand-in Graph API failed: ${err.message}`,
  );
});
graph.listen(graphPort, '127.0.0.1', () => {
  const route = [
    tenant.phoneNumberId && `phone_number_id ${tenant.phoneNumberId}`,
    tenant.display && `display number ${tenant.display}`,
  ];
  console.log(
    `Graph API stand-in on http://127.0.0.1:${graph.address().port} · server ${serverUrl} · tenant ${route.filter(Boolean).join(' / ')}`,
  );
  if (!secret)
    console.log(
      'No WHATSAPP_APP_SECRET (env or .env): sending unsigned webhooks (accepted only by a server started with ALLOW_UNSIGNED_WEBHOOKS=true).',
    );
  if (args.message !== undefined) oneShot(args.message);
  else interactive();
});

function loopbackPort(url) {
  try {
    const parsed = new URL(url ?? '');
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
    return loopback && parsed.protocol === 'http:' && parsed.port ? parsed.port : null;
  } catch {
    return null;
  }
}

function fail(message) {
  console.error(`✗ ${message}`);
  process.exit(1);
}
