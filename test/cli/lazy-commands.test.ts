/**
 * The CLI imports only the command it runs: the command table lists every command for `--help`
 * without loading it, and a search on a bare BM25 index loads no heavy package.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Command, Help } from 'commander';
import { COMMANDS, type CommandEntry } from '../../src/cli/commands/index.ts';
import { buildProgram, commandOf, VERSION } from '../../src/cli/main.ts';
import { HEAVY_PACKAGES, TRACE_PRELOAD, traceFile } from '../package/trace.ts';

const BIN = fileURLToPath(new URL('../../bin/shortlist.js', import.meta.url));

function shortlist(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['--import', TRACE_PRELOAD, BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('command table', () => {
  it('lists each command with the usage and summary its module registers', async () => {
    const help = new Help();
    for (const [name, entry] of Object.entries(COMMANDS) as [string, CommandEntry][]) {
      const program = new Command('shortlist');
      (await entry.load()).register(program);
      assert.equal(program.commands.length, 1, `${name}: a module registers one top-level command`);
      const cmd = program.commands[0];
      assert.equal(cmd.name(), name);
      assert.equal(cmd.description(), entry.summary, `${name}: summary`);
      assert.equal(help.subcommandTerm(cmd), `${name}${entry.usage ? ` ${entry.usage}` : ''}`, `${name}: usage`);
    }
  });

  it('prints the same top-level help from the table as with every command loaded', async () => {
    const listed = await buildProgram([]);
    const loaded = await buildProgram('all');
    assert.equal(listed.helpInformation(), loaded.helpInformation());
    assert.match(listed.helpInformation(), /search \[options\] <dir> <query>/);
  });

  it('finds the command argv runs, also after `help`', () => {
    assert.deepEqual(commandOf(['node', 'shortlist', 'search', 'idx', 'q']), ['search']);
    assert.deepEqual(commandOf(['node', 'shortlist', 'help', 'eval']), ['eval']);
    assert.deepEqual(commandOf(['node', 'shortlist', '--version']), []);
    assert.deepEqual(commandOf(['node', 'shortlist', 'nosuch']), []);
    assert.deepEqual(commandOf(['node', 'shortlist', 'constructor']), []);
  });
});

describe('loaded modules', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'shortlist-lazy-'));
    const docs = [
      'boundary layer flow over a flat plate',
      'shock waves in supersonic flow',
      'heat transfer in laminar boundary layers',
      'wing flutter at high speed',
    ];
    writeFileSync(
      join(dir, 'corpus.jsonl'),
      docs.map((text, i) => JSON.stringify({ _id: `d${i}`, title: `doc ${i}`, text })).join('\n') + '\n',
    );
    shortlist(['index', join(dir, 'corpus.jsonl'), '--out', join(dir, 'idx')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a BM25 index search loads no heavy package, no schema library and no other command', () => {
    const trace = traceFile();
    try {
      const out = shortlist(['search', join(dir, 'idx'), 'boundary layer', '-k', '2', '--json'], trace.env);
      assert.deepEqual(
        JSON.parse(out)
          .hits.map((h: { id: string }) => h.id)
          .sort(),
        ['d0', 'd2'],
      );
      const packages = trace.packages();
      assert.ok(packages.has('commander'), 'the trace records packages');
      for (const p of HEAVY_PACKAGES) assert.ok(!packages.has(p), `${p} was loaded`);
      // nor what only collections, pipelines and neural stages need: schemas, tokenizers, Snowball
      for (const p of ['zod', '@huggingface/tokenizers', 'snowball-stemmers']) assert.ok(!packages.has(p), `${p} was loaded`);
      const commands = trace
        .files()
        .filter((f) => /\/src\/cli\/commands\/[^/]+\.ts$/.test(f))
        .map((f) => f.replace(/.*\//, ''))
        .sort();
      assert.deepEqual(commands, ['index.ts', 'search.ts']);
    } finally {
      trace.dispose();
    }
  });

  it("--version prints package.json's version from bin/ alone, the same as the program's", () => {
    const trace = traceFile();
    try {
      const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {
        version: string;
      };
      assert.equal(shortlist(['--version'], trace.env), `${version}\n`);
      assert.equal(VERSION, version, 'src/cli/main.ts VERSION');
      assert.deepEqual(
        trace
          .files()
          .filter((f) => f.startsWith('file:') && !f.startsWith('node:'))
          .map((f) => f.replace(/.*\//, '')),
        ['shortlist.js'],
        'bin/ loads no other file',
      );
    } finally {
      trace.dispose();
    }
  });

  it('--help loads no command module', () => {
    for (const flag of ['--help', 'help']) {
      const trace = traceFile();
      try {
        const out = shortlist([flag], trace.env);
        assert.match(out, /Commands:[\s\S]*serve/);
        const commands = trace.files().filter((f) => /\/src\/cli\/commands\/[^/]+\.ts$/.test(f));
        assert.deepEqual(
          commands.map((f) => f.replace(/.*\//, '')),
          ['index.ts'],
          flag,
        );
      } finally {
        trace.dispose();
      }
    }
  });

  it("`help <command>` and `<command> --help` print that command's flags", () => {
    assert.match(shortlist(['help', 'search']), /--filter <where>/);
    assert.match(shortlist(['search', '--help']), /--filter <where>/);
  });
});
