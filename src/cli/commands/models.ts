/** `shortlist models pull|ls`: fetch a model into the cache; list the presets and what is cached. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import { DTYPES, presetStatuses, resolveModel } from '../../models/hub/index.ts';
import { PRESETS } from '../../models/presets/index.ts';
import type { Dtype, ModelPreset } from '../../models/presets/types.ts';
import { formatTable, printJson } from '../output.ts';
import { createProgress } from '../progress.ts';
import { registerInspect } from './models-inspect.ts';

/** Register `models pull`, `models ls` and `models inspect`. */
export function register(program: Command): void {
  const models = program
    .command('models')
    .description('Download models into the cache, list the built-in presets, inspect how a model runs.');
  registerInspect(models);

  models
    .command('pull')
    .description('Download a hub model (tokenizer, config, one ONNX variant) into the cache, or check a local model folder.')
    .argument('<model>', 'hub id `org/name[@revision]` or a local model folder')
    .addOption(new Option('--dtype <dtype>', 'ONNX precision variant to fetch').choices([...DTYPES]).default('fp32'))
    .option('--revision <rev>', 'branch, tag or commit to fetch (default: the preset pin, else main)')
    .option('--verify', 're-hash files already in the cache and fetch again any that differ')
    .option('--json', 'print the resolved files as JSON instead of text')
    .action(async (model: string, opts: { dtype: Dtype; revision?: string; verify?: boolean; json?: boolean }) => {
      const bar = createProgress(`Downloading ${model}`, { unit: 'kB', quiet: opts.json });
      let resolved;
      try {
        resolved = await resolveModel(model, {
          dtype: opts.dtype,
          revision: opts.revision,
          verify: opts.verify,
          onProgress: (p) => bar.update(Math.round(p.loaded / 1024), Math.round(p.total / 1024)),
        });
      } finally {
        bar.stop();
      }
      if (opts.json) return printJson(resolved);
      const status = !resolved.repo ? 'Local folder' : resolved.downloaded ? 'Downloaded' : 'Already cached';
      const what = resolved.repo ? `${resolved.repo}@${resolved.revision} ` : '';
      process.stdout.write(`${status}: ${what}(${resolved.dtype})\n${resolved.dir}\n`);
      for (const [name, path] of Object.entries(resolved.files)) process.stdout.write(`  ${name.padEnd(16)} ${path}\n`);
    });

  models
    .command('ls')
    .description(
      'List the model presets with their role, size, pooling or activation, pinned revision, which facts are verified, and which dtypes are cached.',
    )
    .option('--facts', 'also print, per preset, the facts still unverified and the sources of the others')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean; facts?: boolean }) => {
      const rows = await presetStatuses(Object.values(PRESETS as Record<string, ModelPreset>));
      if (opts.json) return printJson(rows);
      if (rows.length === 0) throw new ShortlistError('INTERNAL', 'the preset table is empty');
      const table = rows.map((r) => [
        r.id,
        r.role,
        r.dims ?? '-',
        r.maxLength,
        r.pooling ?? r.activation ?? '-',
        r.revision ? r.revision.slice(0, 10) : 'main',
        r.unverified.length === 0 ? 'all verified' : `${r.unverified.length} unverified`,
        r.dtypes.join(','),
        r.cached.length ? r.cached.join(',') : '-',
      ]);
      const out = [formatTable(['model', 'role', 'dims', 'max len', 'pooling/act', 'revision', 'facts', 'dtypes', 'cached'], table)];
      if (opts.facts) {
        for (const r of rows) {
          out.push('', `${r.id} (${r.onnxRepo}@${r.revision ?? 'main'})`);
          out.push(r.unverified.length === 0 ? '  verified: every fact below' : `  verified: every fact but ${r.unverified.length}`);
          for (const u of r.unverified) out.push(`  unverified: ${u}`);
          for (const s of r.sources) out.push(`  source: ${s}`);
        }
      } else {
        out.push('', 'facts per preset and their sources: shortlist models ls --facts');
      }
      process.stdout.write(out.join('\n') + '\n');
    });
}
