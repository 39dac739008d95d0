/**
 * The HTTP application: one hono app with the routes of every dialect, built by `createApp`.
 *
 * Request: 1. account (request id in `x-request-id`, in-flight gauge, latency, status, log line, `x-total-time`) →
 * 2. guard (JSON bodies only; without keys: loopback Host and same-site or `--cors` Origin only; see guard.ts) →
 * 3. CORS when configured → 4. bearer auth when keys are configured (/health and the playground page are always open) →
 * 5. the request's signal: aborts when the client disconnects or the timeout passes (504) →
 * 6. the route: read the body under the size and depth limits, validate with its zod schema, check limits,
 * run the model through its batch queue or the collection's pipeline → 7. every error becomes the
 * route's dialect shape with the status `ERROR_CODES` gives its code (429s and 409 CONFLICTs carry Retry-After), its
 * request id, and no server path or internal message; the log line has the full detail.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { routePath } from 'hono/route';
import pino, { type Logger } from 'pino';
import { isRetryable, ShortlistError } from '../core/errors.ts';
import { KeyChecker } from './auth.ts';
import { CollectionRegistry } from './collections.ts';
import type { ServerEnv } from './context.ts';
import { asShortlistError, dialectOf, errorBody, RETRY_AFTER_SECONDS, scrubPaths } from './errors.ts';
import { guard } from './guard.ts';
import { ServerMetrics } from './metrics.ts';
import { loadServerModels, type ServerModels } from './models.ts';
import { openApiDocument } from './openapi.ts';
import { playgroundHtml } from './playground/page.ts';
import { resolveServerOptions, type ServerOptions, type ServerOptionsInput } from './options.ts';
import { cohereEmbedRoutes } from './routes/cohere-embed.ts';
import { collectionRoutes } from './routes/collections.ts';
import { contextRoutes } from './routes/context.ts';
import { embedRoutes } from './routes/embed.ts';
import { rerankRoutes } from './routes/rerank.ts';

/** Routes that never need a key: liveness, and the static playground page (its API calls send the key typed into it). */
const OPEN = new Set(['GET /health', 'GET /']);

/** Extra options of {@link createApp} that only a library caller can give. */
export interface AppHooks {
  /** Logger to use. @default pino to stderr (silent with `quiet`) */
  logger?: Logger;
  /** Models already loaded (tests, embedding apps); the server then does not load or close them. @default loaded from rerankModel / embedModel */
  models?: ServerModels;
  /** Register more routes (e.g. the playground) after the built-in ones, before the 404 handler. */
  routes?: (app: Hono<ServerEnv>) => void;
}

/** A built application: the hono app, what it holds, and how to release it. */
export interface ShortlistApp {
  app: Hono<ServerEnv>;
  /** Web-standard fetch handler (what `@hono/node-server` serves). */
  fetch: (request: Request) => Response | Promise<Response>;
  options: Readonly<ServerOptions>;
  models: ServerModels;
  collections: CollectionRegistry;
  metrics: ServerMetrics;
  logger: Logger;
  /** Requests being handled now. */
  readonly inFlight: number;
  /** Finish queued model work, close collections and (when it loaded them) the models. */
  close(): Promise<void>;
}

/** Build the application: resolve options, load the models, register every route. */
export async function createApp(input: ServerOptionsInput = {}, hooks: AppHooks = {}): Promise<ShortlistApp> {
  const options = resolveServerOptions(input);
  const logger = hooks.logger ?? pino({ level: options.quiet ? 'silent' : 'info', base: undefined }, pino.destination(2));
  const models = hooks.models ?? (await loadServerModels(options));
  const collections = new CollectionRegistry(options.collections, undefined, options.overrideHandles);
  const scrub = (text: string) =>
    scrubPaths(text, [options.collections, process.env.SHORTLIST_CACHE, process.env.HF_HOME, process.env.XDG_CACHE_HOME]);
  if (options.insecureNoAuth && options.apiKeys.length === 0) {
    logger.warn(
      { host: options.host },
      'serving WITHOUT API keys and accepting any Host header (--insecure-no-auth): anyone who reaches this address can use the server',
    );
  }
  const metrics = new ServerMetrics();
  const keys = new KeyChecker(options.apiKeys);
  let inFlight = 0;
  trackQueues(metrics, models);
  metrics.inFlight.track({}, () => inFlight);

  const app = new Hono<ServerEnv>();
  app.use('*', async (c, next) => {
    const t0 = performance.now();
    const given = c.req.header('x-request-id');
    const requestId = given !== undefined && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    c.set('limits', options.limits);
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
      const ms = performance.now() - t0;
      const route = matched(c);
      const status = c.res.status;
      c.res.headers.set('x-total-time', String(Math.round(ms)));
      c.res.headers.set('x-request-id', requestId);
      const timing = c.get('modelTiming');
      if (timing) {
        c.res.headers.set('x-queue-time', String(Math.round(timing.queueMs)));
        c.res.headers.set('x-inference-time', String(Math.round(timing.inferenceMs)));
      }
      metrics.requests.inc({ route, method: c.req.method, status: String(status) });
      metrics.latency.observe({ route }, ms / 1000);
      logger.info({ requestId, method: c.req.method, path: c.req.path, status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  });
  app.use('*', guard(options));
  if (options.cors)
    app.use(
      '*',
      cors({
        origin: options.cors,
        allowHeaders: ['Authorization', 'Content-Type'],
        exposeHeaders: ['x-total-time', 'x-queue-time', 'x-inference-time'],
      }),
    );
  app.use('*', async (c, next) => {
    if (!OPEN.has(`${c.req.method} ${c.req.path}`) && c.req.method !== 'OPTIONS') keys.check(c.req.header('authorization'));
    await next();
  });
  app.use('*', async (c, next) => {
    const timeout = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new ShortlistError(
          'TIMEOUT',
          `the request took longer than the server's limit of ${options.limits.timeoutMs} ms (--timeout-ms) and was cancelled`,
        );
        timeout.abort(err);
        reject(err);
      }, options.limits.timeoutMs);
    });
    c.set('signal', AbortSignal.any([c.req.raw.signal, timeout.signal]));
    try {
      await Promise.race([next(), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  });

  app.get('/health', (c) =>
    c.json({
      status: 'ok',
      models: { rerank: models.rerank?.name ?? null, embed: models.embed?.name ?? null },
      collections: options.collections !== undefined,
    }),
  );
  if (options.playground) app.get('/', (c) => c.html(playgroundHtml()));
  app.get('/metrics', (c) => c.text(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));
  app.get('/openapi.json', (c) => c.json(openApiDocument({ auth: keys.enabled })));
  rerankRoutes(app, models, options, metrics);
  embedRoutes(app, models, options, metrics);
  cohereEmbedRoutes(app, models, options, metrics);
  collectionRoutes(app, collections, options, metrics);
  contextRoutes(app, collections, options, metrics);
  hooks.routes?.(app);

  app.notFound((c) => {
    const { status, body } = errorBody(
      new ShortlistError('NOT_FOUND', `no route ${c.req.method} ${c.req.path.slice(0, 200)}; see /openapi.json for the routes`),
      dialectOf(c.req.path),
      c.get('requestId'),
      scrub,
    );
    return c.json(body, status as 404);
  });
  app.onError((err, c) => {
    const e = asShortlistError(err);
    const requestId = c.get('requestId');
    const { status, body } = errorBody(e, dialectOf(c.req.path), requestId, scrub);
    // the caller gets a short, path-free message; the log gets everything under the same request id
    const detail = {
      requestId,
      code: e.code,
      status,
      path: c.req.path,
      message: e.message,
      ...(e.code === 'INTERNAL' || status >= 500 ? { err: causeOf(err) } : {}),
    };
    if (status >= 500 && e.code !== 'TIMEOUT') logger.error(detail, 'request failed');
    else logger.info(detail, 'request refused');
    const headers: Record<string, string> = isRetryable(e.code) ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
    return c.json(body, status as 400, headers);
  });

  return {
    app,
    fetch: (request) => app.fetch(request),
    options,
    models,
    collections,
    metrics,
    logger,
    get inFlight() {
      return inFlight;
    },
    async close() {
      await collections.close();
      if (!hooks.models) await Promise.all([models.rerank?.close(), models.embed?.close()]);
    },
  };
}

/** An error and its causes as plain fields for the log. */
function causeOf(err: unknown): unknown {
  if (!(err instanceof Error)) return String(err);
  return { name: err.name, message: err.message, stack: err.stack, ...(err.cause !== undefined ? { cause: causeOf(err.cause) } : {}) };
}

/** The route pattern that answered (`/v1/collections/:name`), or `unmatched`. */
function matched(c: Context<ServerEnv>): string {
  const path = routePath(c as unknown as Context, -1);
  return path === '*' || path === '/*' || path === '' ? 'unmatched' : path;
}

/** Queue depth gauges, and batch sizes folded into the histogram at each scrape. */
function trackQueues(metrics: ServerMetrics, models: ServerModels): void {
  for (const [name, model] of Object.entries(models)) {
    if (!model) continue;
    const queue = model.queue;
    metrics.queueDepth.track({ queue: name }, () => queue.depth);
    let seen = 0;
    metrics.onRender(() => {
      const { batches, batchSizes } = queue.stats();
      const fresh = Math.min(batches - seen, batchSizes.length);
      for (const size of batchSizes.slice(batchSizes.length - fresh)) metrics.batchSizes.observe({ queue: name }, size);
      seen = batches;
    });
  }
}
