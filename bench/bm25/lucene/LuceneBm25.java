// Lucene 8.7 BM25 peer for bench/bm25: the reference BM25 that shortlist must match.
//
// Set up as Anserini indexes and searches BEIR "flat" (title + " " + text in one field):
// - Analyzer: Lucene's EnglishAnalyzer (StandardTokenizer, EnglishPossessiveFilter, LowerCaseFilter,
//   StopFilter with the 33 English stop words, PorterStemFilter) — Anserini's DefaultEnglishAnalyzer
//   is the same chain. https://lucene.apache.org/core/8_7_0/analyzers-common/org/apache/lucene/analysis/en/EnglishAnalyzer.html
// - Similarity: BM25Similarity(k1, b), Anserini's defaults k1 = 0.9, b = 0.4 (1-byte lossy length norms,
//   exactly as Lucene stores them). https://lucene.apache.org/core/8_7_0/core/org/apache/lucene/search/similarities/BM25Similarity.html
// - Query: Anserini's BagOfWordsQueryGenerator — analyze the query, one SHOULD TermQuery per distinct
//   term, boosted by how often the term occurs in the query.
//   https://github.com/castorini/anserini/blob/master/src/main/java/io/anserini/search/query/BagOfWordsQueryGenerator.java
// - Top-k: IndexSearcher.search(query, depth), single thread (no executor); Lucene 8 uses block-max WAND
//   once `depth` hits are collected.
//
// Input files are prepared by bench/bm25/systems/lucene.ts (tabs and newlines replaced by spaces, which
// the StandardTokenizer treats the same way):
//   docs.tsv     one line per document: id \t title + " " + text
//   queries.tsv  one line per query:    id \t text
// Usage: java -cp <lucene jars>:<dir> LuceneBm25 docs.tsv queries.tsv out.run k1 b depths warmupDocs repeats
//   repeats: timed passes per depth, at least (more while they total under 1 s; the fastest is reported)
//   depths: comma-separated, e.g. "1000" or "10,1000"; each gets a warm-up pass and a timed pass over all
//   queries; the run file holds the results at the last depth.
// Prints one JSON object on stdout: counts, timings (ms) and the process's peak RSS (VmHWM, KiB).

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;

public final class LuceneBm25 {
  private static final String FIELD = "contents";
  private static final String ID = "id";
  /** Same budgets as bench/bm25/worker.ts: warm-up cycles through the queries up to 2,000 searches
   * or 3 s (at least 20); timed passes: at least `repeats` and 1 s in total, no new pass after 5 s. */
  private static final int WARMUP_QUERIES = 2000;
  private static final long WARMUP_MS = 3000;
  private static final double MIN_TIMED_MS = 1000;
  private static final double REPEAT_BUDGET_MS = 5000;

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println("usage: LuceneBm25 docs.tsv queries.tsv out.run k1 b depths warmupDocs repeats");
      System.exit(2);
    }
    List<String[]> docs = readTsv(args[0]);
    List<String[]> queries = readTsv(args[1]);
    String runPath = args[2];
    float k1 = Float.parseFloat(args[3]);
    float b = Float.parseFloat(args[4]);
    String[] depthArgs = args[5].split(",");
    int warmupDocs = Integer.parseInt(args[6]);
    int repeats = Math.max(1, Integer.parseInt(args[7]));
    BM25Similarity similarity = new BM25Similarity(k1, b);
    Analyzer analyzer = new EnglishAnalyzer();
    long rssBeforeIndexKb = vmKb("VmRSS");

    // Warm-up: index a prefix of the corpus into a throwaway directory so the timed build is not a JIT run.
    if (warmupDocs > 0) {
      try (Directory warm = new ByteBuffersDirectory()) {
        DirectoryReader reader = build(warm, docs.subList(0, Math.min(warmupDocs, docs.size())), analyzer, similarity);
        reader.close();
      }
    }

    long t0 = System.nanoTime();
    Directory dir = new ByteBuffersDirectory();
    DirectoryReader reader = build(dir, docs, analyzer, similarity);
    IndexSearcher searcher = new IndexSearcher(reader);
    searcher.setSimilarity(similarity);
    double indexMs = (System.nanoTime() - t0) / 1e6;

    // Lucene doc number -> external id, read once (untimed) so hits cost no stored-field lookups.
    String[] ids = new String[reader.maxDoc()];
    for (int d = 0; d < ids.length; d++) ids[d] = reader.document(d).get(ID);

    // Per depth: a warm-up pass, then up to `repeats` timed passes over all queries (query analysis included).
    StringBuilder queryMs = new StringBuilder("{");
    TopDocs[] results = new TopDocs[0];
    long sink = 0;
    for (String depthArg : depthArgs) {
      int depth = Integer.parseInt(depthArg.trim());
      // Warm-up (untimed): its results are kept for the run; timed passes drop theirs.
      results = new TopDocs[queries.size()];
      long warmStart = System.nanoTime();
      for (int n = 0; n < 20 || (n < WARMUP_QUERIES && System.nanoTime() - warmStart < WARMUP_MS * 1_000_000L); n++) {
        int i = n % queries.size();
        TopDocs hits = search(searcher, analyzer, queries.get(i)[1], depth);
        if (n < queries.size()) results[i] = hits;
      }
      double ms = Double.MAX_VALUE;
      double timed = 0;
      for (int rep = 0; rep == 0 || ((rep < repeats || timed < MIN_TIMED_MS) && timed < REPEAT_BUDGET_MS); rep++) {
        long t1 = System.nanoTime();
        for (String[] q : queries) {
          TopDocs top = search(searcher, analyzer, q[1], depth);
          if (top != null) sink += top.scoreDocs.length;
        }
        double passMs = (System.nanoTime() - t1) / 1e6;
        timed += passMs;
        ms = Math.min(ms, passMs);
      }
      for (int i = 0; i < results.length; i++) {
        if (results[i] == null) results[i] = search(searcher, analyzer, queries.get(i)[1], depth);
      }
      queryMs.append(queryMs.length() > 1 ? "," : "").append('"').append(depth).append("\":").append(ms);
    }
    queryMs.append('}');

    try (BufferedWriter out = Files.newBufferedWriter(Paths.get(runPath), StandardCharsets.UTF_8)) {
      for (int i = 0; i < results.length; i++) {
        if (results[i] == null) continue;
        String qid = queries.get(i)[0];
        ScoreDoc[] hits = results[i].scoreDocs;
        for (int r = 0; r < hits.length; r++) {
          out.write(qid + " Q0 " + ids[hits[r].doc] + " " + (r + 1) + " " + hits[r].score + " lucene\n");
        }
      }
    }
    reader.close();
    dir.close();
    System.out.println("{\"docs\":" + docs.size() + ",\"queries\":" + queries.size()
        + ",\"indexMs\":" + indexMs + ",\"queryMs\":" + queryMs
        + ",\"rssBeforeIndexKb\":" + rssBeforeIndexKb + ",\"peakRssKb\":" + vmKb("VmHWM") + ",\"hits\":" + sink + "}");
  }

  /** Index `docs` (id, contents) into `dir` with one writer thread; returns a reader on the result. */
  private static DirectoryReader build(Directory dir, List<String[]> docs, Analyzer analyzer, BM25Similarity sim)
      throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(sim).setRAMBufferSizeMB(512);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      for (String[] d : docs) {
        Document doc = new Document();
        doc.add(new StoredField(ID, d[0]));
        doc.add(new TextField(FIELD, d[1], Field.Store.NO));
        writer.addDocument(doc);
      }
      writer.commit();
    }
    return DirectoryReader.open(dir);
  }

  /** Bag-of-words query for `text` at `depth`; null when the query has no terms (no hits). */
  private static TopDocs search(IndexSearcher searcher, Analyzer analyzer, String text, int depth) throws IOException {
    Query q = bagOfWords(analyzer, text);
    return q == null ? null : searcher.search(q, depth);
  }

  /** Anserini's bag of words: one SHOULD clause per distinct analyzed term, boosted by its count. */
  private static Query bagOfWords(Analyzer analyzer, String text) throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (TokenStream ts = analyzer.tokenStream(FIELD, new StringReader(text))) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) counts.merge(term.toString(), 1, Integer::sum);
      ts.end();
    }
    if (counts.isEmpty()) return null;
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      Query tq = new TermQuery(new Term(FIELD, e.getKey()));
      builder.add(new BoostQuery(tq, e.getValue()), BooleanClause.Occur.SHOULD);
    }
    return builder.build();
  }

  private static List<String[]> readTsv(String path) throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(Paths.get(path), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        int tab = line.indexOf('\t');
        if (tab < 0) continue;
        rows.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
      }
    }
    return rows;
  }

  /** A line of /proc/self/status in KiB (VmHWM = peak RSS), or -1 where there is no /proc. */
  private static long vmKb(String key) {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (line.startsWith(key + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
