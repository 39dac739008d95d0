/**
 * The route-level guard every request passes before its route, whatever the route (routes added
 * later get it too):
 * 1. a body (POST, PUT, PATCH, DELETE) must be declared JSON (`Content-Type: application/json`),
 *    else 415 — a browser can send `text/plain` cross-site without a preflight, JSON it cannot;
 * 2. without API keys (unless `--insecure-no-auth`), the Host header must be a loopback name,
 *    else 403 — a page on evil.example that rebinds its DNS to 127.0.0.1 still sends its own Host;
 * 3. without API keys, a request with an Origin must come from the server's own origin or the
 *    one `--cors` allows, else 403 — any page the operator visits could otherwise drive the server.
 * With keys, a caller must hold one, which a foreign page does not, so 2 and 3 are not needed.
 */
import type { MiddlewareHandler } from 'hono';
import { ShortlistError } from '../core/errors.ts';
import type { ServerEnv } from './context.ts';
import { isLoopbackHost, type ServerOptions } from './options.ts';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True for `application/json` and `application/<x>+json`, with any parameters (`; charset=utf-8`). */
export function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
}

/** The host name of a Host header (`127.0.0.1:8080` → `127.0.0.1`, `[::1]:80` → `::1`). */
export function hostName(header: string): string {
  const h = header.trim();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** The guard middleware for `options`. */
export function guard(options: Pick<ServerOptions, 'apiKeys' | 'insecureNoAuth' | 'cors'>): MiddlewareHandler<ServerEnv> {
  const keyless = options.apiKeys.length === 0;
  return async (c, next) => {
    const method = c.req.method;
    if (keyless && !options.insecureNoAuth) {
      const host = c.req.header('host') ?? '';
      if (!isLoopbackHost(hostName(host))) {
        throw new ShortlistError(
          'FORBIDDEN',
          `this server has no API keys, so it answers only requests addressed to a loopback name (127.0.0.1, localhost), not Host ${JSON.stringify(host.slice(0, 100))}; the operator can start it with keys to serve other names`,
        );
      }
    }
    if (keyless) {
      const origin = c.req.header('origin');
      if (origin !== undefined && !originAllowed(origin, c.req.header('host') ?? '', options.cors)) {
        throw new ShortlistError(
          'FORBIDDEN',
          `cross-site request from Origin ${JSON.stringify(origin.slice(0, 200))} refused: this server has no API keys and its CORS setting (--cors) does not allow that origin`,
        );
      }
    }
    if (BODY_METHODS.has(method) && !isJsonType(c.req.header('content-type'))) {
      throw new ShortlistError(
        'UNSUPPORTED_MEDIA_TYPE',
        `the request body must be JSON sent with "Content-Type: application/json", got ${JSON.stringify((c.req.header('content-type') ?? '(none)').slice(0, 100))}`,
      );
    }
    await next();
  };
}

/** Same origin (the page this server serves), or the one `cors` allows (`*`: any). */
function originAllowed(origin: string, host: string, cors: string | undefined): boolean {
  if (cors === '*' || (cors !== undefined && origin === cors)) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === host.trim().toLowerCase();
  } catch {
    return false;
  }
}
