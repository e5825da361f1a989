/**
 * The decline taxonomy: every processor's refusal of a payment is mapped (from the vendor's CODES, in the
 * provider's mappers) onto one of these, so a servicer's rules (retry the autopay tomorrow, ask for another card,
 * close the payment method) never depend on which processor answered.
 */
export const DECLINE_CODES = [
  /** The account does not hold the amount (card: insufficient funds; ACH: R01, R09). */
  'insufficient_funds',
  /** The issuer declined without saying more (generic decline). */
  'card_declined',
  'expired_card',
  'incorrect_cvc',
  /** The card number (or a bank's routing or account number) is wrong. */
  'incorrect_number',
  /** The issuer asks the merchant not to honour the card. */
  'do_not_honor',
  /** Lost, stolen, or blocked as fraud by the issuer or the processor's risk rules. */
  'fraud_suspected',
  /** Velocity or amount limits at the issuer. */
  'limit_exceeded',
  /** The bank account is closed, does not exist or cannot be debited (ACH R02, R03, R04, R16, R20). */
  'invalid_account',
  /** The account holder did not authorize the debit or revoked the authorization (ACH R05, R07, R08, R10, R29). */
  'unauthorized',
  /** The address or card code check failed (AVS / CVV filters). */
  'verification_failed',
  /** The processor or the network failed to process it; trying again later may work. */
  'processing_error',
  /** The currency or the payment method is not supported for this payment. */
  'not_supported',
  /** A decline the processor explained in a way this taxonomy does not distinguish. */
  'other',
] as const;
export type DeclineCode = (typeof DECLINE_CODES)[number];

export interface Decline {
  code: DeclineCode;
  /** The processor's own code, kept for support (Stripe's decline_code, Authorize.Net's reason code). */
  vendorCode: string;
  message: string;
}

/** Declines the borrower can fix by trying again later with the same method (the autopay retries these). */
export const RETRYABLE_DECLINES: ReadonlySet<DeclineCode> = new Set([
  'insufficient_funds',
  'processing_error',
]);

/**
 * NACHA return reason codes of ACH debits, mapped onto the taxonomy. A return arrives days after the debit was
 * initiated, when the receiving bank refuses it; both processors report the code (Stripe through the charge's
 * failure code, Authorize.Net in `returnedItems`).
 */
const ACH_RETURNS: Record<string, DeclineCode> = {
  R01: 'insufficient_funds',
  R02: 'invalid_account',
  R03: 'invalid_account',
  R04: 'invalid_account',
  R05: 'unauthorized',
  R06: 'other',
  R07: 'unauthorized',
  R08: 'unauthorized',
  R09: 'insufficient_funds',
  R10: 'unauthorized',
  R11: 'unauthorized',
  R12: 'invalid_account',
  R13: 'invalid_account',
  R14: 'invalid_account',
  R15: 'invalid_account',
  R16: 'invalid_account',
  R17: 'other',
  R20: 'invalid_account',
  R23: 'unauthorized',
  R24: 'other',
  R29: 'unauthorized',
};

export function achReturnDecline(code: string): Decline {
  const c = code.toUpperCase();
  return { code: ACH_RETURNS[c] ?? 'other', vendorCode: c, message: `ACH return ${c}` };
}

export const isAchReturnCode = (code: string): boolean => /^R\d{2}$/i.test(code);
