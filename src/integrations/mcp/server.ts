/**
 * The MCP server: shortlist's collections and reranker as tools for agents, over stdio (or any MCP
 * transport). The same security model as the HTTP server: a tool call tunes (`k`, `filter`,
 * `depth`, which collection by name), never configures — collections root, models and providers
 * come from the operator's options only, no tool input names a path, URL, model, provider or
 * environment variable, and error messages carry no host paths.
 *
 * Tools: `list_collections`, `collection_info`, `search`, `rerank`.
 */
import { overrideKey, overridePipeline } from '../../server/overrides.ts';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { zod } from '../../core/zod.ts';
import { isShortlistError } from '../../core/errors.ts';
import type { Reranker } from '../../core/types.ts';
import { CollectionRegistry } from '../../server/collections.ts';

/** Options of {@link createMcpServer}: everything an operator configures. */
export interface McpServerOptions {
  /** The collections served: a folder of collections, `postgres://…` or `s3://bucket/prefix`. @default none (search tools answer that none is configured) */
  collections?: string;
  /** The reranker of the `rerank` tool (the caller owns and disposes it). @default none (the tool answers that none is configured) */
  reranker?: Reranker;
  /** Limits on tool inputs. */
  limits?: Partial<McpLimits>;
}

/** Limits on what one tool call may ask. */
export interface McpLimits {
  /** Largest `k` of a search or rerank. @default 100 */
  k: number;
  /** Largest first-stage `depth` of a search. @default 1000 */
  depth: number;
  /** Most texts in one rerank call. @default 1000 */
  texts: number;
  /** Longest query or text, in characters. @default 100000 */
  characters: number;
}

/** Defaults of {@link McpLimits}. */
export const MCP_LIMITS = Object.freeze({ k: 100, depth: 1000, texts: 1000, characters: 100_000 } satisfies McpLimits);

const NAME = /^[A-Za-z0-9][\w.-]{0,127}$/;

/** A running MCP server: connect it to a transport, close it when done. */
export interface ShortlistMcpServer {
  /** The SDK server (to register more tools or connect another transport). */
  readonly server: McpServer;
  /** Serve on `transport` (e.g. `new StdioServerTransport()`). */
  connect(transport: Transport): Promise<void>;
  /** Close the transport and every collection handle. */
  close(): Promise<void>;
}

/** An MCP server with shortlist's tools over the operator's collections and reranker. */
export function createMcpServer(options: McpServerOptions = {}): ShortlistMcpServer {
  const limits = Object.freeze({ ...MCP_LIMITS, ...options.limits });
  const registry = options.collections ? new CollectionRegistry(options.collections) : undefined;
  const hide = pathHider(options.collections);
  const server = new McpServer({ name: 'shortlist', version: '0.1.0' });
  const z = zod();
  const collectionName = z
    .string()
    .regex(NAME, 'a collection name (letters, digits, ".", "_", "-")')
    .describe('name of a collection, as list_collections returns it');

  const registryOrFail = () => {
    if (!registry) throw new ToolError('this MCP server serves no collections (the operator starts it with --collections)');
    return registry;
  };

  server.registerTool(
    'list_collections',
    { description: 'List the collections this server can search.', inputSchema: z.strictObject({}) },
    guard(hide, async () => json({ collections: await registryOrFail().list() })),
  );

  server.registerTool(
    'collection_info',
    {
      description:
        "A collection's documents and chunks, version, filterable metadata fields and pipeline (retrievers, rerank stages, depth, k).",
      inputSchema: z.strictObject({ collection: collectionName }),
    },
    guard(hide, async ({ collection }) => {
      const info = await registryOrFail().use(collection, (c) => c.info());
      const { dir: _dir, ...rest } = info;
      return json({ name: collection, ...rest });
    }),
  );

  server.registerTool(
    'search',
    {
      description:
        'Search a collection with its pipeline (first stage, fusion, rerankers). Returns the top k documents with id, score, title and text, and the stage timings.',
      inputSchema: z.strictObject({
        collection: collectionName,
        query: z.string().min(1).max(limits.characters).describe('the query text'),
        k: z.number().int().min(1).max(limits.k).optional().describe("how many documents to return (default: the pipeline's k)"),
        filter: z.string().max(10_000).optional().describe('metadata where clause, e.g. "year >= 2020 AND lang = \'en\'"'),
        depth: z
          .number()
          .int()
          .min(1)
          .max(limits.depth)
          .optional()
          .describe("first-stage candidates handed to the rerankers (default: the pipeline's depth)"),
      }),
    },
    guard(hide, async ({ collection, query, k, filter, depth }) => {
      const run = (c: import('../../engine/collection.ts').Collection) =>
        c.search(query, { ...(k !== undefined ? { k } : {}), ...(filter !== undefined ? { filter } : {}) });
      const overrides = depth !== undefined ? { depth } : {};
      const key = overrideKey(overrides);
      const result = await registryOrFail().use(
        collection,
        run,
        key ? { key, pipeline: (stored) => overridePipeline(stored, overrides) } : undefined,
      );
      return json({
        collection,
        query,
        hits: result.hits.map((h, i) => ({
          rank: i + 1,
          id: h.id,
          score: h.score,
          ...(h.document?.title ? { title: h.document.title } : {}),
          text: h.document?.text ?? '',
          ...(h.document?.metadata ? { metadata: h.document.metadata } : {}),
        })),
        timings: result.timings.map((t) => ({ stage: t.stage, ms: Math.round(t.ms * 1000) / 1000 })),
      });
    }),
  );

  server.registerTool(
    'rerank',
    {
      description:
        "Order the given texts by relevance to the query with the server's reranker; returns index (into texts), score and text, best first.",
      inputSchema: z.strictObject({
        query: z.string().min(1).max(limits.characters).describe('the query text'),
        texts: z.array(z.string().max(limits.characters)).min(1).max(limits.texts).describe('the texts to order'),
        k: z.number().int().min(1).max(limits.k).optional().describe('how many to return (default: all)'),
      }),
    },
    guard(hide, async ({ query, texts, k }) => {
      const reranker = options.reranker;
      if (!reranker) throw new ToolError('this MCP server has no reranker (the operator starts it with --rerank-model)');
      const hits = await reranker.rerank(
        query,
        texts.map((text, i) => ({ id: String(i), text })),
        k ?? texts.length,
      );
      return json({ results: hits.map((h) => ({ index: Number(h.id), score: h.score, text: texts[Number(h.id)] })) });
    }),
  );

  return {
    server,
    connect: (transport) => server.connect(transport),
    close: async () => {
      await server.close();
      await registry?.close();
    },
  };
}

/** An expected failure of a tool call, answered as a tool error. */
class ToolError extends Error {}

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

function json(value: unknown): ToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

/** Runs a tool; shortlist errors become tool errors with host paths hidden, anything else a generic one. */
function guard<A>(hide: (s: string) => string, fn: (args: A) => Promise<ToolResult>): (args: A) => Promise<ToolResult> {
  return async (args) => {
    try {
      return await fn(args);
    } catch (err) {
      const message =
        err instanceof ToolError || isShortlistError(err)
          ? hide(err.message)
          : 'internal error (the operator can see details with SHORTLIST_DEBUG=1)';
      if (process.env.SHORTLIST_DEBUG && !(err instanceof ToolError))
        process.stderr.write(`shortlist mcp: ${(err as Error)?.stack ?? String(err)}\n`);
      return { content: [{ type: 'text', text: message }], isError: true };
    }
  };
}

/** Replaces the collections root and any absolute file path in a message. */
export function pathHider(root: string | undefined): (s: string) => string {
  return (s) => {
    let out = s;
    if (root) out = out.split(root).join('<collections>');
    return out.replace(/(^|[\s"'(=])(?:\/|[A-Za-z]:\\)[^\s"'),;]*?(?=[:.]?(?:[\s"'),;]|$))/g, '$1<path>');
  };
}
