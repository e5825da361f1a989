import type { LoanService } from '../lending/index.js';
import type { ModuleDefinition } from '../platform.js';
import type { CustomerService } from '../tenancy/index.js';
import { localFileRoutes } from './local/routes.js';
import type { OwnerLookup } from './records/model.js';
import { documentRoutes } from './records/routes.js';
import { DocumentService } from './records/service.js';
import { documentsRegistries } from './registry.js';
import { documentSettingsRoutes } from './settings/routes.js';
import { DocumentSettingsService } from './settings/service.js';

export interface Documents {
  documents: DocumentService;
  settings: DocumentSettingsService;
}

export const documentsModule: ModuleDefinition<
  Documents,
  { customers: CustomerService; loans: LoanService }
> = {
  name: 'documents',
  registries: documentsRegistries,
  create({ config, db, resolver, audit }, { customers, loans }) {
    const settings = new DocumentSettingsService({ db, audit });
    // A document belongs to a customer or a loan of the caller's tenant (a loan's program picks the storage).
    const owners: OwnerLookup = async (scope, owner) => {
      if (owner.type === 'tenant') return { programId: null };
      if (owner.type === 'customer')
        return (await customers.get(scope, owner.id!)).ok ? { programId: null } : undefined;
      const loan = await loans.get(scope, owner.id!);
      return loan.ok ? { programId: loan.value.programId } : undefined;
    };
    const documents = new DocumentService({
      db,
      resolver,
      audit,
      settings,
      owners,
      publicUrl: config.publicUrl,
    });
    return {
      name: 'documents',
      services: { documents, settings },
      async routes(app) {
        await app.register(documentSettingsRoutes, { settings });
        await app.register(documentRoutes, { documents });
        await app.register(localFileRoutes, {
          documents,
          uploadLimitBytes: config.PLINTH_UPLOAD_LIMIT_BYTES,
        });
      },
    };
  },
};
