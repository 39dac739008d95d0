/**
 * `npm run bench:passages:overhead`: what attaching passages costs a BM25 search, on the generated
 * corpus of long markdown notes (test/passages/corpus.ts): the same queries with passages off and
 * on (document unit), and through a passage-unit pipeline; mean ms per query and the ratio. Sizes:
 * `--notes N` (default 200) notes of about 2,400 words.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection } from '../../src/engine/collection.ts';
import { writePassageCorpus } from '../../test/passages/corpus.ts';

const at = process.argv.indexOf('--notes');
const notes = at > 0 ? Number(process.argv[at + 1]) : 200;
const root = mkdtempSync(join(tmpdir(), 'shortlist-bench-passages-'));
try {
  const corpus = writePassageCorpus(join(root, 'notes'), { notes, queries: 100 });
  process.stdout.write(`${notes} notes, ${corpus.queries.length} queries\n`);
  const doc = await Collection.create(join(root, 'doc'), 'bm25');
  await doc.add(corpus.dir);
  const passage = await Collection.open(join(root, 'doc'), { pipeline: { retrievers: [{ type: 'bm25' }], unit: 'passage' } });
  const time = async (run: (q: string) => Promise<unknown>): Promise<number> => {
    for (const q of corpus.queries.slice(0, 5)) await run(q.query); // warm: the passage unit builds its chunk index here
    const t0 = performance.now();
    for (const q of corpus.queries) await run(q.query);
    return (performance.now() - t0) / corpus.queries.length;
  };
  const off = await time((q) => doc.search(q, { passages: false }));
  const on = await time((q) => doc.search(q));
  const unit = await time((q) => passage.search(q));
  const ctx = await time((q) => doc.context(q, { budget: 1500 }));
  process.stdout.write(`document unit, no passages   ${off.toFixed(2)} ms/query  1.00×\n`);
  process.stdout.write(`document unit, 3 passages    ${on.toFixed(2)} ms/query  ${(on / off).toFixed(2)}×\n`);
  process.stdout.write(`passage unit                 ${unit.toFixed(2)} ms/query  ${(unit / off).toFixed(2)}×\n`);
  process.stdout.write(`context --budget 1500        ${ctx.toFixed(2)} ms/query  ${(ctx / off).toFixed(2)}×\n`);
  await passage.close();
  await doc.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
