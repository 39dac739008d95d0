/** `shortlist mcp`: the MCP server over stdio (tools: list_collections, collection_info, search, rerank). */
import type { Command } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import type { Reranker } from '../../core/types.ts';
import { positiveInt } from './model-flags.ts';

interface McpFlags {
  collections?: string;
  rerankModel?: string;
  rerankPreset?: Record<string, unknown>;
  threads?: number;
}

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('mcp')
    .description('serve search, collection info and rerank as MCP tools over stdio (tools tune, never configure)')
    .option(
      '--collections <dir|url>',
      'the collections the tools search: a folder of collections (from `shortlist init`), postgres://user@host:5432/db or s3://bucket/prefix',
    )
    .option('--rerank-model <id|folder>', 'cross-encoder of the rerank tool (preset, hub id or local folder)')
    .option(
      '--rerank-preset <json>',
      'preset fields for a rerank model without a preset, e.g. \'{"activation":"sigmoid","maxLength":512}\'',
      presetJson,
    )
    .option('--threads <n>', 'ONNX Runtime threads of the rerank model (default: all cores)', positiveInt('--threads'))
    .action(async (flags: McpFlags) => {
      const { serveStdio } = await import('../../integrations/mcp/index.ts');
      let reranker: (Reranker & { dispose(): Promise<void> }) | undefined;
      if (flags.rerankModel) {
        const { CrossEncoderReranker } = await import('../../rerank/cross-encoder/reranker.ts');
        reranker = await CrossEncoderReranker.create({ model: flags.rerankModel, preset: flags.rerankPreset, threads: flags.threads });
      }
      try {
        await serveStdio({ collections: flags.collections, reranker });
      } finally {
        await reranker?.dispose();
      }
    });
}

function presetJson(value: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(value);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ShortlistError('INVALID_ARGUMENT', `--rerank-preset must be a JSON object, got '${value}'`, {
    location: { field: '--rerank-preset' },
  });
}
