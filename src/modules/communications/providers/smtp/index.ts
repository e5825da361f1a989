import { z } from 'zod';
import type { EmailDefinition } from '../../domain/channels.js';
import { SmtpEmail } from './client.js';

export const smtpConfigSchema = z
  .strictObject({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65_535).default(587),
    /** Implicit TLS from the first byte (port 465). */
    secure: z.boolean().default(false),
    /** Refuse to send unless the server upgrades with STARTTLS (ignored when `secure`). */
    require_tls: z.boolean().default(true),
    username: z.string().min(1).max(200).optional(),
    password: z.string().min(1).max(500).optional(),
    from_email: z.email(),
    from_name: z.string().trim().min(1).max(100).optional(),
    /** PEM of a CA to trust for this server (a private relay). */
    tls_ca: z.string().includes('BEGIN CERTIFICATE', { message: 'must be a PEM certificate' }).optional(),
    tls_servername: z.string().min(1).max(253).optional(),
    tls_reject_unauthorized: z.boolean().default(true),
    timeout_ms: z.number().int().min(100).max(120_000).default(15_000),
  })
  .refine((c) => (c.username === undefined) === (c.password === undefined), {
    path: ['password'],
    message: 'username and password go together',
  });
export type SmtpConfig = z.infer<typeof smtpConfigSchema>;

export const smtpEmailProvider: EmailDefinition<SmtpConfig> = {
  serviceType: 'email',
  key: 'smtp',
  displayName: 'SMTP',
  metadata: {
    documentation: 'https://nodemailer.com/smtp/',
    requiredSettings: ['host', 'from_email'],
    testedWith: 'test/support/smtp-server.ts',
    category: 'email',
    authType: 'basic',
    capabilities: ['html', 'text', 'attachments', 'starttls', 'implicit_tls'],
  },
  configSchema: smtpConfigSchema,
  secretFields: ['password'],
  // The relay is a host, not a URL: the framework's endpoint policy checks it with the config's port.
  endpoints: { host: 'smtp_relay' },
  create: (c, deps) =>
    new SmtpEmail({
      publicAddressesOnly: deps.http?.publicAddressesOnly ?? false,
      host: c.host,
      port: c.port,
      secure: c.secure,
      requireTls: !c.secure && c.require_tls,
      auth: c.username && c.password ? { user: c.username, pass: c.password } : undefined,
      from: { address: c.from_email, ...(c.from_name && { name: c.from_name }) },
      ca: c.tls_ca,
      servername: c.tls_servername,
      rejectUnauthorized: c.tls_reject_unauthorized,
      timeoutMs: c.timeout_ms,
    }),
};
