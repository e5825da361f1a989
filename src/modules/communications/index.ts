// The communications module's public surface: the outbox (messages), templates, contact preferences, the pre-send
// hook for compliance rules, and the email, sms and letter capabilities.

export type { OutgoingMessage, PreSendDecision, PreSendHook } from './dispatch/hooks.js';
export { DISPATCH_BATCH, DISPATCH_CONCURRENCY, DISPATCH_QUEUE } from './dispatch/worker.js';
export type {
  DeliveryEvent,
  EmailDefinition,
  EmailMessage,
  EmailProvider,
  InboundWebhook,
  LetterDefinition,
  LetterMessage,
  LetterProvider,
  SmsDefinition,
  SmsMessage,
  SmsProvider,
} from './domain/channels.js';
export { renderLetterPdf } from './domain/letter-pdf.js';
export { BUILT_IN_TEMPLATES } from './domain/templates/built-in/index.js';
export { TEMPLATE_KEYS, type TemplateKey } from './domain/templates/definition.js';
export { messageJson } from './messages/routes.js';
export type { Message, MessageService, NewMessage } from './messages/service.js';
export { type Communications, communicationsModule } from './module.js';
export { EMAIL_PROVIDERS, LETTER_PROVIDERS, SMS_PROVIDERS } from './registry.js';
