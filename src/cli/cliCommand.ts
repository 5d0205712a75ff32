// What a command of the admin command line is: its words, arguments, options and what it does.
import type { AdminHttp } from './adminHttp.js';
import { secretOptionSpecs } from './cliSecrets.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Shown in help after the flag: `--name <name>`. */
  value?: string;
  description: string;
  required?: boolean;
  choices?: readonly string[];
}

export interface ArgumentSpec {
  name: string;
  description: string;
}

export interface CommandContext {
  /** The admin API client; made on first use, so local mistakes are reported before a missing token. */
  api(): AdminHttp;
  /** Positional arguments by name (every one is required). */
  args: Record<string, string>;
  /** String options given (non-empty); a boolean option is true when given. */
  options: Record<string, string | boolean | undefined>;
  /** --json: print the API's answer as JSON instead of the readable form. */
  json: boolean;
  /** How to call this program again, for hints: `npm run admin --`. */
  program: string;
  /** Folder that relative file names are read from and written to. */
  cwd: string;
  /** The environment (with ./.env), where --<secret>-env options look. */
  env: Readonly<Record<string, string | undefined>>;
  /** Standard input, whole (for --<secret>-stdin); a second call is refused. */
  readStdin(): Promise<string>;
  /** A line (or lines) to standard output. */
  out(text: string): void;
  /** Text to standard output as is (a file's content). */
  write(text: string): void;
  /** A line (or lines) to standard error. */
  err(text: string): void;
}

export interface Command {
  group: string;
  action: string;
  summary: string;
  args?: readonly ArgumentSpec[];
  options?: Readonly<Record<string, OptionSpec>>;
  /** Extra help lines: notes and examples (`$0` is replaced by the program). */
  notes?: readonly string[];
  /** Exit code: 0 or nothing for success. */
  // biome-ignore lint/suspicious/noConfusingVoidType: an async run() with no return statement is Promise<void>; it succeeded.
  run(ctx: CommandContext): Promise<number | void>;
}

export interface CommandGroup {
  name: string;
  summary: string;
  commands: readonly Command[];
}

/** A string option's value (parsing guarantees its type). */
export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** A positional argument (parsing guarantees it is there). */
export function argument(ctx: CommandContext, name: string): string {
  return ctx.args[name] ?? '';
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  server: {
    type: 'string',
    value: '<url>',
    description: 'Server root URL (default: ALPHADOME_URL, else http://127.0.0.1:$PORT, PORT 3000 unless set)',
  },
  ...secretOptionSpecs('token', {
    type: 'string',
    value: '<token>',
    description: 'Admin token (default: ADMIN_API_TOKEN, from the environment or ./.env)',
  }),
  json: { type: 'boolean', description: "Print the API's answer as JSON instead of the readable summary" },
  help: { type: 'boolean', description: 'Show help (also: help <command>)' },
};
