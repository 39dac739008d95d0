/**
 * The examples in examples/, each with the arguments it needs and a check of what it prints. Run
 * from the checkout (test/examples.test.ts, through tsx with the `shortlist-source` condition) and
 * from a project that installed the packed tarball (test/package/pack.test.ts, against dist/).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Collection } from '../../src/engine/collection.ts';

/** How to run one example: file name, arguments and a check of its stdout. */
export interface ExampleRun {
  file: string;
  args: () => Promise<string[]>;
  check: (out: string) => void;
}

/** Every example and how to check it; `work` is a scratch folder, `env` is passed to the processes. */
export function exampleRuns(work: string): ExampleRun[] {
  return [
    {
      file: 'bm25-library.ts',
      args: async () => [],
      check: (out) => {
        const lines = out.trim().split('\n');
        assert.match(lines[0], /^d2 \d+\.\d{4} First stage$/);
        assert.equal(lines.length, 3, out);
        assert.equal(lines[1], 'stages: bm25');
        assert.equal(lines[2], 'ndcg@10 = 1');
      },
    },
    {
      file: 'collection.ts',
      args: async () => [await tinyModel('classifier'), join(work, 'notes')],
      check: (out) => {
        const lines = out.trim().split('\n');
        assert.equal(lines.length, 4, out);
        for (const l of lines.slice(0, 2)) assert.match(l, /^n[13] \w[\w ]+ bm25#\d cross-encoder#\d$/);
        assert.match(lines[2], /^stages: bm25 → (hydrate → )?cross-encoder$/);
        assert.equal(lines[3], 'documents: 3');
      },
    },
    { file: 'server.ts', args: async () => [], check: (out) => assert.equal(out, '200 d2\n') },
    {
      file: 'langchain.ts',
      args: async () => [await tinyModel('classifier')],
      check: (out) => {
        const lines = out.trim().split('\n');
        assert.equal(lines.length, 2, out);
        for (const l of lines) assert.match(l, /^d[123] bm25>cross-encoder$/);
      },
    },
    {
      file: 'mcp-client.ts',
      args: async () => {
        const c = await Collection.create(join(work, 'collections', 'docs'), 'bm25');
        await c.add([
          { id: 'd1', text: 'A cross-encoder reads the query and the document together.' },
          { id: 'd2', text: 'BM25 shortlists candidates from an inverted index.' },
        ]);
        await c.close();
        return [join(work, 'collections')];
      },
      check: (out) => assert.equal(out, 'collection_info,list_collections,rerank,search\nd2\n'),
    },
  ];
}

/** Runs `file` with node and `nodeArgs` in `cwd`; returns stdout. */
export function runExample(cwd: string, nodeArgs: string[], file: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [...nodeArgs, file, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
}
