import type { ComplianceGate } from '../compliance/index.js';
import type { Documents } from '../documents/index.js';
import type { Lending } from '../lending/index.js';
import type { ModuleDefinition } from '../platform.js';
import type { CustomerService } from '../tenancy/index.js';
import { compliancePreSend } from './dispatch/compliance.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import type { PreSendHook } from './dispatch/hooks.js';
import { DISPATCH_QUEUE, dispatchWorker } from './dispatch/worker.js';
import { EventNotifier } from './events/notifier.js';
import { messageRoutes } from './messages/routes.js';
import { MessageService } from './messages/service.js';
import { preferenceRoutes } from './preferences/routes.js';
import { PreferenceService } from './preferences/service.js';
import { communicationsRegistries } from './registry.js';
import { settingsRoutes } from './settings/routes.js';
import { CommunicationSettingsService } from './settings/service.js';
import { templateRoutes } from './templates/routes.js';
import { TemplateService } from './templates/service.js';
import { webhookRoutes } from './webhooks/routes.js';
import { WebhookService } from './webhooks/service.js';

export interface Communications {
  messages: MessageService;
  templates: TemplateService;
  preferences: PreferenceService;
  settings: CommunicationSettingsService;
  webhooks: WebhookService;
  dispatcher: Dispatcher;
  /** Registers a rule run before each send (the compliance module's contact hours and frequency caps). */
  addPreSendHook(hook: PreSendHook): void;
}

export const communicationsModule: ModuleDefinition<
  Communications,
  {
    customers: CustomerService;
    lending: Lending;
    documents: Documents;
    /** Compliance's message_send rules, asked before each send (absent: messages are not gated). */
    gate?: ComplianceGate;
  }
> = {
  name: 'communications',
  registries: communicationsRegistries,
  create(
    { config, db, resolver, audit, jobs, logger, now, events },
    { customers, lending, documents, gate },
  ) {
    const settings = new CommunicationSettingsService({ db, audit });
    const templates = new TemplateService({ db, audit });
    const preferences = new PreferenceService({ db, audit });
    const hooks: PreSendHook[] = gate ? [compliancePreSend(gate, now)] : [];
    const dispatcher = new Dispatcher({
      db,
      resolver,
      documents: documents.documents,
      hooks,
      logger,
      now,
      publicUrl: config.publicUrl,
    });
    const messages = new MessageService({
      db,
      resolver,
      templates,
      settings,
      preferences,
      customers,
      loans: lending.loans,
      documents: documents.documents,
      now,
      // Without a job queue in this process (a CLI command), messages stay queued for the workers to resume.
      enqueue: async (tenantId) => {
        await jobs?.send(DISPATCH_QUEUE, { tenant_id: tenantId });
      },
    });
    const webhooks = new WebhookService({ db, resolver, preferences });
    // Lending's events (disbursed, paid, paid off, returned, a closed day) become messages through the outbox.
    new EventNotifier({
      db,
      messages,
      preferences,
      settings,
      customers,
      loans: lending.loans,
      notices: lending.notices,
      logger,
    }).subscribe(events);
    return {
      name: 'communications',
      services: {
        messages,
        templates,
        preferences,
        settings,
        webhooks,
        dispatcher,
        addPreSendHook: (hook) => hooks.push(hook),
      },
      async routes(app) {
        await app.register(settingsRoutes, {
          settings,
          programExists: async (scope, id) => (await lending.programs.get(scope, id)).ok,
        });
        await app.register(templateRoutes, { templates });
        await app.register(preferenceRoutes, { preferences, customers });
        await app.register(messageRoutes, { messages });
        await app.register(webhookRoutes, { webhooks, publicUrl: config.publicUrl, now });
      },
      workers: jobs ? [dispatchWorker({ db, jobs, dispatcher, logger, now })] : [],
    };
  },
};
