// The compliance module's public surface: the gate port the gated modules call, the rule facts they supply, the
// module definition, and the exceptions read port of the compliance_exceptions report.
export { checkRows, type PendingCheck } from './checks/attached.js';
export { UNKNOWN_BORROWER } from './checks/borrower.js';
export {
  type CheckView,
  type ComplianceGate,
  checkViewJson,
  decisionJson,
  decisionOut,
  type GateDecision,
  type GateOptions,
  type GateRequest,
  type GateSubject,
  type HookFacts,
  remedyJson,
} from './checks/gate.js';
export type { CashFlowSource, ComplianceCheck, ComplianceService } from './checks/service.js';
export type {
  AprCalculator,
  BorrowerFacts,
  CallRecord,
  FeeFacts,
  HookPoint,
  LoanFacts,
  MessageFacts,
  PaymentFacts,
  RateChangeFacts,
  RateReduction,
  RegZFigures,
  Remedy,
  RuleOutcome,
  UnderwritingFacts,
  UpfrontCharge,
} from './domain/index.js';
export { HOOK_POINTS, RULE_KEYS } from './domain/index.js';
export { type Compliance, type ComplianceNeeds, complianceModule } from './module.js';
export type { ComplianceRuleDefinition } from './registry.js';
