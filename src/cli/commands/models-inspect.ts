/**
 * `shortlist models inspect <folder|id>`: every setting shortlist would run a model with, and
 * where each came from (the preset table, a folder file and key, an explicit flag, a default).
 */
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { describePreset } from '../../models/encoders/model.ts';
import { resolveModel } from '../../models/hub/index.ts';
import { parseModelSource } from '../../models/hub/source.ts';
import { findPreset } from '../../models/presets/index.ts';
import { ACTIVATIONS, DTYPES, POOLINGS, type Dtype, type ModelPreset, type ModelRole } from '../../models/presets/types.ts';
import { formatTable, printJson } from '../output.ts';
import { nonNegativeInt, positiveInt, presetFieldsOf, type ModelFlags } from './model-flags.ts';

/** The model flags `embed` and `rerank` share, plus the role and output format. */
interface InspectFlags
  extends Pick<ModelFlags, 'pooling' | 'normalize' | 'activation' | 'labelIndex' | 'maxLength' | 'queryPrefix' | 'docPrefix'> {
  role?: ModelRole;
  dtype: Dtype;
  json?: boolean;
}

/** The settings printed, in order. */
const FIELDS: readonly (keyof ModelPreset)[] = [
  'role',
  'onnxRepo',
  'revision',
  'output',
  'inputs',
  'maxLength',
  'pooling',
  'includePrompt',
  'normalize',
  'queryPrefix',
  'documentPrefix',
  'similarity',
  'activation',
  'labelIndex',
  'dims',
  'matryoshkaDims',
  'colbert',
];

/** Register `models inspect` under `models`. */
export function registerInspect(models: Command): void {
  models
    .command('inspect')
    .description(
      'Print every setting a model runs with and where it came from: preset table, folder file (modules.json, 1_Pooling, sentence_bert_config.json, …), flag or default.',
    )
    .argument('<model>', 'preset or hub id (org/name[@revision]) or a local model folder')
    .addOption(
      new Option('--role <role>', "run it as (default: the preset's, else config.json architectures)").choices([
        'bi-encoder',
        'cross-encoder',
        'multi-vector',
      ]),
    )
    .addOption(new Option('--dtype <dtype>', 'ONNX file variant').choices([...DTYPES]).default(DTYPES[0]))
    .addOption(new Option('--pooling <kind>', 'override the pooling').choices([...POOLINGS]))
    .option('--normalize', 'override: L2-normalise')
    .addOption(
      new Option('--activation <fn>', 'override the score activation (softmax: the probability of --label-index)').choices([
        ...ACTIVATIONS,
      ]),
    )
    .option('--label-index <n>', 'override: with softmax, the label whose probability is the score', nonNegativeInt('--label-index'))
    .option('--max-length <n>', 'override the window', positiveInt('--max-length'))
    .option('--query-prefix <text>', 'override the query prefix')
    .option('--doc-prefix <text>', 'override the document prefix')
    .option('--json', 'print { settings: { field: { value, source } }, files }')
    .action(async (model: string, flags: InspectFlags) => {
      const table = findPreset(model);
      const local = parseModelSource(model).kind === 'local';
      // The folder to read: the local folder, or (hub id without a preset) the downloaded snapshot.
      const fetched = table ? undefined : await resolveModel(model, { dtype: flags.dtype, preset: false });
      const role = flags.role ?? table?.role ?? (await folderRole(fetched?.files.config));
      const { preset, sources } = describePreset(model, role, presetFieldsOf(flags), local ? undefined : fetched?.dir);
      const resolved = table ? undefined : await resolveModel(model, { dtype: flags.dtype, preset });
      const rows: [string, unknown, string][] = [];
      for (const f of FIELDS) {
        const value = preset[f];
        if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
        if ((f === 'onnxRepo' || f === 'revision') && !table) continue;
        rows.push([
          f,
          value,
          sources[f] ??
            (f === 'role'
              ? flags.role
                ? 'flag --role'
                : 'config.json architectures'
              : f === 'output' || f === 'inputs'
                ? "default for the role (inputs: the graph's own)"
                : 'default'),
        ]);
      }
      if (table) rows.push(['onnx file', table.onnxFiles[flags.dtype] ?? '-', `preset table (${flags.dtype})`]);
      else if (resolved) rows.push(['onnx file', resolved.paths.onnx, `found in the ${local ? 'folder' : 'snapshot'} (${flags.dtype})`]);
      if (table?.unverified?.length) rows.push(['unverified', table.unverified.join('; '), 'preset table']);
      if (flags.json) {
        return printJson({
          model,
          role,
          settings: Object.fromEntries(rows.map(([k, v, s]) => [k, { value: v, source: s }])),
          sources: table?.sources,
        });
      }
      const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? JSON.stringify(v) : String(v));
      process.stdout.write(
        `${model} as a ${role}\n` +
          formatTable(
            ['setting', 'value', 'source'],
            rows.map(([k, v, s]) => [k, show(v), s]),
          ) +
          '\n',
      );
      if (table) for (const s of table.sources) process.stdout.write(`source: ${s}\n`);
    });
}

/** A folder's role from config.json's architectures (sequence classification → cross-encoder). */
async function folderRole(configPath: string | undefined): Promise<ModelRole> {
  if (!configPath) return 'bi-encoder';
  const config = JSON.parse(await readFile(configPath, 'utf8')) as { architectures?: string[] };
  return (config.architectures ?? []).some((a) => a.endsWith('ForSequenceClassification')) ? 'cross-encoder' : 'bi-encoder';
}
