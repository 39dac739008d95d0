// Prints Lucene 8.7's analysis of every stdin line (UTF-8) as space-separated terms, one output
// line per input line. Reference for shortlist's `english` analyzer (src/text/english.ts).
//
//   java -cp lucene-core-8.7.0.jar:lucene-analyzers-common-8.7.0.jar:. AnalyzeDump [mode]
//
// mode: english (default) = EnglishAnalyzer; standard = StandardTokenizer alone (original case);
//       porter = PorterStemFilter over whitespace-split tokens (one stem per input word);
//       any analyzer class with a no-argument constructor, by name, e.g.
//       org.apache.lucene.analysis.de.GermanAnalyzer (the multilingual differential tests);
//       snowball:<Language> = org.tartarus.snowball.ext.<Language>Stemmer over whitespace-split tokens.

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.tartarus.snowball.SnowballProgram;

public final class AnalyzeDump {
  private static Analyzer byName(String mode) {
    try {
      if (mode.startsWith("snowball:")) {
        Class<?> stemmer = Class.forName("org.tartarus.snowball.ext." + mode.substring(9) + "Stemmer");
        return new Analyzer() {
          @Override
          protected TokenStreamComponents createComponents(String field) {
            Tokenizer source = new WhitespaceTokenizer();
            try {
              SnowballProgram program = (SnowballProgram) stemmer.getDeclaredConstructor().newInstance();
              return new TokenStreamComponents(source, new SnowballFilter(source, program));
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(e);
            }
          }
        };
      }
      return (Analyzer) Class.forName(mode).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException(
          "mode must be english, standard, porter, snowball:<Language> or an Analyzer class name, not " + mode, e);
    }
  }

  public static void main(String[] args) throws IOException {
    String mode = args.length > 0 ? args[0] : "english";
    Analyzer analyzer;
    switch (mode) {
      case "english":
        analyzer = new EnglishAnalyzer();
        break;
      case "standard":
        analyzer = new Analyzer() {
          @Override
          protected TokenStreamComponents createComponents(String field) {
            return new TokenStreamComponents(new StandardTokenizer());
          }
        };
        break;
      case "porter":
        analyzer = new Analyzer() {
          @Override
          protected TokenStreamComponents createComponents(String field) {
            Tokenizer source = new WhitespaceTokenizer();
            return new TokenStreamComponents(source, new PorterStemFilter(source));
          }
        };
        break;
      default:
        analyzer = byName(mode);
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    StringBuilder line = new StringBuilder();
    String text;
    while ((text = in.readLine()) != null) {
      line.setLength(0);
      try (TokenStream ts = analyzer.tokenStream("f", new StringReader(text))) {
        CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
        ts.reset();
        boolean first = true;
        while (ts.incrementToken()) {
          if (!first) line.append(' ');
          line.append(term.buffer(), 0, term.length());
          first = false;
        }
        ts.end();
      }
      out.append(line).append('\n');
    }
    out.flush();
  }
}
