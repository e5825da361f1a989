/**
 * OFX parse benchmark: `npx tsx bench/ofx/parse.ts [--transactions 200000] [--runs 5] [--peer-transactions 6000]`.
 *
 * 1. Writes a large four-account OFX file as SGML 1.02 (Windows-1252) and as XML 2.2 (UTF-8) into a temp dir.
 * 2. Parses each with Plinth's parser and with a naive regex baseline in this process: median transactions/s.
 * 3. Measures memory in a fresh child process per file: RSS before and at peak, and the heap the result retains.
 * 4. Compares with Python's ofxparse on smaller files of the same shape (it slows down superlinearly with size).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type WriteOptions, writeOfx } from '../../sandbox/bank-files/write-ofx.js';
import { parseOfx } from '../../src/modules/aggregation/domain/ofx/index.js';
import { regexParse } from './lib/baseline.js';
import { generateDocument } from './lib/generate.js';
import { median, PYTHON, runOfxparse } from './lib/peer.js';

interface Variant {
  label: string;
  path: string;
  encoding: string;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const rate = (n: number) => Math.round(n).toLocaleString('en-US');

function countTransactions(bytes: Uint8Array): number {
  const result = parseOfx(bytes);
  if (!result.ok) throw new Error(`parse failed: ${result.error.message}`);
  return result.value.statements.reduce((n, s) => n + s.transactions.length, 0);
}

/** Median seconds of `runs` timed calls after one warm-up call. */
function time(runs: number, fn: () => unknown): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    samples.push((performance.now() - started) / 1000);
  }
  return median(samples);
}

function writeVariants(dir: string, prefix: string, transactions: number, peer: boolean): Variant[] {
  const doc = generateDocument(transactions);
  const variants: [string, string, WriteOptions, BufferEncoding, string][] = [
    ['SGML 1.02, CHARSET:1252', 'sgml', { dialect: 'sgml' }, 'latin1', 'windows-1252'],
    // ofxparse 0.21 reads XML files as ASCII, so its XML file spells é as &#201; (the same text once decoded).
    ['XML 2.2, UTF-8', 'xml', { dialect: 'xml', asciiOnly: peer }, 'utf8', 'utf-8'],
  ];
  return variants.map(([label, name, options, bytes, encoding]) => {
    const path = join(dir, `${prefix}-${name}.ofx`);
    writeFileSync(path, Buffer.from(writeOfx(doc, options), bytes));
    return { label, path, encoding };
  });
}

/** Runs in a child process so the peak reflects one parse, not the generation that preceded it. */
function measureMemoryChild(path: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const bytes = readFileSync(path);
  gc();
  const before = process.memoryUsage();
  const result = parseOfx(bytes);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  gc();
  const after = process.memoryUsage();
  const count = result.ok ? result.value.statements.reduce((n, s) => n + s.transactions.length, 0) : -1;
  process.stdout.write(
    JSON.stringify({ rssBefore: before.rss, peakRss, retainedHeap: after.heapUsed - before.heapUsed, count }),
  );
}

function measureMemory(path: string): string {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', self, '--memory', path], {
    encoding: 'utf8',
  });
  if (child.status !== 0) return `memory measurement failed: ${child.stderr.trim().split('\n').pop()}`;
  const m = JSON.parse(child.stdout) as {
    rssBefore: number;
    peakRss: number;
    retainedHeap: number;
    count: number;
  };
  return `peak RSS ${mb(m.peakRss)} (${mb(m.rssBefore)} before parsing, file loaded); result retains ${mb(m.retainedHeap)} of heap`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      transactions: { type: 'string', default: '200000' },
      runs: { type: 'string', default: '5' },
      'peer-transactions': { type: 'string', default: '6000' },
      'peer-runs': { type: 'string', default: '3' },
      memory: { type: 'string' },
    },
  });
  if (values.memory) {
    measureMemoryChild(values.memory);
    return;
  }
  const total = Number(values.transactions);
  const runs = Number(values.runs);
  const peerTotal = Math.min(total, Number(values['peer-transactions']));
  const peerRuns = Number(values['peer-runs']);
  const dir = mkdtempSync(join(tmpdir(), 'plinth-ofx-bench-'));
  try {
    console.log(
      `OFX parse benchmark: ${rate(total)} transactions in 4 accounts (checking, savings, card, money market)`,
    );
    console.log(`Node ${process.version}; median of ${runs} runs after a warm-up; files in ${dir}\n`);
    for (const v of writeVariants(dir, 'large', total, false)) {
      const bytes = readFileSync(v.path);
      const count = countTransactions(bytes);
      if (count !== total) throw new Error(`${v.label}: parsed ${count} transactions, expected ${total}`);
      const baselineCount = regexParse(bytes, v.encoding).length;
      if (baselineCount !== total)
        throw new Error(`${v.label}: baseline found ${baselineCount}, expected ${total}`);
      const ours = time(runs, () => parseOfx(bytes));
      const naive = time(runs, () => regexParse(bytes, v.encoding));
      console.log(`${v.label}: ${mb(statSync(v.path).size)}`);
      console.log(
        `  Plinth parser       ${rate(total / ours).padStart(12)} tx/s  (${(ours * 1000).toFixed(0)} ms)`,
      );
      console.log(
        `  regex baseline      ${rate(total / naive).padStart(12)} tx/s  (${(naive * 1000).toFixed(0)} ms)`,
      );
      console.log(`  ratio Plinth/baseline: ${(naive / ours).toFixed(2)}x`);
      console.log(`  memory: ${measureMemory(v.path)}\n`);
    }

    console.log(
      `Peer: Python ofxparse via ${PYTHON}, on ${rate(peerTotal)}-transaction files of the same shape`,
    );
    console.log(
      '(ofxparse slows down superlinearly with file size, so the ratio on the large file would be larger still)',
    );
    for (const v of writeVariants(dir, 'peer', peerTotal, true)) {
      const bytes = readFileSync(v.path);
      const ours = time(runs, () => parseOfx(bytes));
      const peer = runOfxparse(v.path, peerRuns);
      if (peer.kind === 'missing') {
        console.log(`  python3-ofxparse is not installed (${peer.reason}): skipping the peer comparison.`);
        console.log('  Install it with: apt-get update && apt-get install -y python3-ofxparse');
        break;
      }
      if (peer.kind === 'failed') {
        console.log(`  ${v.label}: ofxparse failed (${peer.reason}); no comparison for this variant`);
        continue;
      }
      if (peer.transactions !== peerTotal) {
        console.log(
          `  ${v.label}: ofxparse read ${peer.transactions} of ${peerTotal} transactions; no comparison`,
        );
        continue;
      }
      console.log(`  ${v.label}: ${mb(statSync(v.path).size)}, ${peer.accounts} accounts`);
      console.log(`    Plinth parser     ${rate(peerTotal / ours).padStart(12)} tx/s`);
      console.log(
        `    ofxparse ${peer.version.padEnd(8)} ${rate(peerTotal / peer.seconds).padStart(12)} tx/s  (median of ${peerRuns})`,
      );
      console.log(`    ratio Plinth/ofxparse: ${(peer.seconds / ours).toFixed(0)}x`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
