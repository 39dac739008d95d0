/** Flags that point `rerank` and `embed` at a hosted provider instead of a local model. */
import { Option, type Command } from 'commander';
import { EMBED_PROVIDERS, RERANK_PROVIDERS, type RemoteCommonOptions } from '../../models/remote/index.ts';

/** Parsed values of the remote flags. */
export interface RemoteFlags {
  provider?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
}

/** Add `--provider`, `--base-url` and `--api-key-env` to `cmd`, for the providers serving `role`. */
export function addRemoteFlags(cmd: Command, role: 'embed' | 'rerank'): Command {
  const providers = Object.keys(role === 'embed' ? EMBED_PROVIDERS : RERANK_PROVIDERS);
  return cmd
    .addOption(new Option('--provider <id>', 'use a hosted provider; --model then names its model (e.g. rerank-v3.5)').choices(providers))
    .option('--base-url <url>', "the provider's API base URL (default: its public API, or TEI/Ollama's local port)")
    .option('--api-key-env <name>', "environment variable holding the API key (default: the provider's usual one, e.g. COHERE_API_KEY)");
}

/** Remote adapter options from parsed flags; the key is passed by reference, never as a value. */
export function remoteOptions(flags: RemoteFlags & { model: string }): RemoteCommonOptions {
  return { model: flags.model, baseUrl: flags.baseUrl, apiKey: flags.apiKeyEnv ? { env: flags.apiKeyEnv } : undefined };
}
