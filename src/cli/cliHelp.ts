// Help texts, made from the command definitions so they cannot drift from what is parsed.
import { GLOBAL_OPTIONS, type Command, type CommandGroup, type OptionSpec } from './cliCommand.js';

export const cliHelp = {
  overview(groups: readonly CommandGroup[], program: string): string {
    const rows = groups.flatMap((group) => group.commands.map((c) => [`${c.group} ${c.action}`, c.summary] as const));
    return [
      "Alphadome Bot admin command line: a client of a running server's admin API (/api/v1).",
      '',
      `Usage: ${program} <command> [arguments] [options]`,
      '',
      'Commands:',
      ...columns(rows),
      '',
      'Options for every command:',
      ...optionLines(GLOBAL_OPTIONS),
      '',
      'First-day setup: tenant create, then faq import, then apikey create.',
      `Help on one command: ${program} tenant create --help`,
    ].join('\n');
  },

  group(group: CommandGroup, program: string): string {
    return [
      `${group.summary}`,
      '',
      ...group.commands.map((c) => `Usage: ${usage(c, program)}`),
      '',
      'Commands:',
      ...columns(group.commands.map((c) => [`${c.group} ${c.action}`, c.summary] as const)),
      '',
      `Help on one command: ${program} ${group.name} ${group.commands[0]?.action ?? ''} --help`,
    ].join('\n');
  },

  command(command: Command, program: string): string {
    const lines = [`Usage: ${usage(command, program)}`, '', `${command.summary}.`];
    if (command.args?.length) {
      lines.push('', 'Arguments:', ...columns(command.args.map((a) => [`<${a.name}>`, a.description] as const)));
    }
    if (command.options && Object.keys(command.options).length)
      lines.push('', 'Options:', ...optionLines(command.options));
    lines.push('', 'Options for every command:', ...optionLines(GLOBAL_OPTIONS));
    if (command.notes?.length) lines.push('', ...command.notes.map((note) => note.replaceAll('$0', program)));
    return lines.join('\n');
  },

  usage,
};

/** `npm run admin -- tenant create --name <name> --phone <phone> [options]` */
function usage(command: Command, program: string): string {
  const options = Object.entries(command.options ?? {});
  const required = options.filter(([, spec]) => spec.required).map(([name, spec]) => flag(name, spec));
  const optional = options.some(([, spec]) => !spec.required);
  const args = (command.args ?? []).map((a) => `<${a.name}>`);
  return [program, command.group, command.action, ...args, ...required, ...(optional ? ['[options]'] : [])].join(' ');
}

function flag(name: string, spec: OptionSpec): string {
  const value = spec.type === 'string' ? ` ${spec.choices ? spec.choices.join('|') : (spec.value ?? '<value>')}` : '';
  return `--${name}${value}`;
}

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  return columns(
    Object.entries(options).map(
      ([name, spec]) =>
        [
          `${name === 'help' ? '-h, ' : ''}${flag(name, spec)}`,
          `${spec.required ? '(required) ' : ''}${spec.description}`,
        ] as const,
    ),
  );
}

function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
