// Prints the default stop word set (the static getDefaultStopSet()) of each Lucene 8.x analyzer class named on the command line,
// as "<class>\t<word>" lines (words sorted by UTF-16 code units). Lucene loads these sets from
// resource files inside its jars; scripts/lucene/make-stopwords.ts turns this output into
// src/text/stopwords-data.ts so that users need no jar.
//
//   java -cp lucene-core.jar:lucene-analyzers-common.jar:. StopwordsDump org.apache.lucene.analysis.de.GermanAnalyzer …

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.lucene.analysis.CharArraySet;

public final class StopwordsDump {
  public static void main(String[] args) throws IOException, ReflectiveOperationException {
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    for (String name : args) {
      CharArraySet set = (CharArraySet) Class.forName(name).getMethod("getDefaultStopSet").invoke(null);
      List<String> words = new ArrayList<>();
      for (Object word : set) words.add(new String((char[]) word));
      Collections.sort(words);
      for (String word : words) out.append(name).append('\t').append(word).append('\n');
    }
    out.flush();
  }
}
