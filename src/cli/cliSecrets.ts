// Secrets on the command line are seen by everyone: the process list shows them to other users,
// shell history keeps them, and `npm run` prints the expanded command. So each secret option also
// comes as `--<name>-env VAR` (read from the environment, or ./.env) and `--<name>-stdin` (or the
// value `-`: read from standard input); a value typed out still works, with a warning.
import { CliError } from './cliError.js';

/** The shape of an option in cliCommand.ts (repeated, not imported: cliCommand.ts imports this file). */
interface SecretOptionSpec {
  type: 'string' | 'boolean';
  value?: string;
  description: string;
  required?: boolean;
}

/** The three ways to give the secret option `name`: as a value, by variable name, from stdin. */
export function secretOptionSpecs(
  name: string,
  spec: SecretOptionSpec & { type: 'string' },
): Record<string, SecretOptionSpec> {
  return {
    [name]: { ...spec, description: `${spec.description}; "-" reads it from standard input` },
    [`${name}-env`]: {
      type: 'string',
      value: '<VAR>',
      description: `Read --${name} from the environment variable VAR (or ./.env)`,
    },
    [`${name}-stdin`]: { type: 'boolean', description: `Read --${name} from standard input (one line)` },
  };
}

/** Where a secret may come from, as the command's context provides it. */
export interface SecretSources {
  options: Readonly<Record<string, string | boolean | undefined>>;
  env: Readonly<Record<string, string | undefined>>;
  /** Standard input, whole; read at most once per run. */
  readStdin(): Promise<string>;
  warn(text: string): void;
}

/**
 * The secret named `name`, from whichever of its three forms was given (at most one), or undefined
 * when none was. Error and warning texts name options and variables, never a value.
 */
export async function readSecret(sources: SecretSources, name: string): Promise<string | undefined> {
  const value = sources.options[name];
  const variable = sources.options[`${name}-env`];
  const fromStdin = sources.options[`${name}-stdin`] === true || value === '-';
  const given = [typeof value === 'string' && value !== '-', typeof variable === 'string', fromStdin].filter(
    Boolean,
  ).length;
  if (given > 1)
    throw new CliError(`Give --${name} one way only: --${name} <value>, --${name}-env <VAR> or --${name}-stdin.`);

  if (typeof variable === 'string') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
      throw new CliError(
        `--${name}-env takes the name of an environment variable (letters, digits, _), not the secret itself.`,
      );
    }
    const secret = sources.env[variable]?.trim();
    if (!secret)
      throw new CliError(
        `--${name}-env ${variable}: the environment variable ${variable} is not set (or empty), in the environment or in ./.env.`,
      );
    return secret;
  }
  if (fromStdin) {
    const secret = firstLine(await sources.readStdin());
    if (!secret)
      throw new CliError(`--${name}: nothing was read from standard input.`, [
        `Pipe it in, e.g.: printf '%s' "$SECRET" | ... --${name}-stdin`,
      ]);
    return secret;
  }
  if (typeof value === 'string') {
    sources.warn(
      `Warning: --${name} was given on the command line, where the process list shows it to other users and shell history keeps it; ` +
        `prefer --${name}-env <VAR> or --${name}-stdin.`,
    );
    return value;
  }
  return undefined;
}

/** A secret read from standard input: its first line, without the line break. */
function firstLine(text: string): string {
  return (text.split(/\r?\n/, 1)[0] ?? '').trim();
}

/** Standard input can be read once: a second secret asking for it is refused, not given "". */
export function stdinOnce(read: () => Promise<string>): () => Promise<string> {
  let used = false;
  return async () => {
    if (used)
      throw new CliError(
        'Only one secret can be read from standard input per command; give the others with --<option>-env <VAR>.',
      );
    used = true;
    return read();
  };
}
