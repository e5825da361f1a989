import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';

const run = promisify(execFile);

// `plinth report KEY`: runs a report for a tenant with progress, stores it and copies it to --out.
describe('plinth report', () => {
  it('runs a report to a file, and names a bad parameter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-report-'));
    // An embedded database persisted in the directory, shared by the two commands.
    const { DATABASE_URL: _, ...inherited } = process.env;
    const env = { ...inherited, PLINTH_DATA_DIR: dir, LOG_LEVEL: 'warn' };
    const created = await run(process.execPath, [...CLI, 'tenant', 'create', '--name', 'Report Co'], { env });
    const tenant = /([0-9a-f-]{36})/.exec(created.stdout)![1]!;
    const out = join(dir, 'tape.csv');
    const ok = await run(
      process.execPath,
      [...CLI, 'report', 'loan_tape', '--tenant', tenant, '--out', out],
      {
        env,
      },
    );
    expect(ok.stderr).toMatch(/loan_tape: succeeded, 0 rows/);
    expect(ok.stdout).toContain(`stored: ${out}`);
    expect(readFileSync(out, 'utf8')).toMatch(/^Loan,External ref,Program/);

    const bad = await run(
      process.execPath,
      [
        ...CLI,
        'report',
        'payments_received',
        '--tenant',
        tenant,
        '--params',
        '{"from":"2024-02-01","to":"2024-01-01"}',
      ],
      { env },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toContain('params.to: must not be before from');
  }, 120_000);
});
