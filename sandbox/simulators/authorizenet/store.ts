/** The simulated gateway's records: transactions, customer profiles, settlement batches. Money in cents. */
export type TransactionType =
  | 'authOnlyTransaction'
  | 'authCaptureTransaction'
  | 'priorAuthCaptureTransaction'
  | 'refundTransaction'
  | 'voidTransaction';

export type TransactionStatus =
  | 'authorizedPendingCapture'
  | 'capturedPendingSettlement'
  | 'settledSuccessfully'
  | 'refundPendingSettlement'
  | 'refundSettledSuccessfully'
  | 'voided'
  | 'declined'
  | 'FDSPendingReview'
  | 'FDSAuthorizedPendingReview'
  | 'returnedItem';

export interface CardPayment {
  kind: 'card';
  number: string;
  /** As stored: `YYYY-MM`. */
  expiration: string;
  cardType: string;
}

export interface BankPayment {
  kind: 'bank';
  routingNumber: string;
  accountNumber: string;
  nameOnAccount: string;
  accountType: string;
  echeckType: string;
}

export type Payment = CardPayment | BankPayment;

export interface Party {
  firstName?: string;
  lastName?: string;
  company?: string;
  address?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
}

export interface ReturnedItem {
  id: string;
  dateUTC: string;
  dateLocal: string;
  code: string;
  description: string;
}

export interface Txn {
  transId: string;
  refTransId: string | null;
  type: 'authOnlyTransaction' | 'authCaptureTransaction' | 'refundTransaction';
  status: TransactionStatus;
  responseCode: 1 | 2 | 3 | 4;
  reasonCode: number;
  submittedAt: Date;
  authAmount: number;
  /** What was captured (for captures) or credited (for refunds). */
  settleAmount: number;
  /** Refunds issued against this transaction. */
  refunded: number;
  payment: Payment;
  profile: { customerProfileId: string; customerPaymentProfileId: string } | null;
  invoiceNumber: string | null;
  description: string | null;
  customerId: string | null;
  customerEmail: string | null;
  billTo: Party | null;
  authCode: string;
  avs: string;
  cvv: string;
  batchId: string | null;
  settledAt: Date | null;
  returnedItems: ReturnedItem[];
  /** Captures recorded on this authorization; more than one would be a double charge. */
  captures: number;
  duplicateKey: string;
  refId: string | null;
}

export interface PaymentProfile {
  id: string;
  customerType: string | null;
  billTo: Party | null;
  payment: Payment;
  isDefault: boolean;
}

export interface CustomerProfile {
  id: string;
  merchantCustomerId: string | null;
  email: string | null;
  description: string | null;
  paymentProfiles: PaymentProfile[];
}

export interface Batch {
  batchId: string;
  settledAt: Date;
  paymentMethod: 'creditCard' | 'eCheck';
}

export interface AnetStore {
  transactions: Map<string, Txn>;
  profiles: Map<string, CustomerProfile>;
  batches: Batch[];
  nextId(): string;
}

export function createAnetStore(): AnetStore {
  let n = 40_000_000_000;
  return {
    transactions: new Map(),
    profiles: new Map(),
    batches: [],
    nextId: () => String(++n),
  };
}

export const last4 = (s: string) => s.slice(-4);
export const masked = (s: string) => `XXXX${last4(s)}`;
