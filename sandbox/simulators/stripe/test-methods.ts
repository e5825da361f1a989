/**
 * Stripe's documented test payment methods (docs.stripe.com/testing and the ACH Direct Debit guide): card
 * numbers with their `pm_card_*` / `tok_*` aliases, and US bank account numbers with their
 * `pm_usBankAccount_*` aliases. A test PaymentMethod id used in a request stands for a fresh PaymentMethod
 * made from that card or account, as in Stripe's test mode.
 */
export interface CardDecline {
  code: string;
  declineCode: string;
  message: string;
  param?: string;
  /** Radar blocks never reach the network. */
  blocked?: boolean;
}

export interface TestCard {
  number: string;
  brand: 'visa' | 'mastercard' | 'amex' | 'discover';
  funding: 'credit' | 'debit';
  aliases: string[];
  /** Declined when charged. */
  decline?: CardDecline;
  /** A declining card that still attaches to a customer (Stripe's 0341 card). */
  attachable?: boolean;
  /** The charge succeeds, then the cardholder disputes it with this reason. */
  dispute?: string;
  /** Not a Stripe test card: Stripe has none for this decline, so the simulator adds it. */
  simulatorOnly?: boolean;
}

const declined = (declineCode: string, message = 'Your card was declined.'): CardDecline => ({
  code: 'card_declined',
  declineCode,
  message,
});

export const TEST_CARDS: TestCard[] = [
  { number: '4242424242424242', brand: 'visa', funding: 'credit', aliases: ['pm_card_visa', 'tok_visa'] },
  {
    number: '4000056655665556',
    brand: 'visa',
    funding: 'debit',
    aliases: ['pm_card_visa_debit', 'tok_visa_debit'],
  },
  {
    number: '5555555555554444',
    brand: 'mastercard',
    funding: 'credit',
    aliases: ['pm_card_mastercard', 'tok_mastercard'],
  },
  { number: '378282246310005', brand: 'amex', funding: 'credit', aliases: ['pm_card_amex', 'tok_amex'] },
  {
    number: '6011111111111117',
    brand: 'discover',
    funding: 'credit',
    aliases: ['pm_card_discover', 'tok_discover'],
  },
  {
    number: '4000000000000002',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_visa_chargeDeclined', 'pm_card_chargeDeclined', 'tok_chargeDeclined'],
    decline: declined('generic_decline'),
  },
  {
    number: '4000000000009995',
    brand: 'visa',
    funding: 'credit',
    aliases: [
      'pm_card_visa_chargeDeclinedInsufficientFunds',
      'pm_card_chargeDeclinedInsufficientFunds',
      'tok_chargeDeclinedInsufficientFunds',
    ],
    decline: declined('insufficient_funds', 'Your card has insufficient funds.'),
  },
  {
    number: '4000000000009987',
    brand: 'visa',
    funding: 'credit',
    aliases: [
      'pm_card_visa_chargeDeclinedLostCard',
      'pm_card_chargeDeclinedLostCard',
      'tok_chargeDeclinedLostCard',
    ],
    decline: declined('lost_card'),
  },
  {
    number: '4000000000009979',
    brand: 'visa',
    funding: 'credit',
    aliases: [
      'pm_card_visa_chargeDeclinedStolenCard',
      'pm_card_chargeDeclinedStolenCard',
      'tok_chargeDeclinedStolenCard',
    ],
    decline: declined('stolen_card'),
  },
  {
    number: '4000000000000069',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_chargeDeclinedExpiredCard', 'tok_chargeDeclinedExpiredCard'],
    decline: {
      code: 'expired_card',
      declineCode: 'expired_card',
      message: 'Your card has expired.',
      param: 'exp_month',
    },
  },
  {
    number: '4000000000000127',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_chargeDeclinedIncorrectCvc', 'tok_chargeDeclinedIncorrectCvc'],
    decline: {
      code: 'incorrect_cvc',
      declineCode: 'incorrect_cvc',
      message: "Your card's security code is incorrect.",
      param: 'cvc',
    },
  },
  {
    number: '4000000000000119',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_chargeDeclinedProcessingError', 'tok_chargeDeclinedProcessingError'],
    decline: {
      code: 'processing_error',
      declineCode: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
    },
  },
  {
    number: '4000000000006975',
    brand: 'visa',
    funding: 'credit',
    aliases: [
      'pm_card_visa_chargeDeclinedVelocityLimitExceeded',
      'tok_visa_chargeDeclinedVelocityLimitExceeded',
    ],
    decline: declined(
      'card_velocity_exceeded',
      'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
    ),
  },
  {
    number: '4100000000000019',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_radarBlock', 'tok_radarBlock'],
    decline: { ...declined('fraudulent'), blocked: true },
  },
  {
    number: '4000000000000341',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_chargeCustomerFail', 'tok_chargeCustomerFail'],
    decline: declined('generic_decline'),
    attachable: true,
  },
  {
    number: '4000000000000259',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_createDispute', 'tok_createDispute'],
    dispute: 'fraudulent',
  },
  {
    number: '4000000000002685',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_createDisputeProductNotReceived', 'tok_createDisputeProductNotReceived'],
    dispute: 'product_not_received',
  },
  {
    number: '4000000000001976',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_simulator_chargeDeclinedDoNotHonor'],
    decline: declined('do_not_honor'),
    simulatorOnly: true,
  },
];

export type BankOutcome =
  | { kind: 'succeed' }
  | { kind: 'fail'; returnCode: string | null; failureCode: string }
  | { kind: 'dispute' }
  | { kind: 'processing' };

export interface TestBankAccount {
  accountNumber: string;
  routingNumber: string;
  aliases: string[];
  outcome: BankOutcome;
}

export const TEST_ROUTING_NUMBER = '110000000';

const bank = (accountNumber: string, alias: string, outcome: BankOutcome): TestBankAccount => ({
  accountNumber,
  routingNumber: TEST_ROUTING_NUMBER,
  aliases: [alias],
  outcome,
});

export const TEST_BANK_ACCOUNTS: TestBankAccount[] = [
  bank('000123456789', 'pm_usBankAccount_success', { kind: 'succeed' }),
  bank('000111111113', 'pm_usBankAccount_accountClosed', {
    kind: 'fail',
    returnCode: 'R02',
    failureCode: 'account_closed',
  }),
  bank('000111111116', 'pm_usBankAccount_noAccount', {
    kind: 'fail',
    returnCode: 'R03',
    failureCode: 'no_account',
  }),
  bank('000222222227', 'pm_usBankAccount_insufficientFunds', {
    kind: 'fail',
    returnCode: 'R01',
    failureCode: 'insufficient_funds',
  }),
  bank('000333333335', 'pm_usBankAccount_debitNotAuthorized', {
    kind: 'fail',
    returnCode: 'R10',
    failureCode: 'debit_not_authorized',
  }),
  bank('000444444440', 'pm_usBankAccount_invalidCurrency', {
    kind: 'fail',
    returnCode: null,
    failureCode: 'invalid_currency',
  }),
  bank('000555555559', 'pm_usBankAccount_dispute', { kind: 'dispute' }),
  bank('000000000009', 'pm_usBankAccount_processing', { kind: 'processing' }),
];

/** How Stripe reports NACHA return codes on a failed bank debit (its `failure_code`). */
export const ACH_RETURN_FAILURE_CODES: Record<string, string> = {
  R01: 'insufficient_funds',
  R02: 'account_closed',
  R03: 'no_account',
  R04: 'invalid_account_number',
  R05: 'debit_not_authorized',
  R07: 'debit_not_authorized',
  R08: 'debit_not_authorized',
  R10: 'debit_not_authorized',
  R16: 'account_frozen',
  R20: 'bank_account_restricted',
  R29: 'debit_not_authorized',
  R51: 'debit_not_authorized',
};

export const FAILURE_MESSAGES: Record<string, string> = {
  insufficient_funds: "The customer's account has insufficient funds to cover this payment.",
  account_closed: "The customer's bank account has been closed.",
  no_account: "The customer's bank account could not be located.",
  invalid_account_number: "The customer's bank account number is invalid.",
  debit_not_authorized: 'The customer has notified their bank that this payment was unauthorized.',
  account_frozen: "The customer's bank account has been frozen.",
  bank_account_restricted: "The customer's account cannot be used with the payment method.",
  invalid_currency: 'The bank was unable to process this payment because of its currency.',
};

export const findCard = (ref: string): TestCard | undefined =>
  TEST_CARDS.find((c) => c.number === ref || c.aliases.includes(ref));

export const findBankAccount = (ref: string): TestBankAccount | undefined =>
  TEST_BANK_ACCOUNTS.find((b) => b.accountNumber === ref || b.aliases.includes(ref));
