import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../kernel/audit.js';
import type { Compliance } from '../compliance/index.js';
import type { Lending } from '../lending/index.js';
import type { ModuleDefinition } from '../platform.js';
import type { CustomerService } from '../tenancy/index.js';
import { reportGeneratorRegistry } from './registry.js';
import { reportRoutes } from './runs/routes.js';
import { ReportService } from './runs/service.js';

export interface Reporting {
  reports: ReportService;
}

export interface ReportingNeeds {
  lending: Pick<Lending, 'reports'>;
  compliance: Pick<Compliance, 'checks'>;
  /** Tenancy's customers: the consumers a credit report names. */
  customers: Pick<CustomerService, 'many' | 'taxIds'>;
}

export const reportingModule: ModuleDefinition<Reporting, ReportingNeeds> = {
  name: 'reporting',
  registries: () => [reportGeneratorRegistry()],
  create({ config, db, logger, now, catalog, jobs }, { lending, compliance, customers }) {
    const reports = new ReportService({
      db,
      catalog,
      logger,
      providerDeps: { logger, now },
      dir: join(config.PLINTH_DATA_DIR, 'reports'),
      queue: jobs,
      source: (tenantId) => ({
        tenantId,
        lending: lending.reports,
        exceptions: (period) => compliance.checks.exceptions(tenantId, period),
        customers: (ids) => customers.many({ tenantId, actor: SYSTEM_ACTOR }, ids),
        taxIds: (ids) => customers.taxIds({ tenantId, actor: SYSTEM_ACTOR }, ids),
      }),
    });
    return {
      name: 'reporting',
      services: { reports },
      routes: async (app) => {
        await app.register(reportRoutes, { reports });
      },
      workers: [reports.worker()],
      close: () => reports.drain(),
    };
  },
};
