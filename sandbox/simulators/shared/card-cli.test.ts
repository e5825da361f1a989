import { describe, expect, it, vi } from 'vitest';
import { runCardCli } from './card-cli.js';

describe('card simulator CLI', () => {
  it.each(['stripe', 'lithic', 'generic'] as const)(
    'runs every %s scenario against a local Plinth',
    { timeout: 60_000 },
    async (p) => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        expect(await runCardCli(p, ['--self', '--scenario', 'authorize,lifecycle,negative'])).toBe(0);
        expect(log.mock.calls.flat().join('\n')).not.toContain('FAIL');
      } finally {
        log.mockRestore();
      }
    },
  );

  it('prints usage without a target', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await runCardCli('generic', [])).toBe(2);
    log.mockRestore();
  });
});
