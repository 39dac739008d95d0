/**
 * The collections a server serves: the subdirectories of one folder, or the collection schemas of
 * one Postgres database (`--collections postgres://user@host:5432/db`, connection settings such as
 * `poolMax` riding on the URL; a collection's name is its schema), or the collection prefixes under one
 * S3 prefix (`--collections s3://bucket/prefix`: a collection is a sub-prefix holding `pipeline.json`), opened on first use and kept
 * open; before a request a handle moves to the newest committed version when one appeared (checked
 * at most every {@link REFRESH_MS}), so several servers on one folder see each other's writes. A search with pipeline knobs (depth, keep, fusion…) opens its own handle on the same
 * folder; those are reference-counted and bounded (see {@link CollectionRegistry.use}).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../core/errors.ts';
import type { Document } from '../core/types.ts';
import { Collection, PIPELINE_FILE } from '../engine/collection.ts';
import { isPostgresUrl, isS3Location, PostgresHome, postgresCollectionLocation, S3Home } from '../engine/home/index.ts';
import type { ResolvedPipeline } from '../pipeline/config.ts';

/**
 * How often (ms) an open handle checks for a newer committed version (another process or server
 * wrote one) before it serves a request; the check reads two small files. @default 1000
 */
export const REFRESH_MS = 1000;

/** Override handles open at once (see `ServerOptions.overrideHandles`). @default 8 */
export const OVERRIDE_HANDLES = 8;

const NAME = /^[A-Za-z0-9][\w.-]{0,127}$/;

interface Handle {
  collection: Promise<Collection>;
  /** Requests using the handle now: it is closed only at 0. */
  active: number;
  used: number;
  /** When the handle last checked for a newer version (ms since epoch). */
  checked: number;
  refreshing?: Promise<unknown>;
}

/** A search's pipeline knobs (see `overrides.ts`): `key` identifies them, `pipeline` applies them to the stored pipeline. */
export interface HandleOverride {
  key: string;
  pipeline: (stored: ResolvedPipeline) => ResolvedPipeline;
}

/** Opens, caches and closes the collections under one folder. */
export class CollectionRegistry {
  readonly #root: string | undefined;
  readonly #handles = new Map<string, Handle>();
  /** The last write queued per collection: writes to one collection run one at a time (its writer lock allows one). */
  readonly #writes = new Map<string, Promise<unknown>>();
  /** Requests waiting for an override handle to become free (the cache is full of handles in use). */
  readonly #waiting: (() => void)[] = [];
  readonly #maxOverrides: number;
  #clock = 0;

  readonly #refreshMs: number;

  /** Serves the collections under `root`; handles look for newer versions every `refreshMs` (0: before every request); at most `overrideHandles` override handles open at once. */
  constructor(root: string | undefined, refreshMs = REFRESH_MS, overrideHandles = OVERRIDE_HANDLES) {
    this.#root = root;
    this.#refreshMs = refreshMs;
    this.#maxOverrides = overrideHandles;
  }

  /** Names of the collections in the folder (or the database), sorted. */
  async list(): Promise<string[]> {
    const root = this.#rootDir();
    if (isPostgresUrl(root)) return PostgresHome.list(root);
    if (isS3Location(root)) return (await S3Home.list(root)).filter((n) => NAME.test(n));
    return readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && NAME.test(e.name) && existsSync(join(root, e.name, PIPELINE_FILE)))
      .map((e) => e.name)
      .sort();
  }

  /** True when `name` is a collection in the folder (or the database). */
  async exists(name: string): Promise<boolean> {
    const location = this.#dir(name);
    return isPostgresUrl(location) || isS3Location(location) ? Collection.exists(location) : existsSync(join(location, PIPELINE_FILE));
  }

  /**
   * Run `fn` with the collection `name` (opened with `override` applied to its stored pipeline
   * when given). NOT_FOUND when the folder has no such collection. A handle is never closed while
   * a request uses it: override handles are reference-counted, at most `overrideHandles` are open,
   * a request that needs a new one when all are in use waits for one to be released, and only
   * idle ones are closed (least recently used first).
   */
  async use<T>(name: string, fn: (c: Collection) => Promise<T>, override?: HandleOverride): Promise<T> {
    const dir = this.#dir(name);
    const key = override ? `${name}\u0000${override.key}` : name;
    let h = this.#handles.get(key);
    // a folder is checked before every request (a cheap stat); a database or an S3 prefix when a handle is opened
    if (!h || !(isPostgresUrl(dir) || isS3Location(dir))) {
      if (!(await this.exists(name))) throw this.#missing(name);
    }
    let pipeline: ResolvedPipeline | undefined;
    while (override && !this.#handles.has(key)) {
      if (pipeline === undefined) {
        // the knobs applied to the stored pipeline (read through the main handle): a bad knob fails before anything opens
        pipeline = await this.use(name, async (c) => override.pipeline(c.pipeline));
        continue;
      }
      // no await between finding room and taking it, so concurrent requests cannot overshoot the bound
      this.#evict(1);
      if (this.#overrideCount() < this.#maxOverrides) break;
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    h = this.#handles.get(key); // opened by another request meanwhile
    if (!h) {
      const collection = pipeline === undefined ? Collection.open(dir) : Collection.open(dir, { pipeline });
      h = { collection, active: 0, used: 0, checked: Date.now() };
      const opened = h;
      this.#handles.set(key, opened);
      collection.catch(() => {
        if (this.#handles.get(key) === opened) this.#handles.delete(key);
        this.#wake();
      });
    }
    h.active++;
    h.used = ++this.#clock;
    try {
      const c = await h.collection;
      await this.#fresh(h, c);
      return await fn(c);
    } finally {
      h.active--;
      if (h.active === 0 && key !== name) this.#wake(); // a waiter may now close this idle handle and open its own
    }
  }

  #overrideCount(): number {
    let n = 0;
    for (const k of this.#handles.keys()) if (k.includes('\u0000')) n++;
    return n;
  }

  /** Close idle override handles, least recently used first, until `room` more fit under the bound. */
  #evict(room: number): void {
    const overrides = [...this.#handles.entries()].filter(([k]) => k.includes('\u0000')).sort((a, b) => a[1].used - b[1].used);
    let excess = overrides.length + room - this.#maxOverrides;
    for (const [key, h] of overrides) {
      if (excess <= 0) break;
      if (h.active > 0) continue;
      this.#handles.delete(key);
      excess--;
      void h.collection.then((c) => c.close()).catch(() => undefined);
    }
  }

  #wake(): void {
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  /** Run `fn` after every write to `name` queued before it (a process holds a collection's writer lock once at a time). */
  async serial<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#writes.get(name) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    this.#writes.set(name, run);
    try {
      return await run;
    } finally {
      if (this.#writes.get(name) === run) this.#writes.delete(name);
    }
  }

  /** Create collection `name` with `pipeline` (already checked against the creation policy) and add `docs` (fails when it exists). */
  async create(name: string, pipeline: ResolvedPipeline, docs: Document[]) {
    const dir = this.#dir(name);
    const c = await Collection.create(dir, pipeline);
    this.#handles.set(name, { collection: Promise.resolve(c), active: 0, used: ++this.#clock, checked: Date.now() });
    return c.add(docs);
  }

  /** Close every open handle. */
  async close(): Promise<void> {
    const all = [...this.#handles.values()];
    this.#handles.clear();
    await Promise.all(all.map(async (h) => (await h.collection.catch(() => undefined))?.close()));
  }

  /** Moves `c` to the latest committed version when the last check is older than the refresh interval (one check at a time). */
  async #fresh(h: Handle, c: Collection): Promise<void> {
    if (!h.refreshing && Date.now() - h.checked >= this.#refreshMs) {
      h.refreshing = c.refresh().finally(() => {
        h.checked = Date.now();
        h.refreshing = undefined;
      });
    }
    await h.refreshing;
  }

  #rootDir(): string {
    if (!this.#root)
      throw new ShortlistError(
        'NOT_FOUND',
        'this server serves no collections; start it with --collections <dir|postgres://…/db|s3://bucket/prefix>',
      );
    return this.#root;
  }

  #dir(name: string): string {
    const root = this.#rootDir();
    if (!NAME.test(name)) {
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `collection name ${JSON.stringify(name)} is not valid: use letters, digits, _ . - (starting with a letter or digit)`,
        { location: { field: 'collection' } },
      );
    }
    if (isPostgresUrl(root)) return postgresCollectionLocation(root, name);
    return isS3Location(root) ? S3Home.childLocation(root, name) : join(root, name);
  }

  /** NOT_FOUND naming only the collection asked for: neither where collections live nor which others exist (GET /v1/collections lists them to callers allowed to list). */
  #missing(name: string): ShortlistError {
    return new ShortlistError('NOT_FOUND', `no collection "${name}" on this server; GET /v1/collections lists them`, {
      location: { field: 'collection' },
    });
  }
}
