/**
 * The CLI's one entry and one exit point: every command registers itself on the program; every
 * error reaches the catch below and becomes one message on stderr and one exit code.
 */
import { Command } from 'commander';
import { isShortlistError } from '../core/errors.ts';
import { COMMANDS } from './commands/index.ts';

/** Build the commander program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('shortlist')
    .description('Two-stage retrieval: shortlist with BM25 or embeddings, rerank precisely, measure each stage.')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of COMMANDS) register(program);
  return program;
}

/** Run the CLI with `argv` (as in process.argv); resolves to the exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  // The pinned AWS SDK (s3:// collections) runs on Node 20 but prints a notice about its future
  // releases on every run; the CLI keeps stderr for its own messages. The library leaves it on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const program = buildProgram().exitOverride();
  try {
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
