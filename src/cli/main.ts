/**
 * The CLI's one entry and one exit point: the command that runs is imported and registers itself
 * on the program; the others appear in `--help` from the command table without being loaded.
 * Every error reaches the catch below and becomes one message on stderr and one exit code.
 */
import { Command, Help } from 'commander';
import { isShortlistError } from '../core/errors.ts';
import { COMMANDS, type CommandEntry, type CommandName } from './commands/index.ts';

/** The package's version (equal to package.json's: test/cli/lazy-commands.test.ts; bin/ prints that one for `--version`). */
export const VERSION = '0.1.0';

/**
 * Build the commander program: `load` commands are imported and registered (`'all'` for every
 * command); the rest are listed in the help from the table only.
 */
export async function buildProgram(load: readonly string[] | 'all' = 'all'): Promise<Command> {
  const listed = new Map<Command, string>();
  const program = new Command('shortlist')
    .description('Two-stage retrieval: shortlist with BM25 or embeddings, rerank precisely, measure each stage.')
    .version(VERSION)
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .configureHelp({ subcommandTerm: (cmd) => listed.get(cmd) ?? Help.prototype.subcommandTerm.call(new Help(), cmd) });
  for (const [name, entry] of Object.entries(COMMANDS) as [CommandName, CommandEntry][]) {
    if (load === 'all' || load.includes(name)) {
      (await entry.load()).register(program);
    } else {
      listed.set(program.command(name).description(entry.summary), `${name}${entry.usage ? ` ${entry.usage}` : ''}`);
    }
  }
  return program;
}

/** The command `argv` runs (also for `shortlist help <command>`), if it names one of the table. */
export function commandOf(argv: readonly string[]): string[] {
  const [first, second] = argv.slice(2);
  const name = first === 'help' ? second : first;
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? [name] : [];
}

/** Run the CLI with `argv` (as in process.argv); resolves to the exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  // The pinned AWS SDK (s3:// collections) runs on Node 20 but prints a notice about its future
  // releases on every run; the CLI keeps stderr for its own messages. The library leaves it on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    const program = (await buildProgram(commandOf(argv))).exitOverride();
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0; // a command may fail softly (`check`: exit 1)
  } catch (err) {
    if (isShortlistError(err)) {
      process.stderr.write(`shortlist: ${err.message}\n`);
      if (process.env.SHORTLIST_DEBUG && err.cause) process.stderr.write(`cause: ${String(err.cause)}\n`);
      return err.exitCode;
    }
    const code = (err as { code?: string; exitCode?: number }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      return (err as { exitCode: number }).exitCode; // commander already printed the message
    }
    process.stderr.write(`shortlist: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 70;
  }
}
