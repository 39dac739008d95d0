/** `shortlist init <dir|postgres://…?schema=name> [--pipeline <file.json|preset>]`: create an empty collection. */
import type { Command } from 'commander';
import { rerankStagesHelp } from '../../pipeline/rerank-stages.ts';
import { isShortlistError, ShortlistError } from '../../core/errors.ts';
import { Collection } from '../../engine/collection.ts';
import { isRemoteStage } from '../../engine/models.ts';
import { denseRetrievers } from '../../pipeline/config.ts';
import { DEFAULT_PIPELINE, PIPELINE_PRESETS, loadPipeline } from '../../pipeline/presets.ts';
import { parseModelSource } from '../../models/hub/source.ts';
import { printJson } from '../output.ts';

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('init')
    .description('create an empty collection in a directory or a Postgres schema, with a pipeline (models are fetched on first use)')
    .addHelpText('after', () => `\n${rerankStagesHelp()}`)
    .argument(
      '<dir>',
      'collection to create: a directory, postgres://user@host:5432/db?schema=name (a new schema) or s3://bucket/prefix (AWS_* settings)',
    )
    .option('--pipeline <file|preset>', `pipeline JSON file or preset: ${Object.keys(PIPELINE_PRESETS).join(', ')}`, DEFAULT_PIPELINE)
    .option(
      '--distributed',
      'postgres:// only: distribute the tables over the Citus workers (the default when the database has Citus; fails without it)',
    )
    .option('--no-distributed', 'postgres:// only: keep the tables on the Citus coordinator')
    .option('--json', 'print the collection info as JSON')
    .action(async (dir: string, opts: { pipeline: string; json?: boolean; distributed?: boolean }) => {
      if (opts.distributed !== undefined) {
        if (!/^postgres(ql)?:\/\//i.test(dir))
          throw new ShortlistError('INVALID_ARGUMENT', '--distributed and --no-distributed apply to postgres:// collections only', {
            location: { field: 'distributed' },
          });
        const u = new URL(dir);
        u.searchParams.set('distributed', String(opts.distributed));
        dir = u.toString();
      }
      const pipeline = loadPipeline(opts.pipeline);
      const models = [
        ...denseRetrievers(pipeline).flatMap((r) => (r.model === undefined ? [] : [r.model])),
        ...pipeline.rerank.flatMap((s) => (isRemoteStage(s) || !('model' in s) || typeof s.model !== 'string' ? [] : [s.model])),
      ];
      const hub = models.filter((m) => parseModelSource(m).kind === 'hub');
      if (hub.length > 0 && !opts.json) process.stderr.write(`loading ${hub.join(', ')} (fetched from the hub on first use)\n`);
      let c: Collection;
      try {
        c = await Collection.create(dir, pipeline);
      } catch (err) {
        if (isShortlistError(err) && ['NETWORK_ERROR', 'NOT_FOUND', 'MODEL_ERROR'].includes(err.code) && models.length > 0) {
          throw new ShortlistError(
            err.code,
            `${err.message}\nthe pipeline needs ${models.join(', ')}; connect to fetch them once, give a pipeline file naming local model folders, or start without models: shortlist init ${dir} --pipeline bm25`,
            { cause: err },
          );
        }
        throw err;
      }
      try {
        const info = await c.info();
        if (opts.json) return printJson(info);
        process.stdout.write(
          `created collection ${info.dir} (pipeline ${opts.pipeline}: ${pipeline.retrievers.map((r) => r.name).join(' + ')}${pipeline.rerank.map((s) => ` → ${s.type}`).join('')}; ${info.dims > 1 ? `${info.dims}-d vectors` : 'no dense vectors'})\n`,
        );
      } finally {
        await c.close();
      }
    });
}
