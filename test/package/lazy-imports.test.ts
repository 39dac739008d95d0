/**
 * zod and the Hugging Face tokenizers load on first use (src/core/zod.ts, src/core/require-esm.ts),
 * so importing shortlist never pays their load time: no module of src/ (tests aside) imports
 * either as a value. Type-only imports (`import type { z } from 'zod'`) are erased and allowed.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const src = fileURLToPath(new URL('../../src', import.meta.url));
/** Packages src/ may only load through src/core's loaders. */
const LAZY = ['zod', '@huggingface/tokenizers'];
const lazy = (specifier: string) => LAZY.some((p) => specifier === p || specifier.startsWith(`${p}/`));

/** `line: text` of each import, re-export, `import()` or `require()` of a lazy package as a value. */
export function valueImports(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node) =>
    found.push(`${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}: ${node.getText(sf).split('\n')[0]}`);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && lazy(node.moduleSpecifier.text)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) report(node);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      lazy(node.moduleSpecifier.text) &&
      !node.isTypeOnly
    ) {
      report(node);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      lazy(node.arguments[0].text)
    ) {
      report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !/\.test(-helper)?\.ts$/.test(e.name) ? [path] : [];
  });
}

describe('lazy packages', () => {
  it('no module of src/ imports zod or @huggingface/tokenizers as a value', () => {
    const files = sources(src);
    assert.ok(files.length > 100, 'the walk finds the sources');
    const bad = files.flatMap((f) => valueImports(f, readFileSync(f, 'utf8')).map((hit) => `src/${relative(src, f)}:${hit}`));
    assert.deepEqual(bad, [], 'load them with zod() / lazySchema() from src/core/zod.ts, or requireEsm()');
  });

  it('the check tells value imports from type-only ones', () => {
    const text = [
      "import { z } from 'zod';",
      "import type { z as Z } from 'zod';",
      "import { type ZodType } from 'zod';",
      "import * as zz from 'zod/mini';",
      "import { Tokenizer } from '@huggingface/tokenizers';",
      "import type { Tokenizer as T } from '@huggingface/tokenizers';",
      "export { z as zed } from 'zod';",
      "export type { ZodType as Zt } from 'zod';",
      "const later = () => import('zod');",
      "const now = require('@huggingface/tokenizers');",
      "import { zodLike } from './zod.ts';",
    ].join('\n');
    assert.deepEqual(
      valueImports('x.ts', text).map((h) => Number(h.split(':')[0])),
      [1, 4, 5, 7, 9, 10],
    );
  });
});
