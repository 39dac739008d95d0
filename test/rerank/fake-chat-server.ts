/**
 * A loopback OpenAI-compatible chat server for tests and scripts (node:http on 127.0.0.1, port 0).
 * It checks each request has the exact chat-completions shape, answers with the exact response
 * shape (`choices[0].message.content`, `usage`), and lets a handler inject failures. Helpers read
 * the query and the passages of a listwise prompt back out of the messages (both shipped
 * templates), so a fake "LLM" can rank them, e.g. ideally from qrels.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat message as sent. */
export interface FakeMessage {
  role: string;
  content: string;
}

/** A request the server received. */
export interface FakeChatRequest {
  model: string;
  messages: FakeMessage[];
  temperature: unknown;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

/** What to answer: a completion `content`, or a raw failure. */
export type FakeReply =
  | { content: string; usage?: { prompt_tokens: number; completion_tokens: number } | null }
  | { status: number; headers?: Record<string, string>; body: string }
  | { hang: true };

/** A running fake server. */
export interface FakeChatServer {
  /** Base URL to configure, ending in `/v1`. */
  baseUrl: string;
  /** Every well-formed request received, in order. */
  requests: FakeChatRequest[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** Starts the server; `handler` gets each request and its 0-based index. */
export async function startFakeChatServer(
  handler: (req: FakeChatRequest, index: number) => FakeReply | Promise<FakeReply>,
): Promise<FakeChatServer> {
  const requests: FakeChatRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    const invalid = (message: string) =>
      send(400, JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }));
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return send(
        404,
        JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error', param: null, code: null } }),
      );
    if (!String(req.headers['content-type']).startsWith('application/json')) return invalid('content-type must be application/json');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return invalid('body is not JSON');
    }
    const messages = body.messages as FakeMessage[];
    if (typeof body.model !== 'string') return invalid('model must be a string');
    if (
      !Array.isArray(messages) ||
      messages.some((m) => !['system', 'user', 'assistant'].includes(m?.role) || typeof m.content !== 'string')
    ) {
      return invalid('messages must be [{role, content}]');
    }
    const request: FakeChatRequest = { model: body.model, messages, temperature: body.temperature, body, headers: req.headers };
    const index = requests.push(request) - 1;
    const reply = await handler(request, index);
    if ('hang' in reply) return; // never answers; the client must time out
    if ('status' in reply) return send(reply.status, reply.body, reply.headers);
    const usage =
      reply.usage === undefined
        ? { prompt_tokens: words(messages.map((m) => m.content).join(' ')), completion_tokens: words(reply.content) }
        : reply.usage;
    send(200, JSON.stringify(completion(body.model, reply.content, usage)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The exact chat-completions response object. */
export function completion(model: string, content: string, usage: { prompt_tokens: number; completion_tokens: number } | null) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
    ...(usage === null ? {} : { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }),
  };
}

/** An OpenAI-style error body. */
export function errorBody(message: string, type = 'server_error'): string {
  return JSON.stringify({ error: { message, type, param: null, code: null } });
}

/** The query and the passages (in label order) of a listwise prompt, either shipped template. */
export function readPrompt(messages: readonly FakeMessage[]): { query: string; passages: string[] } {
  const last = messages[messages.length - 1].content;
  const q = /Search Query: ([\s\S]*?)\.\s?\nRank the \d+ passages/.exec(last);
  if (!q) throw new Error(`no "Search Query:" in the last message: ${last.slice(0, 80)}`);
  const passages: string[] = [];
  for (const m of messages) {
    if (m.role !== 'user') continue;
    for (const line of m.content.split('\n')) {
      const p = /^\[(\d+)\] (.*)$/.exec(line);
      if (p) {
        if (Number(p[1]) !== passages.length + 1) throw new Error(`passage label [${p[1]}] out of order`);
        passages.push(p[2]);
      }
    }
  }
  return { query: q[1], passages };
}

/** `[a] > [b] > …` for 0-based positions. */
export function formatPermutation(order: readonly number[]): string {
  return order.map((i) => `[${i + 1}]`).join(' > ');
}

/** The ideal answer: passages by `grade` descending, ties in prompt order. */
export function idealAnswer(passages: readonly string[], grade: (passage: string) => number): string {
  const g = passages.map(grade);
  const order = passages.map((_, i) => i).sort((a, b) => g[b] - g[a] || a - b);
  return formatPermutation(order);
}

/** The reversed answer: last passage first. */
export function reversedAnswer(n: number): string {
  return formatPermutation(Array.from({ length: n }, (_, i) => n - 1 - i));
}

function words(s: string): number {
  return s.split(/\s+/).filter((w) => w.length > 0).length;
}
