#!/usr/bin/env bash
# Regenerates the Lucene 8.7 golden fixtures in test/fixtures/lucene/ (each line: input TAB output):
#   english-analyzer.tsv   EnglishAnalyzer terms      of analyzer-input.txt
#   standard-tokenizer.tsv StandardTokenizer tokens   of tokenizer-input.txt
#   porter.tsv             PorterStemFilter stem      of porter-input.txt
# (inputs: scripts/lucene/make-analyzer-input.ts). Needs a JDK and the Lucene 8.7.0 jars
# (LUCENE_JARS, default /usr/share/java). Run from anywhere: scripts/lucene/make-analyzer-golden.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jars="${LUCENE_JARS:-/usr/share/java}"
cp="$jars/lucene-core-8.7.0.jar:$jars/lucene-analyzers-common-8.7.0.jar"
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
javac -encoding UTF-8 -cp "$cp" -d "$build" "$root/scripts/lucene/AnalyzeDump.java"
fixtures="$root/test/fixtures/lucene"
golden() { # mode input output
  java -cp "$cp:$build" AnalyzeDump "$1" < "$fixtures/$2" > "$build/out.txt"
  paste "$fixtures/$2" "$build/out.txt" > "$fixtures/$3"
  echo "wrote $fixtures/$3 ($(wc -l < "$fixtures/$3") lines)"
}
golden english analyzer-input.txt english-analyzer.tsv
golden standard tokenizer-input.txt standard-tokenizer.tsv
golden porter porter-input.txt porter.tsv
