/**
 * `shortlist/mcp`: shortlist as an MCP server (needs the optional peer `@modelcontextprotocol/sdk`).
 * `shortlist mcp --collections DIR` runs it over stdio; `createMcpServer` builds it in code.
 *
 * @module shortlist/mcp
 */
export { createMcpServer, pathHider, MCP_LIMITS, type McpServerOptions, type McpLimits, type ShortlistMcpServer } from './server.ts';
export { serveStdio } from './stdio.ts';
