import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../../kernel/errors.js';
import { type EndpointPolicy, endpointIssues, relayRefusal } from '../../../../providers/index.js';
import { SmtpEmail } from './client.js';
import { smtpEmailProvider } from './index.js';

// The SMTP provider's `host` is held to the endpoint policy like HTTP base URLs: any public relay (there is no
// vendor host), a non-public one only when the operator lists smtp://host:port, never in production.
const policy = (over: Partial<EndpointPolicy> = {}): EndpointPolicy => ({
  production: false,
  allowed: [],
  publicOrigin: 'https://plinth.example',
  ...over,
});
const local = { protocol: 'smtp:' as const, hostname: '127.0.0.1', port: undefined };

describe('SMTP relay hosts', () => {
  it('accepts public relays, by name or address', () => {
    for (const host of ['smtp.sendgrid.net', 'mail.example.com.', '8.8.8.8', '[2001:4860:4860::8888]'])
      expect(relayRefusal(host, 587, policy()), host).toBeUndefined();
  });

  it('refuses what is not a host: a URL, credentials, a path', () => {
    for (const host of ['smtp://mail.example.com', 'user@mail.example.com', 'mail.example.com/x', 'a b'])
      expect(relayRefusal(host, 587, policy())).toBe('must be a host name or an IP address');
  });

  it('refuses non-public addresses unless the operator lists them (host and port), and always in production', () => {
    for (const host of ['127.0.0.1', 'localhost', '10.0.0.5', '169.254.169.254', '[::1]'])
      expect(relayRefusal(host, 25, policy())).toMatch(
        /is not a public address; .*PLINTH_PROVIDER_ENDPOINTS/,
      );
    expect(relayRefusal('127.0.0.1', 2525, policy({ allowed: [local] }))).toBeUndefined();
    const onePort = { ...local, port: '2525' };
    expect(relayRefusal('127.0.0.1', 2525, policy({ allowed: [onePort] }))).toBeUndefined();
    expect(relayRefusal('127.0.0.1', 25, policy({ allowed: [onePort] }))).toMatch(/not a public address/);
    // An http origin on the same host does not allow a relay there.
    const http = { ...local, protocol: 'http:' as const };
    expect(relayRefusal('127.0.0.1', 25, policy({ allowed: [http] }))).toMatch(/not a public address/);
    expect(relayRefusal('127.0.0.1', 25, policy({ production: true, allowed: [local] }))).toBe(
      '127.0.0.1 is not a public address',
    );
  });

  it('is how the framework checks the SMTP provider’s config: config.host, with the config’s port', () => {
    const config = { host: '10.1.2.3', port: 2525, from_email: 'a@example.com' };
    expect(endpointIssues(smtpEmailProvider, config, policy())).toEqual([
      { path: 'config.host', message: expect.stringContaining('smtp://10.1.2.3:2525') },
    ]);
    expect(endpointIssues(smtpEmailProvider, { ...config, host: 'smtp.example.com' }, policy())).toEqual([]);
  });
});

describe('the SMTP client in production', () => {
  it('connects only to a public address: a relay resolving to loopback is a configuration error, nothing sent', async () => {
    const client = new SmtpEmail({
      host: 'localhost',
      port: 2525,
      secure: false,
      requireTls: false,
      from: { address: 'loans@plinth.example' },
      rejectUnauthorized: true,
      timeoutMs: 1000,
      publicAddressesOnly: true,
    });
    const sent = client.sendEmail({
      messageId: 'm-1',
      to: { email: 'ada@example.com' },
      subject: 's',
      text: 't',
      html: '<p>t</p>',
    });
    await expect(sent).rejects.toBeInstanceOf(ProviderError);
    await expect(sent).rejects.toMatchObject({
      kind: 'configuration',
      message: expect.stringMatching(/not a public address/),
    });
  });
});
