import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
const t = new StdioClientTransport({ command: process.execPath, args: ['/work/wt-mcp/apps/mcp-server/bin/blue-mcp.js'], stderr: 'pipe', cwd: '/tmp' });
const c = new Client({ name: 'm', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
await c.connect(t);
const r = await c.listTools();
console.log('total', JSON.stringify(r).length);
let o=0,i=0,d=0; for (const x of r.tools) { o+=JSON.stringify(x.outputSchema).length; i+=JSON.stringify(x.inputSchema).length; d+=x.description.length; }
console.log({o,i,d});
for (const x of r.tools) console.log(x.name, JSON.stringify(x).length, JSON.stringify(x.outputSchema).length, JSON.stringify(x.inputSchema).length, x.description.length);
if (process.argv[2]) console.log(JSON.stringify(r.tools.find(t=>t.name===process.argv[2]), null, 1));
if (process.argv[3]) for (const x of r.tools) console.log(x.name, JSON.stringify(x.inputSchema.properties));
await c.close();
