import type { ComplianceGate } from '../compliance/index.js';
import type { ModuleDefinition, Worker } from '../platform.js';
import type { CustomerService, TenantService } from '../tenancy/index.js';
import { BusinessDateService } from './business-date/service.js';
import { CardFundingService } from './card-funding/service.js';
import { closeOfBusinessRoutes } from './close-of-business/routes.js';
import { CloseOfBusinessService } from './close-of-business/service.js';
import { LoanCompliance } from './compliance/collections.js';
import { LendingChecks } from './compliance/gate.js';
import { ProgramChecks } from './compliance/program-checks.js';
import { LoanNotices } from './events/notices.js';
import { LoanPayments } from './payments-port/port.js';
import { portfolioRoutes } from './portfolio/routes.js';
import { PortfolioService } from './portfolio/service.js';
import { ProgramService } from './programs.js';
import { closeOfBusinessSteps, lendingProgramRegistry, servicingOf } from './registry.js';
import { LendingReportSource } from './reporting/source.js';
import { programRoutes } from './routes.js';
import { loanActionRoutes } from './servicing/action-routes.js';
import { loanRoutes } from './servicing/routes.js';
import { LoanService } from './servicing/service.js';
import { servicingStatusRoutes } from './servicing-status/routes.js';
import { ServicingStatusService } from './servicing-status/service.js';

export interface Lending {
  programs: ProgramService;
  businessDates: BusinessDateService;
  loans: LoanService;
  /** Funds card clearings from lending lines of credit (the card-authorization module's port into lending). */
  cardFunding: CardFundingService;
  closeOfBusiness: CloseOfBusinessService;
  /** The payments module's port into lending: collections applied with the payment's record, autopay's days. */
  payments: LoanPayments;
  /** The reporting module's read port: loans, journal, payments and disbursements in pages. */
  reports: LendingReportSource;
  /** What a closed day brought (payments falling due, loans become late, statements cut), for notices. */
  notices: LoanNotices;
  /** Collection placements, repossessions, surrenders: a loan's servicing status beside its money. */
  statuses: ServicingStatusService;
  /** Compliance hooks other modules call on loans (payments: payment collection); absent without a gate. */
  compliance?: LoanCompliance;
}

export const lendingModule: ModuleDefinition<
  Lending,
  {
    tenants: TenantService;
    customers: CustomerService;
    /** The compliance gate (compliance is created first); without it nothing is gated. */
    gate?: ComplianceGate;
  }
> = {
  name: 'lending',
  registries: () => [lendingProgramRegistry()],
  create({ config, database, db, logger, now, audit, catalog, jobs, events }, { tenants, customers, gate }) {
    const checks = gate && new LendingChecks({ gate, db, servicing: servicingOf });
    const programs = new ProgramService({
      db,
      catalog,
      audit,
      providerDeps: { logger, now },
      checks: gate && new ProgramChecks({ gate }),
    });
    const businessDates = new BusinessDateService({
      db,
      audit,
      now,
      timeZoneOf: (tenantId) => tenants.timeZone(tenantId),
    });
    const loans = new LoanService({
      db,
      raw: database.raw,
      programs,
      businessDates,
      servicing: servicingOf,
      customerExists: async (scope, id) => (await customers.get(scope, id)).ok,
      checks,
      published: () => events.wake(),
    });
    const statuses = new ServicingStatusService({
      db,
      audit,
      businessDates,
      published: () => events.wake(),
    });
    const reports = new LendingReportSource({ db, cursor: database.cursor });
    const closeOfBusiness = new CloseOfBusinessService({
      db,
      logger,
      audit,
      businessDates,
      steps: closeOfBusinessSteps,
      batchSize: config.PLINTH_COB_BATCH_SIZE ?? (database.kind === 'pglite' ? 200 : 20_000),
      maxDays: config.PLINTH_COB_MAX_DAYS,
      queue: jobs,
      events,
      // Each business date's loan positions, for reports between two dates (roll rates, Metro 2's history).
      positions: reports.positions,
    });
    const workers: Worker[] = [
      closeOfBusiness.worker(database.kind === 'pglite' ? 1 : config.PLINTH_COB_WORKERS),
    ];
    return {
      name: 'lending',
      services: {
        programs,
        businessDates,
        loans,
        cardFunding: new CardFundingService({ db, loans }),
        closeOfBusiness,
        payments: new LoanPayments({ db, loans, businessDates, closeOfBusiness }),
        statuses,
        reports,
        notices: new LoanNotices({ db }),
        ...(checks && { compliance: new LoanCompliance({ db, loans, businessDates, checks }) }),
      },
      async routes(app) {
        await app.register(programRoutes, { programs });
        await app.register(loanRoutes, { loans, servicing: servicingOf });
        await app.register(loanActionRoutes, { loans, servicing: servicingOf });
        await app.register(servicingStatusRoutes, { statuses });
        await app.register(closeOfBusinessRoutes, { businessDates, closeOfBusiness });
        await app.register(portfolioRoutes, { portfolio: new PortfolioService({ db, businessDates }) });
      },
      workers,
    };
  },
};
