import { z } from 'zod';
import { instant } from '../../kernel/responses.js';
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, OWNER_TYPES } from './domain/policy.js';

/** The response schemas of the documents routes (see kernel/responses.ts). */

export const documentOut = z.object({
  id: z.string(),
  owner_type: z.enum(OWNER_TYPES),
  owner_id: z.string().nullable(),
  kind: z.enum(DOCUMENT_KINDS),
  filename: z.string().nullable(),
  content_type: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  provider_config_id: z.string(),
  provider_key: z.string(),
  upload_expires_at: instant.nullable(),
  created_at: instant,
  stored_at: instant.nullable(),
  deleted_at: instant.nullable(),
});

/** A presigned request: send `method` to `url` with exactly these `headers` before `expires_at`. */
export const presignedOut = z.object({
  method: z.enum(['PUT', 'GET']),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  expires_at: instant,
});

export const policyOut = z.object({
  max_bytes: z.number().int(),
  allowed_content_types: z.array(z.string()).readonly(),
});
