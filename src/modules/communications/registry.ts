import { Registry } from '../../providers/index.js';
import type { EmailDefinition, LetterDefinition, SmsDefinition } from './domain/channels.js';
import { lobLetterProvider } from './providers/lob/index.js';
import { sendGridEmailProvider } from './providers/sendgrid/index.js';
import { smtpEmailProvider } from './providers/smtp/index.js';
import { twilioSmsProvider } from './providers/twilio/index.js';

declare module '../../providers/index.js' {
  interface Capabilities {
    email: EmailDefinition;
    sms: SmsDefinition;
    letter: LetterDefinition;
  }
}

export const EMAIL_PROVIDERS: readonly EmailDefinition[] = [
  sendGridEmailProvider as EmailDefinition,
  smtpEmailProvider as EmailDefinition,
];
export const SMS_PROVIDERS: readonly SmsDefinition[] = [twilioSmsProvider as SmsDefinition];
export const LETTER_PROVIDERS: readonly LetterDefinition[] = [lobLetterProvider as LetterDefinition];

/** The e-mail, SMS and letter providers Plinth ships. */
export const communicationsRegistries = (): Registry[] => [
  new Registry<EmailDefinition>('email').registerAll(EMAIL_PROVIDERS),
  new Registry<SmsDefinition>('sms').registerAll(SMS_PROVIDERS),
  new Registry<LetterDefinition>('letter').registerAll(LETTER_PROVIDERS),
];
