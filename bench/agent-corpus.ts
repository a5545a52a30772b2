// The agent tools on real plans and profiles (`node --import tsx bench/agent-corpus.ts
// [plan-corpus-dir] [profile-corpus-dir]`): the size of each answer, in bytes of JSON, and the
// time to make it, as the MCP server (`hotspot-lens mcp`) gives them. Answers must stay small
// for a model (top N, cut texts) whatever the input: the plan tool on every plan of the plan
// corpus (bench/plan-corpus.ts), the hotspots tool on every profile of the mapping corpus
// (bench/mapping-corpus.json). A missing corpus is said and skipped.
import fs from 'node:fs';
import path from 'node:path';
import { AgentWorkspace } from '../src/cli/mcp-command';

const root = path.resolve(__dirname, '..');
const [planDir = path.join(root, '..', 'plan-corpus'), profileDir = path.join(root, '..', 'corpus')] =
  process.argv.slice(2);

async function answer(ws: AgentWorkspace, tool: 'plan' | 'hotspots'): Promise<string> {
  const t0 = performance.now();
  try {
    const json = JSON.stringify(await ws.call(tool, {}));
    return `${String(json.length).padStart(7)} B ${(performance.now() - t0).toFixed(0).padStart(6)} ms`;
  } catch (e) {
    return `error: ${e instanceof Error ? e.message.split('\n')[0] : e}`;
  }
}

async function main(): Promise<void> {
  if (fs.existsSync(planDir)) {
    console.log(`plan tool on ${planDir}:`);
    for (const f of fs
      .readdirSync(planDir)
      .filter((x) => x.endsWith('.md') && x !== 'ORIGINS.md')
      .sort()) {
      const ws = new AgentWorkspace({ root: planDir, plan: path.join(planDir, f), readOnly: true });
      console.log(`  ${f.padEnd(44)}${await answer(ws, 'plan')}`);
    }
  } else console.log(`plan tool: skipped — no plan corpus at ${planDir}`);
  if (fs.existsSync(profileDir)) {
    console.log(`hotspots tool on ${profileDir}:`);
    const projects = JSON.parse(fs.readFileSync(path.join(__dirname, 'mapping-corpus.json'), 'utf8')) as {
      name: string;
      profile: string;
    }[];
    for (const p of projects) {
      const checkout = path.join(profileDir, p.name);
      if (!fs.existsSync(path.join(checkout, p.profile))) continue;
      const ws = new AgentWorkspace({
        root: checkout,
        profile: path.join(checkout, p.profile),
        readOnly: true,
      });
      console.log(`  ${p.name.padEnd(44)}${await answer(ws, 'hotspots')}`);
    }
  } else console.log(`hotspots tool: skipped — no profile corpus at ${profileDir}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
