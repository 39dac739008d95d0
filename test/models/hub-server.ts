/**
 * A loopback stand-in for the Hugging Face Hub, with the real hub's URL shapes and headers:
 * - `GET  /api/models/{repo}/revision/{rev}`     → `{ id, sha, siblings: [{ rfilename }] }`
 * - `POST /api/models/{repo}/paths-info/{rev}`   → `[{ type, path, oid, size, lfs? }]`
 * - `GET|HEAD /{repo}/resolve/{rev}/{path}`      → plain files: 200 with `ETag` (git blob sha1);
 *   LFS files: 302 to `/cdn/{sha256}` with `X-Linked-Etag`/`X-Linked-Size`; both send `X-Repo-Commit`;
 *   a missing file answers 404 with `X-Error-Code: EntryNotFound`, a missing repo 401 `RepoNotFound`.
 * `Range: bytes=a-b` answers 206 with `Content-Range`. Faults can be queued per file: `truncate`
 * (the connection closes mid-body), `corrupt` (right length, wrong bytes), `error` (HTTP 500).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One repo served at a single commit; `main` points at it. */
export interface FakeRepo {
  repo: string;
  commit: string;
  files: Record<string, string | Uint8Array>;
}

/** A fault to inject into the next full download of a file. */
export type Fault = 'truncate' | 'corrupt' | 'error';

/** A running fake hub. */
export interface FakeHub {
  url: string;
  /** Every request as `METHOD path` (with range, if any). */
  requests: string[];
  /** Queue faults for a file's next full content downloads (`repo` + `path`). */
  fault(repo: string, path: string, ...faults: Fault[]): void;
  /** Number of full (non-range) content downloads of a file so far. */
  downloads(repo: string, path: string): number;
  close(): Promise<void>;
}

interface Entry {
  bytes: Buffer;
  lfs: boolean;
  sha256: string;
  gitSha1: string;
}

const isLfs = (path: string, bytes: Buffer) => /\.onnx(_data)?$/.test(path) || bytes.length > 10_000;

/** Start the fake hub on 127.0.0.1 (port 0). */
export async function startFakeHub(repos: FakeRepo[]): Promise<FakeHub> {
  const byName = new Map<string, { repo: FakeRepo; entries: Map<string, Entry> }>();
  const blobs = new Map<string, Buffer>();
  for (const repo of repos) {
    const entries = new Map<string, Entry>();
    for (const [path, content] of Object.entries(repo.files)) {
      const bytes = Buffer.from(content);
      const e: Entry = {
        bytes,
        lfs: isLfs(path, bytes),
        sha256: createHash('sha256').update(bytes).digest('hex'),
        gitSha1: createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex'),
      };
      entries.set(path, e);
      blobs.set(e.sha256, bytes);
    }
    byName.set(repo.repo, { repo, entries });
  }
  const faults = new Map<string, Fault[]>();
  const counts = new Map<string, number>();
  const requests: string[] = [];

  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}${req.headers.range ? ` [${req.headers.range}]` : ''}`);
    handle(req, res).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });

  function lookup(repoName: string, rev: string) {
    const r = byName.get(repoName);
    if (!r) return { error: 'repo' as const };
    if (rev !== 'main' && rev !== r.repo.commit) return { error: 'rev' as const };
    return { r };
  }

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  function notFound(res: ServerResponse, kind: 'repo' | 'rev' | 'entry') {
    if (kind === 'repo') return json(res, 401, { error: 'Repository not found' }, { 'X-Error-Code': 'RepoNotFound' });
    if (kind === 'rev') return json(res, 404, { error: 'Invalid rev id' }, { 'X-Error-Code': 'RevisionNotFound' });
    return json(res, 404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound' });
  }

  async function body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Buffer, headers: Record<string, string>, faultKey?: string) {
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
      res.writeHead(206, {
        ...headers,
        'Content-Range': `bytes ${start}-${end}/${bytes.length}`,
        'Content-Length': String(end - start + 1),
      });
      res.end(req.method === 'HEAD' ? undefined : bytes.subarray(start, end + 1));
      return;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...headers, 'Content-Length': String(bytes.length) });
      res.end();
      return;
    }
    if (faultKey) counts.set(faultKey, (counts.get(faultKey) ?? 0) + 1);
    const fault = faultKey ? faults.get(faultKey)?.shift() : undefined;
    if (fault === 'error') {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('internal error');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(bytes.length) });
    if (fault === 'truncate') {
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
      return;
    }
    if (fault === 'corrupt') {
      const bad = Buffer.from(bytes);
      for (let i = 0; i < bad.length; i += 7) bad[i] ^= 0xff;
      res.end(bad);
      return;
    }
    res.end(bytes);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'api' && parts[1] === 'models') {
      const repoName = `${parts[2]}/${parts[3]}`;
      const { r, error } = lookup(repoName, parts[5] ?? '');
      if (error) return notFound(res, error);
      if (parts[4] === 'revision' && req.method === 'GET') {
        return json(res, 200, {
          _id: 'x'.repeat(24),
          id: repoName,
          sha: r!.repo.commit,
          private: false,
          gated: false,
          downloads: 0,
          likes: 0,
          lastModified: '2024-01-01T00:00:00.000Z',
          siblings: [...r!.entries.keys()].map((rfilename) => ({ rfilename })),
        });
      }
      if (parts[4] === 'paths-info' && req.method === 'POST') {
        const { paths } = JSON.parse(await body(req)) as { paths: string[] };
        return json(
          res,
          200,
          paths.flatMap((path) => {
            const e = r!.entries.get(path);
            if (!e) return [];
            return [
              {
                type: 'file',
                path,
                oid: e.gitSha1,
                size: e.bytes.length,
                ...(e.lfs ? { lfs: { oid: e.sha256, size: e.bytes.length, pointerSize: 134 } } : {}),
              },
            ];
          }),
        );
      }
    }
    if (parts[0] === 'cdn' && parts[1]) {
      const bytes = blobs.get(parts[1]);
      if (!bytes) return notFound(res, 'entry');
      return sendBytes(
        req,
        res,
        bytes,
        { ETag: `"${parts[1]}"`, 'Content-Type': 'application/octet-stream' },
        url.searchParams.get('key') ?? undefined,
      );
    }
    if (parts[2] === 'resolve') {
      const repoName = `${parts[0]}/${parts[1]}`;
      const { r, error } = lookup(repoName, parts[3]);
      if (error) return notFound(res, error);
      const path = parts.slice(4).join('/');
      const e = r!.entries.get(path);
      if (!e) return notFound(res, 'entry');
      const common = { 'X-Repo-Commit': r!.repo.commit };
      const key = `${repoName}:${path}`;
      if (e.lfs) {
        res.writeHead(302, {
          ...common,
          'X-Linked-Etag': `"${e.sha256}"`,
          'X-Linked-Size': String(e.bytes.length),
          ETag: `"${e.gitSha1}"`,
          Location: `/cdn/${e.sha256}?key=${encodeURIComponent(key)}`,
        });
        res.end();
        return;
      }
      return sendBytes(req, res, e.bytes, { ...common, ETag: `"${e.gitSha1}"`, 'Content-Type': 'application/json' }, key);
    }
    res.writeHead(404);
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fault(repo, path, ...f) {
      const key = `${repo}:${path}`;
      faults.set(key, [...(faults.get(key) ?? []), ...f]);
    },
    downloads: (repo, path) => counts.get(`${repo}:${path}`) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
