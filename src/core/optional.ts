/**
 * Heavy packages shortlist uses for some features only. They are optional peer dependencies:
 * `npm i shortlist` installs none of them, and each loads on first use through {@link lazyPackage},
 * so importing the library (or running a command) that needs none of them never loads them.
 * When one is missing, the error names the feature and the install command.
 */
import { createRequire } from 'node:module';
import { ShortlistError } from './errors.ts';

/** Every optional package: the version shortlist is tested with and what needs it. */
export const OPTIONAL_PACKAGES = Object.freeze({
  'onnxruntime-node': {
    version: '1.30.0',
    for: 'local models (encoders, cross-encoders, ColBERT)',
    install: 'ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0',
  },
  '@lancedb/lancedb': {
    version: '0.31.0',
    for: 'collections in a directory or on s3://',
    install: 'npm install @lancedb/lancedb@0.31.0 apache-arrow@18.1.0',
  },
  'apache-arrow': {
    version: '18.1.0',
    for: 'collections in a directory or on s3://',
    install: 'npm install @lancedb/lancedb@0.31.0 apache-arrow@18.1.0',
  },
  '@aws-sdk/client-s3': { version: '3.1175.0', for: 'collections on s3://', install: 'npm install @aws-sdk/client-s3@3.1175.0' },
  pg: { version: '8.23.1', for: 'collections on postgres://', install: 'npm install pg@8.23.1 pg-copy-streams@7.0.0' },
  'pg-copy-streams': { version: '7.0.0', for: 'collections on postgres://', install: 'npm install pg@8.23.1 pg-copy-streams@7.0.0' },
  echarts: { version: '6.1.0', for: 'charts in HTML reports', install: 'npm install echarts@6.1.0' },
  '@langchain/core': {
    version: '1.4.0',
    for: 'the LangChain.js retriever and reranker (shortlist/langchain)',
    install: 'npm install @langchain/core@1.4.0',
  },
  '@modelcontextprotocol/sdk': {
    version: '1.32.2',
    for: 'the MCP server (shortlist mcp, shortlist/mcp)',
    install: 'npm install @modelcontextprotocol/sdk@1.32.2',
  },
} as const);

/** The name of an optional package. */
export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/**
 * A loader for an optional package: the first call imports it (later calls share the promise);
 * when the package is not installed it rejects with `MISSING_DEPENDENCY` naming the command that
 * installs it. `load` must be `() => import('<name>')` written out, so bundlers and types see it.
 */
export function lazyPackage<T>(name: OptionalPackage, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((cause: unknown) => {
      loading = undefined;
      throw isMissing(cause, name) ? missingPackage(name, cause) : cause;
    });
    return loading;
  };
}

const require = createRequire(import.meta.url);
const required = new Map<string, unknown>();

/**
 * An optional CommonJS package, loaded synchronously on first use (for code that cannot await,
 * such as a constructor); `MISSING_DEPENDENCY` naming the install command when it is not installed.
 */
export function requireOptional<T>(name: OptionalPackage): T {
  if (!required.has(name)) {
    try {
      required.set(name, require(name));
    } catch (cause) {
      throw isMissing(cause, name) ? missingPackage(name, cause) : cause;
    }
  }
  return required.get(name) as T;
}

/** The error for a missing optional package. */
export function missingPackage(name: OptionalPackage, cause?: unknown): ShortlistError {
  const p = OPTIONAL_PACKAGES[name];
  return new ShortlistError(
    'MISSING_DEPENDENCY',
    `${p.for} need the optional package ${name}, which is not installed; install it with \`${p.install}\``,
    { cause },
  );
}

function isMissing(err: unknown, name: string): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' && e?.code !== 'MODULE_NOT_FOUND') return false;
  return (
    typeof e.message === 'string' && (e.message.includes(`'${name}'`) || e.message.includes(`"${name}"`) || e.message.includes(`/${name}/`))
  );
}
