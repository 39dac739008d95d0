/**
 * `createServer`: the application served over HTTP with `@hono/node-server`, and its graceful
 * shutdown: stop accepting connections, let in-flight requests finish (up to the request
 * timeout), finish queued model work, release collections and models.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ShortlistError } from '../core/errors.ts';
import { createApp, type AppHooks, type ShortlistApp } from './app.ts';
import type { ServerOptionsInput } from './options.ts';

/** A listening server. */
export interface ShortlistServer extends ShortlistApp {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** The port it listens on (useful with port 0). */
  port: number;
  /** The node HTTP server. */
  server: Server;
  /** Stop accepting, finish in-flight requests, release everything. Safe to call twice. */
  close(): Promise<void>;
}

/** Build the application and listen on `options.host:options.port`. */
export async function createServer(input: ServerOptionsInput = {}, hooks: AppHooks = {}): Promise<ShortlistServer> {
  const shortlist = await createApp(input, hooks);
  const { host, port } = shortlist.options;
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: shortlist.fetch, hostname: host, port }, () => resolve(s as Server)) as Server;
      s.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new ShortlistError(
            'INVALID_ARGUMENT',
            `cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is in use; pick another with --port' : err.message}`,
            { cause: err },
          ),
        ),
      );
    });
  } catch (err) {
    await shortlist.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  shortlist.logger.info(
    {
      url,
      rerank: shortlist.models.rerank?.name,
      embed: shortlist.models.embed?.name,
      collections: shortlist.options.collections,
      auth: shortlist.options.apiKeys.length > 0,
    },
    'listening',
  );
  let closing: Promise<void> | undefined;
  const { app, fetch, options, models, collections, metrics, logger } = shortlist;
  return {
    app,
    fetch,
    options,
    models,
    collections,
    metrics,
    logger,
    url,
    port: address.port,
    server,
    get inFlight() {
      return shortlist.inFlight;
    },
    close(): Promise<void> {
      closing ??= (async () => {
        shortlist.logger.info({ inFlight: shortlist.inFlight }, 'shutting down: finishing in-flight requests');
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server.closeAllConnections(), shortlist.options.limits.timeoutMs + 1000);
        await stopped;
        clearTimeout(grace);
        await shortlist.close();
        shortlist.logger.info('stopped');
      })();
      return closing;
    },
  };
}
