/**
 * Runs real Lucene analyzers for the differential tests: compiles scripts/lucene/AnalyzeDump.java
 * against the installed Lucene 8.x jars (Debian's liblucene8-java; LUCENE_JARS, default
 * /usr/share/java) and feeds it lines. `luceneMissing()` says why Lucene cannot run here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const jars = process.env.LUCENE_JARS ?? '/usr/share/java';
const classpath = [`${jars}/lucene-core-8.7.0.jar`, `${jars}/lucene-analyzers-common-8.7.0.jar`];
const source = fileURLToPath(new URL('../../scripts/lucene/AnalyzeDump.java', import.meta.url));

/** Why Lucene cannot run on this machine, or `null` when it can. */
export function luceneMissing(): string | null {
  for (const jar of classpath) if (!existsSync(jar)) return `no Lucene jar ${jar} (apt-get install liblucene8-java)`;
  for (const tool of ['java', 'javac']) {
    if (spawnSync(tool, ['-version'], { stdio: 'ignore' }).status !== 0) return `no ${tool} (apt-get install default-jdk-headless)`;
  }
  return null;
}

/** A compiled AnalyzeDump; `dispose()` removes it. */
export class LuceneDump {
  private readonly dir = mkdtempSync(join(tmpdir(), 'analyze-dump-'));

  constructor() {
    execFileSync('javac', ['-encoding', 'UTF-8', '-cp', classpath.join(':'), '-d', this.dir, source]);
  }

  /** Lucene's terms for every line, by `mode` (an Analyzer class name, `snowball:<Language>`, …). */
  analyze(mode: string, lines: readonly string[]): string[] {
    const out = execFileSync('java', ['-cp', [...classpath, this.dir].join(':'), 'AnalyzeDump', mode], {
      input: `${lines.join('\n')}\n`,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    return out.split('\n').slice(0, lines.length);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The first difference between two term lines, with a little context, for failure messages. */
export function firstDifference(ours: string, theirs: string): string {
  const a = ours === '' ? [] : ours.split(' ');
  const b = theirs === '' ? [] : theirs.split(' ');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 2);
  return `term ${i}: shortlist [${a.slice(from, i + 3).join(' ')}] lucene [${b.slice(from, i + 3).join(' ')}]`;
}
