// The real server as a separate process (`src/main.ts`), for tests that kill or restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { signatureFor } from '../../src/modules/ingest/webhookSignature.js';
import { TEST_APP_SECRET } from './testApp.js';
import type { TestDatabase } from './testDatabase.js';

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startServerProcess(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const server = spawnServerProcess(env, port ?? (await freePort()));
  await untilServing(server);
  return server;
}

/** Starts the process without waiting for it to serve (a test that may kill it while it starts). */
export function spawnServerProcess(env: Record<string, string>, port: number): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { baseUrl: `http://127.0.0.1:${port}`, child, output: () => output, exited };
}

/** Resolves once /healthz answers; throws if the process ends (exit or signal) or takes over 30 s. */
export async function untilServing(server: ServerProcess): Promise<void> {
  const { child, baseUrl } = server;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited early (${child.exitCode ?? child.signalCode}):\n${server.output()}`);
    }
    const up = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What every child server of a test needs: its database, the test app secret and key, the fake Graph API, quiet logs. */
export function serverEnv(
  database: TestDatabase,
  graphUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...database.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    WHATSAPP_APP_SECRET: TEST_APP_SECRET,
    GRAPH_API_BASE_URL: graphUrl,
    ENCRYPTION_KEYS: `test:${'ab'.repeat(32)}`,
    ...extra,
  };
}

/** POSTs `messages` to one tenant's number as Meta would (signed with the test app secret); resolves with the status. */
export async function postMessages(
  baseUrl: string,
  number: { phoneNumberId: string; display: string },
  messages: unknown[],
): Promise<number> {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'W',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: number.display, phone_number_id: number.phoneNumberId },
              messages,
            },
          },
        ],
      },
    ],
  });
  const res = await fetch(`${baseUrl}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureFor(body, TEST_APP_SECRET) },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}
