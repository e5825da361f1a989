import { join } from 'node:path';
import type { Compliance } from '../compliance/index.js';
import type { Lending } from '../lending/index.js';
import type { ModuleDefinition } from '../platform.js';
import { reportGeneratorRegistry } from './registry.js';
import { reportRoutes } from './runs/routes.js';
import { ReportService } from './runs/service.js';

export interface Reporting {
  reports: ReportService;
}

export interface ReportingNeeds {
  lending: Pick<Lending, 'reports'>;
  compliance: Pick<Compliance, 'checks'>;
}

export const reportingModule: ModuleDefinition<Reporting, ReportingNeeds> = {
  name: 'reporting',
  registries: () => [reportGeneratorRegistry()],
  create({ config, db, logger, now, catalog, jobs }, { lending, compliance }) {
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
