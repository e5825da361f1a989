// Regulation Z's annual percentage rate (Appendix J) and the Truth in Lending box of a closed-end schedule.
export {
  type AprAccuracy,
  type AprFlow,
  type AprInput,
  type AprResult,
  checkDisclosedApr,
  computeApr,
  type DisclosureInput,
  type FinanceChargeDisclosure,
  financeChargeDisclosure,
  isAprWithinTolerance,
  type TransactionKind,
  type UnitPeriod,
} from './compute.js';
