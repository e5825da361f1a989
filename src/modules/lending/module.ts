import type { ModuleDefinition, Worker } from '../platform.js';
import type { CustomerService, TenantService } from '../tenancy/index.js';
import { BusinessDateService } from './business-date/service.js';
import { CardFundingService } from './card-funding/service.js';
import { closeOfBusinessRoutes } from './close-of-business/routes.js';
import { CloseOfBusinessService } from './close-of-business/service.js';
import { portfolioRoutes } from './portfolio/routes.js';
import { PortfolioService } from './portfolio/service.js';
import { ProgramService } from './programs.js';
import { closeOfBusinessSteps, lendingProgramRegistry, servicingOf } from './registry.js';
import { programRoutes } from './routes.js';
import { loanRoutes } from './servicing/routes.js';
import { LoanService } from './servicing/service.js';

export interface Lending {
  programs: ProgramService;
  businessDates: BusinessDateService;
  loans: LoanService;
  /** Funds card clearings from lending lines of credit (the card-authorization module's port into lending). */
  cardFunding: CardFundingService;
  closeOfBusiness: CloseOfBusinessService;
}

export const lendingModule: ModuleDefinition<
  Lending,
  { tenants: TenantService; customers: CustomerService }
> = {
  name: 'lending',
  registries: () => [lendingProgramRegistry()],
  create({ config, database, db, logger, now, audit, catalog, jobs }, { tenants, customers }) {
    const programs = new ProgramService({ db, catalog, audit, providerDeps: { logger, now } });
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
    });
    const closeOfBusiness = new CloseOfBusinessService({
      db,
      logger,
      audit,
      businessDates,
      steps: closeOfBusinessSteps,
      batchSize: config.PLINTH_COB_BATCH_SIZE,
      queue: jobs,
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
      },
      async routes(app) {
        await app.register(programRoutes, { programs });
        await app.register(loanRoutes, { loans, servicing: servicingOf });
        await app.register(closeOfBusinessRoutes, { businessDates, closeOfBusiness });
        await app.register(portfolioRoutes, { portfolio: new PortfolioService({ db, businessDates }) });
      },
      workers,
    };
  },
};
