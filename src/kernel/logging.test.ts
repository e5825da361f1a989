import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger, lazyChild, redactQuery } from './logging.js';

function captured(level: string) {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger(level, out), lines };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('lazyChild', () => {
  it('makes no child while nothing is logged at an enabled level', async () => {
    const { logger, lines } = captured('warn');
    const child = vi.spyOn(logger, 'child');
    const lazy = lazyChild(logger, { reqId: 'r1' }, {});
    lazy.info('incoming request');
    lazy.debug({ x: 1 }, 'detail');
    await flush();
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('logs with its bindings, once made, and still redacts', async () => {
    const { logger, lines } = captured('info');
    const child = vi.spyOn(logger, 'child');
    const lazy = lazyChild(logger, { reqId: 'r2' }, {});
    lazy.info({ headers: { authorization: 'Bearer secret-token' } }, 'first');
    lazy.warn('second');
    await flush();
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => [l.reqId, l.msg])).toEqual([
      ['r2', 'first'],
      ['r2', 'second'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-token');
    expect(lazy.bindings()).toEqual({ reqId: 'r2' });
    lazy.child({ part: 'x' }).error('third');
    await flush();
    expect(lines[2]).toMatchObject({ reqId: 'r2', part: 'x', msg: 'third' });
  });

  it('keeps each child to its own bindings, with the methods shared', async () => {
    const { logger, lines } = captured('info');
    const first = lazyChild(logger, { reqId: 'a' }, {});
    const second = lazyChild(logger, { reqId: 'b' }, {});
    second.info('to b');
    first.info('to a');
    second.info('to b again');
    await flush();
    expect(lines.map((l) => [l.reqId, l.msg])).toEqual([
      ['b', 'to b'],
      ['a', 'to a'],
      ['b', 'to b again'],
    ]);
    expect(first.info).toBe(second.info);
  });

  it('follows a level given for the child', async () => {
    const { logger, lines } = captured('info');
    const lazy = lazyChild(logger, { reqId: 'r3' }, { level: 'error' });
    lazy.warn('dropped');
    lazy.error('kept');
    await flush();
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });
});

describe('redactQuery', () => {
  it('keeps the path and parameter names, never a value or a name that may be a secret', () => {
    expect(redactQuery('/v1/customers')).toBe('/v1/customers');
    expect(redactQuery('/v1/oauth/schwab/callback?code=abc&state=xyz&session=1')).toBe(
      '/v1/oauth/schwab/callback?code=[redacted]&state=[redacted]&session=[redacted]',
    );
    expect(redactQuery('/v1/x?api_key=sk_live_1&flag&=v&')).toBe(
      '/v1/x?api_key=[redacted]&flag=[redacted]&[redacted]&[redacted]',
    );
    expect(redactQuery(`/v1/x?${'k'.repeat(65)}=1&a%20b=2`)).toBe('/v1/x?[redacted]&[redacted]');
  });

  it('is what the request log shows', async () => {
    const { logger, lines } = captured('info');
    logger.info({ req: { method: 'GET', url: '/a?code=secret', ip: '10.0.0.1', host: 'h' } }, 'incoming');
    await flush();
    expect(lines[0]?.req).toEqual({
      method: 'GET',
      url: '/a?code=[redacted]',
      host: 'h',
      remoteAddress: '10.0.0.1',
    });
  });
});
