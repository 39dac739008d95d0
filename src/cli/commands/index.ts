/** Every CLI command, in the order `--help` lists them. Each module is a few lines over the library. */
import type { Command } from 'commander';

/** A command module: registers one verb (with its flags and one-line docs) on the program. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = Object.freeze([]);
