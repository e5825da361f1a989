import type { LoanCompliance, LoanPayments, ProgramService } from '../lending/index.js';
import type { ModuleDefinition, Worker } from '../platform.js';
import type { CustomerService } from '../tenancy/index.js';
import { AUTOPAY_QUEUE, type AutopayJob, AutopayService } from './autopay/service.js';
import { collectionRoutes } from './collections/routes.js';
import { CollectionService } from './collections/service.js';
import { paymentMethodRoutes } from './payment-methods/routes.js';
import { PaymentMethodService } from './payment-methods/service.js';
import { Reconciler } from './payments/reconciler.js';
import { PaymentRecorder } from './payments/recorder.js';
import { RefundService } from './payments/refunds.js';
import { paymentRoutes } from './payments/routes.js';
import { PaymentService } from './payments/service.js';
import { Processors } from './processors.js';
import { paymentRegistries } from './registry.js';
import { settingsRoutes } from './settings/routes.js';
import { SettingsService } from './settings/service.js';
import { webhookRoutes } from './webhooks/routes.js';
import { WebhookService } from './webhooks/service.js';

export interface Payments {
  methods: PaymentMethodService;
  payments: PaymentService;
  refunds: RefundService;
  collections: CollectionService;
  autopay: AutopayService;
  settings: SettingsService;
  webhooks: WebhookService;
  reconciler: Reconciler;
}

export const RECONCILE_QUEUE = 'payments.reconcile';

export const paymentsModule: ModuleDefinition<
  Payments,
  {
    customers: CustomerService;
    programs: ProgramService;
    loanPayments: LoanPayments;
    /** Lending's payment-collection hook into compliance (absent: collections are not gated). */
    loanCompliance?: LoanCompliance;
  }
> = {
  name: 'payments',
  registries: paymentRegistries,
  create(
    { database, db, logger, now, audit, resolver, jobs },
    { customers, programs, loanPayments, loanCompliance },
  ) {
    const processors = new Processors(resolver);
    const settings = new SettingsService({ db, programs, audit });
    const methods = new PaymentMethodService({ db, customers, processors, now });
    const recorder = new PaymentRecorder({ db, lending: loanPayments, settings, logger, now });
    const callDeps = { db, raw: database.raw, processors, methods, recorder, now };
    const payments = new PaymentService(callDeps);
    const refunds = new RefundService(callDeps);
    const collections = new CollectionService({
      lending: loanPayments,
      payments,
      methods,
      processors,
      settings,
      ...(loanCompliance && { compliance: loanCompliance }),
    });
    const autopay = new AutopayService({ db, lending: loanPayments, collections, jobs, logger, now });
    const webhooks = new WebhookService({ db, resolver, methods, recorder, now });
    const reconciler = new Reconciler({
      db,
      processors,
      methods,
      calls: payments.calls,
      refunds,
      logger,
      now,
    });
    // Close of business opens each day with its autopay collections.
    loanPayments.onDayOpened((tenantId, date) => autopay.dayOpened(tenantId, date).then(() => undefined));
    const workers: Worker[] = [
      { queue: AUTOPAY_QUEUE, handle: (j) => autopay.handle(j as { id: string; data: AutopayJob }[]) },
      {
        queue: RECONCILE_QUEUE,
        schedule: '* * * * *',
        handle: async () => {
          const done = await reconciler.run();
          if (done.payments + done.refunds > 0) logger.info(done, 'payments: reconciled');
        },
      },
    ];
    return {
      name: 'payments',
      services: { methods, payments, refunds, collections, autopay, settings, webhooks, reconciler },
      async routes(app) {
        await app.register(paymentMethodRoutes, { methods });
        await app.register(paymentRoutes, { payments, refunds });
        await app.register(collectionRoutes, { collections, autopay });
        await app.register(settingsRoutes, { settings });
        await app.register(webhookRoutes, { webhooks });
      },
      workers,
    };
  },
};
