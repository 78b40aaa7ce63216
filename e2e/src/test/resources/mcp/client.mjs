// An agent's view of Chaser: the official MCP TypeScript SDK client over Streamable HTTP, with an API
// key. Usage: node client.mjs <api url> <scenario> [session id]; prints one JSON line of what it saw.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, scenario, sessionId] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url + "/v1/mcp"), {
  requestInit: { headers: { Authorization: `Bearer ${process.env.CHASER_API_KEY}` } },
});
const client = new Client({ name: "chaser-e2e", version: "1.0.0" });
const timeout = Number(process.env.MCP_TIMEOUT_MS || 180000);

async function call(name, args) {
  const r = await client.callTool({ name, arguments: args }, undefined, { timeout });
  return {
    isError: !!r.isError,
    structured: r.structuredContent ?? null,
    text: r.content?.[0]?.text ?? null,
    types: (r.content ?? []).map((c) => c.type),
  };
}

await client.connect(transport);
const out = { server: client.getServerVersion(), protocol: transport.protocolVersion ?? null };
out.tools = (await client.listTools()).tools.map((t) => t.name);
if (scenario === "agent") {
  out.first = await call("terminal", { command: "echo $$ > /tmp/mcp-first; echo first" });
  const sid = out.first.structured?.session_id;
  out.second = await call("terminal", { session_id: sid, cmd: "cat /tmp/mcp-first; echo second" });
  out.write = await call("write_file", { session_id: sid, path: "notes/mcp.txt", content: "written over MCP\n" });
  out.read = await call("read_file", { session_id: sid, path: "notes/mcp.txt" });
  out.navigate = await call("browser", {
    action: "navigate",
    url: "data:text/html,<title>MCP page</title><p>Hello from a data page</p>",
  });
  const browser = out.navigate.structured?.session_id;
  out.text = await call("browser", { session_id: browser, action: "text" });
  out.screenshot = await call("browser", { session_id: browser, action: "screenshot" });
} else if (scenario === "terminal") {
  out.terminal = await call("terminal", { session_id: sessionId, command: "echo ran" });
} else {
  throw new Error("unknown scenario " + scenario);
}
await client.close();
console.log(JSON.stringify(out));
