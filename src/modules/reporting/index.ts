// The reporting module's public surface: the module definition, its service, and the generator plug-in types.
export {
  REPORT_FORMATS,
  type ReportFormat,
  type ReportGenerator,
  type ReportRun as GeneratorRun,
} from './domain/index.js';
export type { ReportSource } from './generators/source.js';
export { type Reporting, type ReportingNeeds, reportingModule } from './module.js';
export {
  type AnyReportGenerator,
  BUILT_IN_GENERATORS,
  generatorProvider,
  type ReportGeneratorDefinition,
} from './registry.js';
export { REPORT_RUN_QUEUE, type ReportRun, ReportService } from './runs/service.js';
