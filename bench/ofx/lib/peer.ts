import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The peer: Python's ofxparse (Debian package python3-ofxparse), run by the system interpreter. Only the parse is
 * timed, inside Python, on bytes already read into memory.
 */
export const PYTHON = '/usr/bin/python3';

const SCRIPT = `
import io, json, sys, time
try:
    import ofxparse
    from ofxparse import OfxParser
except ImportError as e:
    print(json.dumps({"missing": str(e)}))
    sys.exit(0)
path, runs = sys.argv[1], int(sys.argv[2])
data = open(path, "rb").read()
times = []
for _ in range(runs):
    start = time.perf_counter()
    ofx = OfxParser.parse(io.BytesIO(data))
    times.append(time.perf_counter() - start)
count = sum(len(a.statement.transactions) for a in ofx.accounts)
print(json.dumps({"version": getattr(ofxparse, "__version__", "?"), "times": times, "transactions": count, "accounts": len(ofx.accounts)}))
`;

export type PeerResult =
  | { kind: 'missing'; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'ok'; version: string; seconds: number; transactions: number; accounts: number };

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export function runOfxparse(path: string, runs: number): PeerResult {
  if (!existsSync(PYTHON)) return { kind: 'missing', reason: `${PYTHON} not found` };
  const child = spawnSync(PYTHON, ['-c', SCRIPT, path, String(runs)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) {
    return {
      kind: 'failed',
      reason: (child.stderr || child.error?.message || 'unknown error').trim().split('\n').pop()!,
    };
  }
  const out = JSON.parse(child.stdout) as
    | { missing: string }
    | { version: string; times: number[]; transactions: number; accounts: number };
  if ('missing' in out) return { kind: 'missing', reason: out.missing };
  return {
    kind: 'ok',
    version: out.version,
    seconds: median(out.times),
    transactions: out.transactions,
    accounts: out.accounts,
  };
}
