import { z } from 'zod';
import type { ProviderDefinition } from '../../providers/index.js';
import { Registry } from '../../providers/index.js';
import type { ReportGenerator } from './domain/index.js';
import { complianceExceptions } from './generators/compliance-exceptions.js';
import { expectedCashFlow } from './generators/expected-cash-flow.js';
import { chargeOffsRecoveries, interestAccrual } from './generators/journal-kinds.js';
import { disbursements, glTrialBalance, paymentsReceived } from './generators/ledger.js';
import { loanTape } from './generators/loan-tape.js';
import { metro2CreditReporting } from './generators/metro2.js';
import { delinquencyAging, portfolioAtRisk, portfolioSummary } from './generators/portfolio.js';
import { rollRates } from './generators/roll-rates.js';
import type { ReportSource } from './generators/source.js';
import { vintageAnalysis } from './generators/vintage-analysis.js';

// biome-ignore lint/suspicious/noExplicitAny: generators of every parameter type.
export type AnyReportGenerator = ReportGenerator<any, ReportSource>;

/**
 * The `report_generator` service type: each generator is a provider with an empty config (a generator is
 * stateless; its parameters come with each run). Every generator in the catalog is available to every tenant;
 * a plug-in adds one through `extraProviders` like any provider.
 */
export type ReportGeneratorDefinition = ProviderDefinition<Record<string, never>, AnyReportGenerator>;

declare module '../../providers/index.js' {
  interface Capabilities {
    report_generator: ReportGeneratorDefinition;
  }
}

export function generatorProvider(generator: AnyReportGenerator): ReportGeneratorDefinition {
  return {
    serviceType: 'report_generator',
    key: generator.key,
    displayName: generator.displayName,
    metadata: {
      documentation: 'src/modules/reporting/README.md',
      requiredSettings: [],
      testedWith: 'built-in',
      category: 'reporting',
      description: generator.description,
    },
    configSchema: z.strictObject({}),
    secretFields: [],
    create: () => generator,
  };
}

export const BUILT_IN_GENERATORS: readonly AnyReportGenerator[] = [
  portfolioSummary,
  loanTape,
  delinquencyAging,
  portfolioAtRisk,
  rollRates,
  vintageAnalysis,
  disbursements,
  paymentsReceived,
  expectedCashFlow,
  interestAccrual,
  chargeOffsRecoveries,
  glTrialBalance,
  metro2CreditReporting,
  complianceExceptions,
];

export function reportGeneratorRegistry(): Registry<ReportGeneratorDefinition> {
  return new Registry<ReportGeneratorDefinition>('report_generator').registerAll(
    BUILT_IN_GENERATORS.map(generatorProvider),
  );
}
