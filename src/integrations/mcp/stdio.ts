/** Serving the MCP server over stdio until the client closes it (or SIGINT/SIGTERM). */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer, type McpServerOptions } from './server.ts';

/** Serve shortlist's MCP tools on stdin/stdout; resolves when the client disconnects or a signal stops it. */
export async function serveStdio(options: McpServerOptions = {}): Promise<void> {
  const mcp = createMcpServer(options);
  const transport = new StdioServerTransport();
  await new Promise<void>((resolve, reject) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      process.stdin.off('end', stop);
      mcp.close().then(resolve, resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.stdin.on('end', stop);
    mcp.connect(transport).catch(reject);
  });
}
