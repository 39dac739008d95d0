/** `shortlist index <source> --out <dir>`: build a BM25 index from a BEIR folder or corpus.jsonl. */
import { type Command, Option } from 'commander';
import { Bm25Index } from '../../retrieve/bm25/index.ts';
import { readCorpus, resolveCorpusPath } from '../../eval/beir.ts';
import { documentTexts, INDEX_ANALYZER_NAMES, resolveAnalyzer } from '../../text/detect.ts';
import { countLines } from '../../core/jsonl.ts';
import { createProgress } from '../progress.ts';
import { formatMs, printJson } from '../output.ts';

export function register(program: Command): void {
  program
    .command('index')
    .description('build a BM25 index from a BEIR folder or a corpus.jsonl (written atomically)')
    .argument('<source>', 'BEIR dataset folder or corpus.jsonl (lines of {"_id","title","text"})')
    .requiredOption('-o, --out <dir>', 'index directory to write (an existing index there is replaced atomically)')
    .addOption(
      new Option('--analyzer <name>', 'text analyzer (auto: detect the language from the first documents)')
        .choices(INDEX_ANALYZER_NAMES)
        .default('english'),
    )
    .addOption(
      new Option('--on-duplicate <policy>', 'duplicate document ids: fail, or keep the last').choices(['error', 'last']).default('error'),
    )
    .option('--json', 'print one JSON object instead of text (no progress bar)')
    .action(async (source: string, opts: { out: string; analyzer: string; onDuplicate: 'error' | 'last'; json?: boolean }) => {
      const corpus = await resolveCorpusPath(source);
      const { analyzer, detection } = await resolveAnalyzer(opts.analyzer, () =>
        documentTexts(readCorpus(corpus, { onDuplicate: 'last' })),
      );
      const progress = createProgress('indexing', { unit: 'docs', quiet: opts.json, total: await countLines(corpus) });
      const t0 = performance.now();
      const index = await Bm25Index.build(readCorpus(corpus, { onDuplicate: opts.onDuplicate }), {
        analyzer,
        onProgress: (done) => progress.update(done),
        progressEvery: 2000,
      });
      progress.stop();
      await index.save(opts.out);
      const ms = performance.now() - t0;
      const stats = index.stats;
      index.close();
      const summary = {
        index: opts.out,
        corpus,
        analyzer: index.analyzer.id,
        ...(detection ? { detected: detection } : {}),
        documents: stats.docCount,
        terms: stats.termCount,
        ms: Math.round(ms),
      };
      if (opts.json) return printJson(summary);
      const rate = Math.round(stats.docCount / (ms / 1000)).toLocaleString('en-US');
      if (detection) {
        process.stdout.write(
          `detected ${detection.language} in ${Math.round(detection.share * 100)}% of the first ${detection.documents} documents' text: analyzer ${index.analyzer.id}\n`,
        );
      }
      process.stdout.write(
        `indexed ${stats.docCount.toLocaleString('en-US')} documents (${stats.termCount.toLocaleString('en-US')} terms, ${index.analyzer.id}) ` +
          `into ${opts.out} in ${formatMs(ms)} (${rate} docs/s)\n`,
      );
    });
}
