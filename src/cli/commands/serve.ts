/** `shortlist serve`: the HTTP server (search, rerank and embedding APIs in the Cohere, Jina, OpenAI and TEI dialects). */
import type { Command } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import { keysFromEnv, keysFromFile } from '../../server/auth.ts';
import { BATCHING_DEFAULTS, LIMIT_DEFAULTS, SERVER_DEFAULTS, type ServerOptions } from '../../server/options.ts';
import { createServer } from '../../server/server.ts';
import { PIPELINE_PRESETS } from '../../pipeline/presets.ts';
import { positiveInt } from './model-flags.ts';

/** The flags: the server options that map one to one, plus the ones that are assembled below. */
type ServeFlags = Pick<
  ServerOptions,
  | 'collections'
  | 'rerankModel'
  | 'embedModel'
  | 'rerankPreset'
  | 'embedPreset'
  | 'threads'
  | 'port'
  | 'host'
  | 'cors'
  | 'playground'
  | 'quiet'
  | 'insecureNoAuth'
  | 'overrideHandles'
> & {
  maxK?: number;
  maxDepth?: number;
  maxIdCharacters?: number;
  maxFieldCharacters?: number;
  maxJsonDepth?: number;
  allowPresets?: string[];
  allowModels?: string[];
  apiKeyEnv?: string;
  apiKeyFile?: string;
  batching: boolean;
  maxBatchTokens?: number;
  maxWaitMs?: number;
  maxQueued?: number;
  maxBodyBytes?: number;
  maxDocuments?: number;
  maxCharacters?: number;
  timeoutMs?: number;
};

/** Register `serve` on the program. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('serve search, rerank and embedding APIs over HTTP (Cohere, Jina, OpenAI and TEI dialects)')
    .option(
      '--collections <dir|url>',
      'serve the collections in this folder (each subfolder made by `shortlist init`) in this Postgres database (postgres://user@host:5432/db: each collection schema), or under this S3 prefix (s3://bucket/prefix: each sub-prefix with a pipeline.json)',
    )
    .option('--rerank-model <id|folder>', 'cross-encoder for /v1/rerank, /v2/rerank and /rerank')
    .option('--embed-model <id|folder>', 'bi-encoder for /v1/embeddings, /embeddings and /embed')
    .option(
      '--rerank-preset <json>',
      'preset fields for a rerank model without a preset, e.g. \'{"activation":"sigmoid","maxLength":512}\'',
      json('--rerank-preset'),
    )
    .option(
      '--embed-preset <json>',
      'preset fields for an embedding model without a preset, e.g. \'{"pooling":"mean","normalize":true}\'',
      json('--embed-preset'),
    )
    .option('--threads <n>', 'ONNX Runtime threads per model (default: all cores)', positiveInt('--threads'))
    .option('-p, --port <n>', 'port (0 picks a free one)', port, SERVER_DEFAULTS.port)
    .option('--host <addr>', 'address to listen on; 0.0.0.0 exposes the server beyond this machine', SERVER_DEFAULTS.host)
    .option('--api-key-env <NAME>', 'require "Authorization: Bearer <key>", keys read from this environment variable (comma-separated)')
    .option('--api-key-file <file>', 'require bearer keys, read from this file (one per line)')
    .option(
      '--cors <origin>',
      'allow this origin (or *) by CORS; without keys, requests from other origins are refused (default: CORS off, same origin only)',
    )
    .option('--insecure-no-auth', 'serve without keys on a non-loopback --host and accept any Host header (logs a warning)')
    .option(
      '--allow-presets <names>',
      `presets a request may create a collection with, comma-separated (default: ${Object.keys(PIPELINE_PRESETS).join(',')}; "" for none)`,
      list,
    )
    .option(
      '--allow-models <ids>',
      'models (hub ids or folders, as written in a pipeline) an inline pipeline may name when a request creates a collection, comma-separated (default: none: presets only)',
      list,
    )
    .option(
      '--override-handles <n>',
      `collection handles with per-request pipeline knobs open at once (default ${SERVER_DEFAULTS.overrideHandles})`,
      positiveInt('--override-handles'),
    )
    .option('--no-batching', 'run each request alone instead of merging concurrent requests into shared model batches')
    .option(
      '--max-batch-tokens <n>',
      `token budget of one merged batch (default ${BATCHING_DEFAULTS.maxBatchTokens})`,
      positiveInt('--max-batch-tokens'),
    )
    .option(
      '--max-wait-ms <n>',
      `longest wait for a batch to fill, ms (default ${BATCHING_DEFAULTS.maxWaitMs})`,
      nonNegative('--max-wait-ms'),
    )
    .option('--max-queued <n>', `items waiting per model before 429 (default ${BATCHING_DEFAULTS.maxQueued})`, positiveInt('--max-queued'))
    .option('--max-body-bytes <n>', `largest request body (default ${LIMIT_DEFAULTS.bodyBytes})`, positiveInt('--max-body-bytes'))
    .option(
      '--max-documents <n>',
      `most documents or texts per request (default ${LIMIT_DEFAULTS.documents})`,
      positiveInt('--max-documents'),
    )
    .option(
      '--max-characters <n>',
      `longest document, text or query in characters (default ${LIMIT_DEFAULTS.characters})`,
      positiveInt('--max-characters'),
    )
    .option('--max-k <n>', `largest k a search may ask for (default ${LIMIT_DEFAULTS.k})`, positiveInt('--max-k'))
    .option(
      '--max-depth <n>',
      `largest first-stage depth (and rerank keep) a search may ask for (default ${LIMIT_DEFAULTS.depth})`,
      positiveInt('--max-depth'),
    )
    .option(
      '--max-id-characters <n>',
      `longest document id or metadata key (default ${LIMIT_DEFAULTS.idCharacters})`,
      positiveInt('--max-id-characters'),
    )
    .option(
      '--max-field-characters <n>',
      `longest title, filter or metadata value as JSON (default ${LIMIT_DEFAULTS.fieldCharacters})`,
      positiveInt('--max-field-characters'),
    )
    .option('--max-json-depth <n>', `deepest nesting of a JSON body (default ${LIMIT_DEFAULTS.jsonDepth})`, positiveInt('--max-json-depth'))
    .option('--timeout-ms <n>', `request timeout, answered with 504 (default ${LIMIT_DEFAULTS.timeoutMs})`, positiveInt('--timeout-ms'))
    .option('--no-playground', 'do not serve the playground page at /')
    .option('-q, --quiet', 'no request logs on stderr')
    .action(async (flags: ServeFlags) => {
      const apiKeys = [
        ...(flags.apiKeyEnv ? keysFromEnv(flags.apiKeyEnv) : []),
        ...(flags.apiKeyFile ? keysFromFile(flags.apiKeyFile) : []),
      ];
      const server = await createServer({
        collections: flags.collections,
        rerankModel: flags.rerankModel,
        embedModel: flags.embedModel,
        rerankPreset: flags.rerankPreset,
        embedPreset: flags.embedPreset,
        threads: flags.threads,
        port: flags.port,
        host: flags.host,
        apiKeys,
        cors: flags.cors,
        insecureNoAuth: flags.insecureNoAuth === true,
        overrideHandles: flags.overrideHandles,
        creation: { presets: flags.allowPresets, models: flags.allowModels },
        playground: flags.playground,
        quiet: flags.quiet,
        batching: { enabled: flags.batching, maxBatchTokens: flags.maxBatchTokens, maxWaitMs: flags.maxWaitMs, maxQueued: flags.maxQueued },
        limits: {
          bodyBytes: flags.maxBodyBytes,
          documents: flags.maxDocuments,
          characters: flags.maxCharacters,
          timeoutMs: flags.timeoutMs,
          k: flags.maxK,
          depth: flags.maxDepth,
          idCharacters: flags.maxIdCharacters,
          fieldCharacters: flags.maxFieldCharacters,
          jsonDepth: flags.maxJsonDepth,
        },
      });
      // models are resolved at start-up; from here on nothing a request does downloads one (`shortlist models pull` fetches them)
      process.env.SHORTLIST_OFFLINE = '1';
      process.stdout.write(`shortlist serve: listening on ${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          server.close().then(resolve, resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ShortlistError('INVALID_ARGUMENT', `--port must be an integer in 0..65535, got '${value}'`);
  return n;
}

function nonNegative(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new ShortlistError('INVALID_ARGUMENT', `${flag} must be a number >= 0, got '${value}'`);
    return n;
  };
}

function json(flag: string): (value: string) => Record<string, unknown> {
  return (value) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ShortlistError('INVALID_ARGUMENT', `${flag} must be a JSON object, e.g. '{"maxLength":512}'; got ${value}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ShortlistError('INVALID_ARGUMENT', `${flag} must be a JSON object, got ${value}`);
    return parsed as Record<string, unknown>;
  };
}
