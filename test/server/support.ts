/** Shared set-up of the server tests: tiny generated models and a server on a free loopback port. */
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { createServer, type ShortlistServer } from '../../src/server/index.ts';
import type { ServerOptionsInput } from '../../src/server/options.ts';

/** Preset fields the tiny generated cross-encoder needs (it has no preset). */
export const RERANK_PRESET = Object.freeze({ activation: 'sigmoid', maxLength: 128 });
/** Preset fields the tiny generated bi-encoder needs. */
export const EMBED_PRESET = Object.freeze({ pooling: 'mean', normalize: true, maxLength: 128 });

/** A quiet server on 127.0.0.1 with the tiny cross-encoder and bi-encoder, one thread each. */
export async function startServer(options: ServerOptionsInput = {}): Promise<ShortlistServer> {
  const [cls, enc] = await Promise.all([tinyModel('classifier'), tinyModel('encoder')]);
  return createServer({
    port: 0,
    quiet: true,
    threads: 1,
    rerankModel: cls,
    embedModel: enc,
    rerankPreset: RERANK_PRESET,
    embedPreset: EMBED_PRESET,
    ...options,
  });
}

/** POST JSON (or a raw string) and read status, headers and the parsed body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json: json as any, text };
}

/** Four short documents, two about blood pressure. */
export const DOCS = [
  'Patients who received the treatment had lower blood pressure.',
  'Cells were grown in a medium containing glucose.',
  'The system processes one thousand documents per second.',
  'Blood pressure fell in treated patients over twelve weeks.',
];
