import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3TestServer, startS3Server } from './s3-server.js';

// The AWS SDK v3 against the test S3 server, as the S3 document store will use it: path-style addressing,
// presigned PUT and GET used with plain fetch, expiry, and the refusals a real store gives.

let s3: S3TestServer;
let client: S3Client;
// Presigning needs checksums off: with the SDK's default (WHEN_SUPPORTED) a presigned PutObject carries the
// CRC32 of an empty body, and S3 refuses any real upload to it (see the BadDigest test below).
let presigner: S3Client;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['documents'] });
  client = new S3Client(s3.clientConfig);
  presigner = new S3Client({ ...s3.clientConfig, requestChecksumCalculation: 'WHEN_REQUIRED' });
});
afterAll(async () => {
  client.destroy();
  presigner.destroy();
  await s3.stop();
});

const agreement = Buffer.from('%PDF-1.7\nSigned loan agreement\n%%EOF\n');

async function s3Error(p: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  if (!(e instanceof S3ServiceException)) throw e;
  return { name: e.name, status: e.$metadata.httpStatusCode };
}

describe('test S3 server through @aws-sdk/client-s3', () => {
  it('creates a bucket, puts, heads, gets, lists and deletes, path-style', async () => {
    await client.send(new CreateBucketCommand({ Bucket: 'loans' }));
    await client.send(
      new PutObjectCommand({
        Bucket: 'loans',
        Key: 'tenant-1/loan 7/agreement.pdf',
        Body: agreement,
        ContentType: 'application/pdf',
        Metadata: { sha256: 'abc' },
      }),
    );
    const head = await client.send(
      new HeadObjectCommand({ Bucket: 'loans', Key: 'tenant-1/loan 7/agreement.pdf' }),
    );
    expect(head).toMatchObject({
      ContentLength: agreement.length,
      ContentType: 'application/pdf',
      Metadata: { sha256: 'abc' },
    });
    const got = await client.send(
      new GetObjectCommand({ Bucket: 'loans', Key: 'tenant-1/loan 7/agreement.pdf' }),
    );
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(agreement)).toBe(true);
    const list = await client.send(new ListObjectsV2Command({ Bucket: 'loans', Prefix: 'tenant-1/' }));
    expect(list.Contents?.map((o) => o.Key)).toEqual(['tenant-1/loan 7/agreement.pdf']);
    await client.send(new DeleteObjectCommand({ Bucket: 'loans', Key: 'tenant-1/loan 7/agreement.pdf' }));
    expect(
      await s3Error(
        client.send(new GetObjectCommand({ Bucket: 'loans', Key: 'tenant-1/loan 7/agreement.pdf' })),
      ),
    ).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect(s3.requests.filter((r) => r.method === 'PUT').map((r) => r.url.split('?')[0])).toContain(
      '/loans/tenant-1/loan%207/agreement.pdf',
    );
  });

  it('stores a streamed upload intact (aws-chunked with a trailing CRC32)', async () => {
    const parts = [Buffer.from('statement line 1\n'), Buffer.from('statement line 2\n')];
    await client.send(
      new PutObjectCommand({
        Bucket: 'documents',
        Key: 'stream.txt',
        Body: Readable.from(parts),
        ContentLength: 34,
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: 'documents', Key: 'stream.txt' }));
    expect(await got.Body!.transformToString()).toBe('statement line 1\nstatement line 2\n');
  });

  it('refuses a wrong secret, an unknown key and a wrong region', async () => {
    const wrong = (o: Partial<{ secretAccessKey: string; accessKeyId: string; region: string }>) =>
      new S3Client({
        ...s3.clientConfig,
        region: o.region ?? s3.region,
        credentials: {
          accessKeyId: o.accessKeyId ?? s3.accessKeyId,
          secretAccessKey: o.secretAccessKey ?? s3.secretAccessKey,
        },
      }).send(new HeadObjectCommand({ Bucket: 'documents', Key: 'stream.txt' }));
    expect(await s3Error(wrong({ secretAccessKey: 'nope' }))).toMatchObject({ status: 403 });
    expect(s3.requests.at(-1)!.code).toBe('SignatureDoesNotMatch');
    expect(await s3Error(wrong({ accessKeyId: 'AKIAOTHER' }))).toMatchObject({ status: 403 });
    expect(s3.requests.at(-1)!.code).toBe('InvalidAccessKeyId');
    expect(await s3Error(wrong({ region: 'eu-west-1' }))).toMatchObject({ status: 400 });
    expect(s3.requests.at(-1)!.code).toBe('AuthorizationHeaderMalformed');
    const anonymous = await fetch(`${s3.endpoint}/documents/stream.txt`);
    expect(anonymous.status).toBe(403);
  });
});

describe('test S3 server with presigned URLs', () => {
  it('takes an upload on a presigned PUT and serves it on a presigned GET', async () => {
    const put = await getSignedUrl(
      presigner,
      new PutObjectCommand({
        Bucket: 'documents',
        Key: 'uploads/id-card.pdf',
        ContentType: 'application/pdf',
      }),
      { expiresIn: 300 },
    );
    expect(put.startsWith(`${s3.endpoint}/documents/uploads/id-card.pdf?`)).toBe(true);
    const up = await fetch(put, {
      method: 'PUT',
      body: agreement,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(up.status).toBe(200);
    const get = await getSignedUrl(
      presigner,
      new GetObjectCommand({ Bucket: 'documents', Key: 'uploads/id-card.pdf' }),
      {
        expiresIn: 300,
      },
    );
    const down = await fetch(get);
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await down.arrayBuffer()).equals(agreement)).toBe(true);
  });

  it('refuses an upload whose content type differs from the signed one, and a tampered URL', async () => {
    // The presigner signs only `host` unless told otherwise; signing content-type binds the upload's type.
    const put = await getSignedUrl(
      presigner,
      new PutObjectCommand({ Bucket: 'documents', Key: 'uploads/x.pdf', ContentType: 'application/pdf' }),
      { expiresIn: 300, signableHeaders: new Set(['content-type']) },
    );
    expect(put).toContain('X-Amz-SignedHeaders=content-type%3Bhost');
    const asText = await fetch(put, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(asText.status).toBe(403);
    expect(await asText.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const otherKey = put.replace('/uploads/x.pdf?', '/uploads/y.pdf?');
    expect(
      (await fetch(otherKey, { method: 'PUT', body: 'x', headers: { 'content-type': 'application/pdf' } }))
        .status,
    ).toBe(403);
    const longer = put.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000');
    expect(
      (await fetch(longer, { method: 'PUT', body: 'x', headers: { 'content-type': 'application/pdf' } }))
        .status,
    ).toBe(403);
  });

  it('refuses a presigned GET once it has expired', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'documents', Key: 'short.txt', Body: 'brief' }));
    const get = await getSignedUrl(
      presigner,
      new GetObjectCommand({ Bucket: 'documents', Key: 'short.txt' }),
      // Signatures count whole seconds: one second of life can end at once on a busy machine.
      { expiresIn: 3 },
    );
    expect((await fetch(get)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 4100));
    const late = await fetch(get);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('<Message>Request has expired</Message>');
  });

  it('refuses, as S3 does, an upload to a URL presigned with the SDK’s default checksum setting', async () => {
    const put = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: 'documents', Key: 'uploads/crc.pdf' }),
      {
        expiresIn: 300,
      },
    );
    expect(put).toContain('x-amz-checksum-crc32=AAAAAA%3D%3D');
    const up = await fetch(put, { method: 'PUT', body: agreement });
    expect(up.status).toBe(400);
    expect(await up.text()).toContain('<Code>BadDigest</Code>');
  });
});
