/** Every CLI command, in the order `--help` lists them. Each module is a few lines over the library. */
import type { Command } from 'commander';
import { register as index } from './index-cmd.ts';
import { register as search } from './search.ts';
import { register as evaluate } from './eval.ts';
import { register as models } from './models.ts';
import { register as rerank } from './rerank.ts';
import { register as embed } from './embed.ts';
import { register as init } from './init.ts';
import { register as add } from './add.ts';
import { register as rm } from './rm.ts';
import { register as info } from './info.ts';
import { register as compare } from './compare.ts';
import { register as sweep } from './sweep.ts';
import { register as calibrate } from './calibrate.ts';
import { register as mine } from './mine.ts';
import { register as adapt } from './adapt.ts';
import { register as serve } from './serve.ts';
import { register as report } from './report.ts';
import { register as datasets } from './datasets.ts';
import { register as check } from './check.ts';
import { register as optimize } from './optimize.ts';

/** A command module: registers one verb (with its flags and one-line docs) on the program. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = Object.freeze([init, add, search, rm, info, check, optimize, index, evaluate, sweep, calibrate, mine, adapt, compare, report, datasets, rerank, embed, models, serve]);
