import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server on a loopback port for one test file (smtp-server), with AUTH, STARTTLS or implicit TLS on a
 * self-signed localhost certificate the client can trust (`ca`), and every accepted message kept raw and parsed
 * with mailparser so tests can check the MIME that arrived: both bodies, attachments, headers, envelope.
 * Refusals are injectable the way real servers answer: a recipient refused (550), a message deferred (451),
 * a message over the size limit (552), bad credentials (535).
 */

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The authenticated user, when the client logged in. */
  user: string | undefined;
  /** The connection was TLS (implicit or after STARTTLS). */
  secure: boolean;
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpTestServer {
  host: string;
  port: number;
  /** Implicit TLS (`smtps`); otherwise plain with STARTTLS offered (unless `starttls: false`). */
  secure: boolean;
  user: string;
  pass: string;
  /** `smtp://user:pass@127.0.0.1:port` (or `smtps://`), as nodemailer takes it. */
  url: string;
  /** The server's certificate (PEM): give it to the client as `tls.ca` to verify the connection. */
  ca: string;
  messages: ReceivedMail[];
  /** Resolves once `count` messages have arrived (rejects after `timeoutMs`). */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** RCPT TO this address is refused (default `550 5.1.1 User unknown`). */
  failRecipient(address: string, code?: number, message?: string): void;
  /** The next `times` messages are refused after DATA (default `451 4.3.0 Temporary failure`). */
  failNextMessage(opts?: { code?: number; message?: string; times?: number }): void;
  stop(): Promise<void>;
}

export interface SmtpTestServerOptions {
  secure?: boolean;
  /** Offer STARTTLS on a plain server (default true). */
  starttls?: boolean;
  /** Require AUTH (default true). */
  auth?: boolean;
  user?: string;
  pass?: string;
  /** Largest message accepted, in bytes (advertised in EHLO SIZE; larger gets 552). */
  maxSize?: number;
}

const fixture = (name: string) => readFileSync(new URL(`../fixtures/smtp/${name}`, import.meta.url), 'utf8');

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

export async function startSmtpServer(opts: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const user = opts.user ?? 'plinth';
  const pass = opts.pass ?? randomBytes(12).toString('hex');
  const requireAuth = opts.auth ?? true;
  const cert = fixture('localhost.crt');
  const messages: ReceivedMail[] = [];
  const refusedRecipients = new Map<string, [number, string]>();
  const messageFailures: { code: number; message: string; times: number }[] = [];
  const waiters: (() => void)[] = [];

  const onData = (
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    done: (e?: Error | null) => void,
  ) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', async () => {
      if (stream.sizeExceeded)
        return done(smtpError(552, '5.3.4 Message exceeds fixed maximum message size'));
      const failure = messageFailures[0];
      if (failure) {
        if (--failure.times <= 0) messageFailures.shift();
        return done(smtpError(failure.code, failure.message));
      }
      const raw = Buffer.concat(chunks);
      messages.push({
        envelope: {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        },
        user: session.user === undefined ? undefined : String(session.user),
        secure: session.secure,
        raw,
        parsed: await simpleParser(raw),
      });
      done();
      for (const wake of waiters.splice(0)) wake();
    });
  };

  const server = new SMTPServer({
    secure: opts.secure ?? false,
    key: fixture('localhost.key'),
    cert,
    disabledCommands: opts.starttls === false && !opts.secure ? ['STARTTLS'] : [],
    authOptional: !requireAuth,
    allowInsecureAuth: true,
    size: opts.maxSize,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === pass) return cb(null, { user });
      cb(smtpError(535, '5.7.8 Authentication credentials invalid'));
    },
    onRcptTo(address, _session, cb) {
      const refused = refusedRecipients.get(address.address.toLowerCase());
      cb(refused ? smtpError(...refused) : null);
    },
    onData,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  const scheme = opts.secure ? 'smtps' : 'smtp';

  return {
    host: '127.0.0.1',
    port,
    secure: opts.secure ?? false,
    user,
    pass,
    url: `${scheme}://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    ca: cert,
    messages,
    waitForMessages: (count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${messages.length} of ${count} messages after ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve(messages.slice(0, count));
          } else waiters.push(check);
        };
        check();
      }),
    failRecipient: (address, code = 550, message = '5.1.1 User unknown') => {
      refusedRecipients.set(address.toLowerCase(), [code, message]);
    },
    failNextMessage: ({ code = 451, message = '4.3.0 Temporary failure', times = 1 } = {}) => {
      messageFailures.push({ code, message, times });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
