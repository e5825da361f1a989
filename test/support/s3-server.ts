import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { checkBody, decodeAwsChunked } from './s3-body.js';
import { type S3Failure, verifySigV4 } from './sigv4.js';

/**
 * A real S3-compatible server on a loopback port for one test file: s3rver (objects on disk in a temp folder)
 * behind a front that does what s3rver leaves out and real S3 does: SigV4 signatures and presigned-URL expiry are
 * checked with this server's own credentials, `aws-chunked` uploads are unwrapped, and checksums are verified.
 * Path-style addressing only (`forcePathStyle: true`), as S3-compatible stores are usually reached.
 */

export interface S3TestServer {
  /** `http://127.0.0.1:<port>`: the client's `endpoint`. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Ready for `new S3Client(...)`: endpoint, region, credentials, `forcePathStyle: true`. */
  clientConfig: S3ClientConfig;
  /** Every request that reached the front, with the status it got. */
  requests: { method: string; url: string; status: number; code?: string }[];
  stop(): Promise<void>;
}

export interface S3TestServerOptions {
  /** Buckets that exist from the start. */
  buckets?: string[];
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

// s3rver knows one access key; the front checks the real one, then forwards under s3rver's (it checks no SigV4).
const S3RVER_KEY = 'S3RVER';

const xmlError = (f: S3Failure) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${f.code}</Code><Message>${f.message}</Message><RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`;

const readAll = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

export async function startS3Server(opts: S3TestServerOptions = {}): Promise<S3TestServer> {
  const region = opts.region ?? 'us-east-1';
  const accessKeyId = opts.accessKeyId ?? `AKIATEST${randomBytes(6).toString('hex').toUpperCase()}`;
  const secretAccessKey = opts.secretAccessKey ?? randomBytes(20).toString('base64');
  const directory = await mkdtemp(join(tmpdir(), 'plinth-s3-'));
  const backend = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: (opts.buckets ?? []).map((name) => ({ name, configs: [] })),
  });
  const { port: backendPort } = (await backend.run()) as AddressInfo;
  const requests: S3TestServer['requests'] = [];

  const refuse = (req: IncomingMessage, res: ServerResponse, f: S3Failure) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', status: f.status, code: f.code });
    res.writeHead(f.status, { 'content-type': 'application/xml' }).end(xmlError(f));
  };

  const front = createServer(async (req, res) => {
    const raw = await readAll(req);
    const url = req.url ?? '/';
    const denied = verifySigV4(
      { method: req.method ?? 'GET', url, headers: req.headers },
      { accessKeyId, secretAccessKey, region },
    );
    if (denied) return refuse(req, res, denied);
    const headers = { ...req.headers };
    const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    let body: Buffer = raw;
    let trailers: Record<string, string> = {};
    const chunked =
      String(headers['content-encoding'] ?? '').includes('aws-chunked') ||
      String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
    if (chunked) {
      const decoded = decodeAwsChunked(raw);
      if ('code' in decoded) return refuse(req, res, decoded);
      ({ body, trailers } = decoded);
      const rest = String(headers['content-encoding'] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '' && s !== 'aws-chunked');
      if (rest.length > 0) headers['content-encoding'] = rest.join(',');
      else delete headers['content-encoding'];
      delete headers['x-amz-decoded-content-length'];
      delete headers['x-amz-trailer'];
      headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    }
    const bad = checkBody(body, headers, query, trailers);
    if (bad) return refuse(req, res, bad);
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.length);
    if (headers.authorization)
      headers.authorization = headers.authorization.replace(
        `Credential=${accessKeyId}/`,
        `Credential=${S3RVER_KEY}/`,
      );
    const forwardUrl = url.replace(
      `X-Amz-Credential=${encodeURIComponent(accessKeyId)}`,
      `X-Amz-Credential=${S3RVER_KEY}`,
    );
    const upstream = request(
      { host: '127.0.0.1', port: backendPort, method: req.method, path: forwardUrl, headers },
      (answer) => {
        requests.push({ method: req.method ?? '', url, status: answer.statusCode ?? 0 });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) => refuse(req, res, { status: 502, code: 'InternalError', message: String(e) }));
    upstream.end(body);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  return {
    endpoint,
    region,
    accessKeyId,
    secretAccessKey,
    clientConfig: { endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } },
    requests,
    stop: async () => {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await backend.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
