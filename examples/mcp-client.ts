// An MCP client (what an agent does): start `shortlist mcp` over stdio and call its search tool.
// Needs @modelcontextprotocol/sdk. Pass a folder of collections as the first argument.
// Run: node --conditions=shortlist-source --import tsx examples/mcp-client.ts ./collections
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const collections = process.argv[2] ?? './collections';
const shortlistBin = process.env.SHORTLIST_BIN ?? 'shortlist';
const transport = new StdioClientTransport({ command: shortlistBin, args: ['mcp', '--collections', collections] });
const client = new Client({ name: 'example', version: '1.0.0' });
await client.connect(transport);

const tools = (await client.listTools()).tools.map((t) => t.name);
console.log(tools.sort().join(','));
const answer = await client.callTool({ name: 'search', arguments: { collection: 'docs', query: 'inverted index', k: 1 } });
const { hits } = JSON.parse((answer.content as { text: string }[])[0].text) as { hits: { id: string }[] };
console.log(hits.map((h) => h.id).join(','));
await client.close();
