/** `shortlist mcp`: placeholder replaced below. */
import type { Command } from 'commander';

/** Registers the command on `program`. */
export function register(program: Command): void {
  program.command('mcp').description('serve search, collection info and rerank as MCP tools over stdio (tools tune, never configure)').option('--collections <dir|url>', 'x');
}
