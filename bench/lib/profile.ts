import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Where a sample's time goes: the package for node_modules, Node's own subsystems, Plinth's tree, or V8's
 * pseudo-frames (garbage collector, idle, program).
 */
function category(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) {
    const m = /^node:(?:internal\/)?([^/]+)/.exec(url)?.[1] ?? url;
    return `node:${m.replace(/\.js$/, '')}`;
  }
  const src = /\/(src|sandbox|bench|test)\/(?:modules\/)?([^/]+)/.exec(url);
  return src ? `plinth ${src[1]}/${src[2]}` : url;
}

/**
 * Runs `fn` under V8's sampling profiler (`intervalMicros` apart), writes the `.cpuprofile` (Chrome DevTools
 * opens it) and prints the self time by package or Node subsystem, largest first.
 */
export async function profiled<T>(path: string, fn: () => Promise<T>, intervalMicros = 200): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalMicros });
  await session.post('Profiler.start');
  const result = await fn();
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
  session.disconnect();
  writeFileSync(path, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const micros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const c = category(n.callFrame.url, n.callFrame.functionName);
    const dt = profile.timeDeltas[i] ?? 0;
    micros.set(c, (micros.get(c) ?? 0) + dt);
    total += dt;
  });
  const lines = [...micros]
    .sort((a, b) => b[1] - a[1])
    .filter(([, us]) => us / total >= 0.005)
    .map(([c, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${c}`);
  console.log(`CPU profile (${(total / 1000).toFixed(0)} ms sampled) written to ${path}; self time:`);
  console.log(lines.join('\n'));
  return result;
}
