// Reads the command line (node:util parseArgs): which command, its arguments and options, or
// which help to show. Mistakes become CliErrors that name the flag, never a value given (it may
// be a secret).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cliError.js';
import { GLOBAL_OPTIONS, type Command, type CommandGroup, type OptionSpec } from './cliCommand.js';
import { cliHelp } from './cliHelp.js';

export type ParsedCommandLine =
  | { kind: 'help'; text: string; exitCode: 0 | 1 }
  | {
      kind: 'run';
      command: Command;
      args: Record<string, string>;
      options: Record<string, string | boolean | undefined>;
      server: string | undefined;
      json: boolean;
    };

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

export function parseCommandLine(
  argv: readonly string[],
  groups: readonly CommandGroup[],
  program: string,
): ParsedCommandLine {
  // First pass, lenient: find the command words wherever the options are.
  const loose = parseArgs({
    args: [...argv],
    options: parseConfig(everyOption(groups)),
    strict: false,
    allowPositionals: true,
  });
  let words = loose.positionals;
  const wantsHelp = loose.values['help'] === true || words[0] === 'help';
  if (words[0] === 'help') words = words.slice(1);

  const [groupName, actionName] = words;
  if (groupName === undefined)
    return { kind: 'help', text: cliHelp.overview(groups, program), exitCode: wantsHelp ? 0 : 1 };
  const group = groups.find((g) => g.name === groupName);
  if (!group) {
    throw new CliError(`Unknown command "${groupName}". Commands: ${groups.map((g) => g.name).join(', ')}.`, [
      `See: ${program} --help`,
    ]);
  }
  if (actionName === undefined)
    return { kind: 'help', text: cliHelp.group(group, program), exitCode: wantsHelp ? 0 : 1 };
  const command = group.commands.find((c) => c.action === actionName);
  if (!command) {
    const actions = group.commands.map((c) => `${group.name} ${c.action}`).join(', ');
    throw new CliError(`Unknown command "${groupName} ${actionName}". Try one of: ${actions}.`, [
      `See: ${program} ${group.name} --help`,
    ]);
  }
  if (wantsHelp) return { kind: 'help', text: cliHelp.command(command, program), exitCode: 0 };

  // Second pass, strict: only this command's options (and the global ones).
  const specs: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...command.options };
  const seeHelp = [
    `Usage: ${cliHelp.usage(command, program)}`,
    `See: ${program} ${command.group} ${command.action} --help`,
  ];
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: parseConfig(specs), strict: true, allowPositionals: true });
  } catch (err) {
    throw new CliError(optionProblem(err, command), seeHelp);
  }

  const given = parsed.positionals.slice(2);
  const argSpecs = command.args ?? [];
  const missing = argSpecs[given.length];
  if (missing) throw new CliError(`Missing <${missing.name}>: ${missing.description}.`, seeHelp);
  if (given.length > argSpecs.length) {
    const expected = argSpecs.length ? argSpecs.map((a) => `<${a.name}>`).join(' ') : 'no arguments';
    throw new CliError(`Too many arguments: "${command.group} ${command.action}" takes ${expected}.`, seeHelp);
  }
  const args = Object.fromEntries(argSpecs.map((spec, i) => [spec.name, given[i] ?? '']));

  const options: Record<string, string | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = parsed.values[name];
    const single = Array.isArray(value) ? value.at(-1) : value;
    if (typeof single === 'string' && single.trim() === '') throw new CliError(`--${name} must not be empty.`, seeHelp);
    if (single === undefined && spec.required) {
      throw new CliError(`Missing --${name} ${spec.value ?? '<value>'}: ${lowerFirst(spec.description)}.`, seeHelp);
    }
    if (typeof single === 'string' && spec.choices && !spec.choices.includes(single)) {
      throw new CliError(`--${name} must be one of ${spec.choices.join(', ')}.`, seeHelp);
    }
    options[name] = single;
  }
  const server = typeof options['server'] === 'string' ? options['server'] : undefined;
  return { kind: 'run', command, args, options, server, json: options['json'] === true };
}

/** Every option of every command, for the lenient first pass (same name, same type everywhere). */
function everyOption(groups: readonly CommandGroup[]): Record<string, OptionSpec> {
  const all: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS };
  for (const group of groups) for (const command of group.commands) Object.assign(all, command.options);
  return all;
}

function parseConfig(specs: Record<string, OptionSpec>): ParseOptions {
  const config: ParseOptions = {};
  for (const [name, spec] of Object.entries(specs))
    config[name] = name === 'help' ? { type: 'boolean', short: 'h' } : { type: spec.type };
  return config;
}

/** parseArgs' message, reworded; it never repeats a value (which may be a secret). */
function optionProblem(err: unknown, command: Command): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const name = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? 'an option';
  const where = `"${command.group} ${command.action}"`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${name} for ${where}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return `${name} takes no value.`;
    if (message.includes('ambiguous'))
      return `${name} needs a value; to give one that starts with "-", write ${name}=<value>.`;
    return `${name} needs a value.`;
  }
  return `The command line could not be read for ${where}.`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
