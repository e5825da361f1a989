import { z } from 'zod';

/**
 * Recipients as the API takes them and the outbox stores them. E-mail addresses are checked by zod's pattern
 * (the WHATWG one browsers use); phone numbers must be E.164 (`+` then 8 to 15 digits, no leading zero), which
 * Twilio requires and which leaves no guessing about the country.
 */
export const E164 = /^\+[1-9]\d{7,14}$/;

export const emailRecipient = z.strictObject({
  email: z.email('must be an e-mail address'),
  name: z.string().trim().min(1).max(200).nullish(),
});
export const smsRecipient = z.strictObject({
  phone: z.string().regex(E164, 'must be an E.164 phone number such as +15125550100'),
});
export const postalAddress = z.strictObject({
  lines: z.array(z.string().trim().min(1).max(64)).min(1).max(2),
  city: z.string().trim().min(1).max(200),
  state: z.string().trim().min(1).max(200).nullable(),
  postal_code: z.string().trim().min(1).max(40).nullable(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
});
export const letterRecipient = z.strictObject({
  name: z.string().trim().min(1).max(40),
  address: postalAddress,
});

export type EmailRecipient = z.infer<typeof emailRecipient>;
export type SmsRecipient = z.infer<typeof smsRecipient>;
export type LetterRecipient = z.infer<typeof letterRecipient>;
export type Recipient = EmailRecipient | SmsRecipient | LetterRecipient;
