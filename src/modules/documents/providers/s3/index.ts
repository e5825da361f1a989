import { z } from 'zod';
import type { StorageDefinition } from '../../domain/storage.js';
import { S3Storage } from './client.js';

export const s3ConfigSchema = z.strictObject({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$|^[a-z0-9-]{2,32}$/, 'must be a region such as us-east-1'),
  access_key_id: z.string().min(3).max(128),
  secret_access_key: z.string().min(8).max(256),
  session_token: z.string().min(8).max(4096).optional(),
  /** Any S3-compatible store (MinIO, Cloudflare R2, Backblaze B2...); default AWS. */
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible stores need. */
  force_path_style: z.boolean().default(false),
  /** A folder in the bucket for this config's objects. */
  prefix: z
    .string()
    .regex(
      /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/?$/,
      'must be a key prefix such as plinth/documents',
    )
    .optional(),
  timeout_ms: z.number().int().min(100).max(60_000).default(10_000),
});
export type S3Config = z.infer<typeof s3ConfigSchema>;

/** Amazon S3 or any S3-compatible store, through the AWS SDK v3 with presigned PUT and GET. */
export const s3StorageProvider: StorageDefinition<S3Config> = {
  serviceType: 'document_storage',
  key: 's3',
  displayName: 'Amazon S3 (or S3-compatible)',
  metadata: {
    documentation: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html',
    requiredSettings: ['bucket', 'region', 'access_key_id', 'secret_access_key'],
    testedWith: 'test/support/s3-server.ts',
    category: 'object_storage',
    authType: 'api_key',
    capabilities: ['presigned_upload', 'presigned_download', 'put', 'get', 'delete'],
  },
  configSchema: s3ConfigSchema,
  secretFields: ['secret_access_key', 'session_token'],
  // AWS itself needs no endpoint; any other store (MinIO, R2...) is one the operator lists.
  endpoints: { endpoint: ['s3.amazonaws.com'] },
  create: (config, deps) =>
    new S3Storage({
      bucket: config.bucket,
      region: config.region,
      accessKeyId: config.access_key_id,
      secretAccessKey: config.secret_access_key,
      sessionToken: config.session_token,
      endpoint: config.endpoint,
      forcePathStyle: config.force_path_style,
      prefix: config.prefix,
      timeoutMs: config.timeout_ms,
      now: deps.now,
    }),
};
