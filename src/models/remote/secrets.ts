/**
 * API keys by reference only: a config names the environment variable (`{ env: 'OPENAI_API_KEY' }`)
 * and the key is read at call time, kept in a local variable for one request, and never stored on
 * an object that is serialised or logged.
 */
import { lazySchema } from '../../core/zod.ts';
import { ShortlistError } from '../../core/errors.ts';

/** A reference to a secret held in an environment variable. */
export interface ApiKeyRef {
  /** Name of the environment variable, e.g. `COHERE_API_KEY`. */
  env: string;
}

/** zod schema of {@link ApiKeyRef}: only `{ env }` is accepted, so a literal key cannot be written into a pipeline file. */
export const apiKeyRefSchema = lazySchema((z) =>
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name such as OPENAI_API_KEY') }).strict(),
);

/**
 * Read the key the reference names. Undefined when `ref` is undefined (self-hosted servers without
 * auth); INVALID_ARGUMENT naming the variable when it is unset or empty.
 */
export function resolveApiKey(ref: ApiKeyRef | undefined, provider: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (ref === undefined) return undefined;
  const value = env[ref.env];
  if (value === undefined || value.trim() === '') {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `${provider}: the environment variable ${ref.env} named by apiKey is not set; export ${ref.env}=<your key> before running`,
    );
  }
  return value.trim();
}
