#!/usr/bin/env node
// The operator's command line: first-day setup (tenant, credentials, FAQs, API keys) and key
// rotation without SQL or curl. It is a client of a running server's admin API, so it works the
// same on PGlite (where only the server process may open the database) and on PostgreSQL.
//   npm run admin -- --help          (development, through tsx)
//   node dist/cli/adminCli.js --help (after npm run build / npm start)
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { accessCommandGroups } from './accessCommands.js';
import { AdminHttp } from './adminHttp.js';
import { parseCommandLine } from './cliArgs.js';
import type { CommandContext, CommandGroup } from './cliCommand.js';
import { CliError } from './cliError.js';
import { readSecret, stdinOnce } from './cliSecrets.js';
import { faqCommandGroups } from './faqCommands.js';
import { tenantCommandGroups } from './tenantCommands.js';

const COMMAND_GROUPS: readonly CommandGroup[] = [...tenantCommandGroups, ...faqCommandGroups, ...accessCommandGroups];

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** How to call this program again, for hints and help. */
  program: string;
  /** Standard input, whole (secrets given with --<option>-stdin). */
  readStdin(): Promise<string>;
}

/** Runs one command line; resolves to the exit code (0 success, 1 any failure). */
export async function runAdminCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseCommandLine(argv, COMMAND_GROUPS, io.program);
    if (parsed.kind === 'help') {
      (parsed.exitCode === 0 ? io.stdout : io.stderr)(`${parsed.text}\n`);
      return parsed.exitCode;
    }
    let api: AdminHttp | null = null;
    const readStdin = stdinOnce(io.readStdin);
    const warn = (text: string) => io.stderr(`${text}\n`);
    const token = await readSecret({ options: parsed.options, env: io.env, readStdin, warn }, 'token');
    const ctx: CommandContext = {
      api: () => (api ??= connect(parsed.server, token, io)),
      args: parsed.args,
      options: parsed.options,
      json: parsed.json,
      program: io.program,
      cwd: io.cwd,
      env: io.env,
      readStdin,
      out: (text) => {
        io.stdout(`${text}\n`);
      },
      write: (text) => {
        io.stdout(text);
      },
      err: (text) => {
        io.stderr(`${text}\n`);
      },
    };
    const code = await parsed.command.run(ctx);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(`${[err.message, ...err.hints].join('\n')}\n`);
    } else {
      // A bug, not an operator mistake: still one line, no stack trace.
      io.stderr(`Unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    return 1;
  }
}

/** The server (--server, ALPHADOME_URL, else this machine's PORT) and the token (--token, ADMIN_API_TOKEN). */
function connect(server: string | undefined, token: string | undefined, io: CliIo): AdminHttp {
  const env = (name: string) => io.env[name]?.trim() || undefined;
  const url = server ?? env('ALPHADOME_URL') ?? `http://127.0.0.1:${env('PORT') ?? '3000'}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`The server URL "${url}" is not a URL.`, [
      'Give it as --server http://host:port (or set ALPHADOME_URL).',
    ]);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`The server URL "${url}" must start with http:// or https://.`);
  }
  const bearer = token ?? env('ADMIN_API_TOKEN');
  if (!bearer) {
    throw new CliError(
      'No admin token: pass --token <token> or set ADMIN_API_TOKEN (in the environment or in ./.env).',
      ['It must equal the ADMIN_API_TOKEN the server was started with.'],
    );
  }
  return new AdminHttp(`${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`, bearer);
}

function programName(entry: string | undefined): string {
  if (entry?.endsWith('.js')) return `node ${path.relative(process.cwd(), entry) || entry}`;
  return 'npm run admin --';
}

/** True when this file is the program node was started with (not when a test imports it). */
function isEntryPoint(entry: string | undefined): boolean {
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

const entry = process.argv[1];
if (isEntryPoint(entry)) {
  if (existsSync('.env')) {
    try {
      process.loadEnvFile('.env');
    } catch (err) {
      process.stderr.write(
        `Warning: .env could not be read (${(err as Error).message}); using the environment only.\n`,
      );
    }
  }
  process.exitCode = await runAdminCli(process.argv.slice(2), {
    stdout: (text) => {
      process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    env: process.env,
    cwd: process.cwd(),
    program: programName(entry),
    readStdin: () => readAll(process.stdin),
  });
}
