/**
 * Tokenization throughput on real text: shortlist's TextTokenizer vs plain tokenizers.js vs the
 * Rust tokenizers (N-API, `encodeBatch`, all cores). Reports tokens per CPU-second and per
 * wall-second, so numbers stay meaningful on a shared machine.
 *
 * `node --import tsx scripts/models/tokenize-speed.ts [modelFolder] [corpus.jsonl] [docs]`
 * (defaults: a freshly generated tiny model, ../shared/datasets/scifact/corpus.jsonl, 2000 docs)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as rust from '@anush008/tokenizers';
import { Tokenizer } from '@huggingface/tokenizers';
import { TextTokenizer } from '../../src/models/tokenize/index.ts';
import { tinyModel } from './fixtures.ts';

const [folderArg, corpusArg, countArg] = process.argv.slice(2);
const folder = folderArg ?? (await tinyModel('encoder'));
const corpus = corpusArg ?? resolve(import.meta.dirname, '../../../shared/datasets/scifact/corpus.jsonl');
const docs = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .slice(0, Number(countArg ?? 2000))
  .map((l) => {
    const d = JSON.parse(l) as { title?: string; text: string };
    return d.title ? `${d.title} ${d.text}` : d.text;
  });

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function measure(name: string, fn: () => Promise<number> | number): Promise<void> {
  await fn();
  const c0 = cpu();
  const w0 = performance.now();
  const tokens = await fn();
  const cpuS = cpu() - c0;
  const wallS = (performance.now() - w0) / 1000;
  console.log(
    `${name.padEnd(28)} ${tokens} tokens  ${(tokens / cpuS / 1e3).toFixed(0).padStart(6)}k tok/CPU-s  ${(tokens / wallS / 1e3).toFixed(0).padStart(6)}k tok/s wall`,
  );
}

const ours = await TextTokenizer.fromFolder(folder);
const plain = new Tokenizer(
  JSON.parse(readFileSync(`${folder}/tokenizer.json`, 'utf8')),
  JSON.parse(readFileSync(`${folder}/tokenizer_config.json`, 'utf8')),
);
const reference = rust.Tokenizer.fromFile(`${folder}/tokenizer.json`);
console.log(`${docs.length} documents from ${corpus}`);
await measure('shortlist TextTokenizer', () => docs.reduce((n, d) => n + ours.encode(d).length, 0));
await measure('tokenizers.js encode', () => docs.reduce((n, d) => n + plain.encode(d).ids.length, 0));
await measure('Rust encodeBatch (N-API)', async () => (await reference.encodeBatch(docs)).reduce((n, e) => n + e.getLength(), 0));
