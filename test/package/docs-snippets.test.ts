/**
 * Docs code blocks are examples: a block preceded by `<!-- example: examples/x.ts -->` must equal
 * that file, and in the docs this area owns every TypeScript block must be such a block.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const root = fileURLToPath(new URL('../..', import.meta.url));
const OWNED = ['docs/library.md', 'docs/integrations.md', 'README.md'];

interface Block {
  lang: string;
  body: string;
  example?: string;
  line: number;
}

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const re = /(?:<!-- example: (\S+) -->\n)?```(\w*)\n([\s\S]*?)```/g;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    out.push({ example: m[1], lang: m[2], body: m[3], line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

const docs = [
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  'README.md',
];

describe('docs code blocks', () => {
  for (const doc of docs) {
    it(`${doc}: marked blocks equal their example files`, () => {
      for (const b of blocks(readFileSync(join(root, doc), 'utf8')).filter((x) => x.example)) {
        const file = join(root, b.example!);
        assert.ok(existsSync(file), `${doc}:${b.line}: ${b.example} does not exist`);
        assert.equal(
          b.body,
          readFileSync(file, 'utf8'),
          `${doc}:${b.line}: the block differs from ${b.example}; copy the file into the doc`,
        );
      }
    });
  }

  it('every TypeScript block in the library and integration docs is an example', () => {
    for (const doc of OWNED) {
      const all = blocks(readFileSync(join(root, doc), 'utf8'));
      assert.ok(
        all.some((b) => b.example),
        `${doc} shows an example`,
      );
      for (const b of all)
        if (['ts', 'js', 'typescript', 'javascript'].includes(b.lang))
          assert.ok(b.example, `${doc}:${b.line}: a ${b.lang} block that is not an example`);
    }
  });

  it('fails when a block differs from its file', () => {
    const [b] = blocks('<!-- example: examples/bm25-library.ts -->\n```ts\nconsole.log(1);\n```\n');
    assert.notEqual(b.body, readFileSync(join(root, b.example!), 'utf8'));
  });
});
