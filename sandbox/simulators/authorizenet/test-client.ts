import type { AuthorizeNetSimulator } from './index.js';

/**
 * A small typed client for the tests: Authorize.Net's JSON requests as the documentation shows them, sent with
 * fetch. (Plinth's own client belongs to the payments module; this only exercises the simulator.)
 */
export interface CreditCard {
  cardNumber: string;
  expirationDate: string;
  cardCode?: string;
}

export interface BankAccount {
  accountType?: 'checking' | 'savings' | 'businessChecking';
  routingNumber: string;
  accountNumber: string;
  nameOnAccount: string;
  echeckType?: 'WEB' | 'PPD' | 'CCD' | 'TEL';
}

export type Payment =
  | { creditCard: CreditCard }
  | { bankAccount: BankAccount }
  | { opaqueData: { dataDescriptor: string; dataValue: string } };

export interface TransactionRequest {
  transactionType:
    | 'authOnlyTransaction'
    | 'authCaptureTransaction'
    | 'priorAuthCaptureTransaction'
    | 'voidTransaction'
    | 'refundTransaction';
  amount?: string;
  payment?: Payment;
  profile?: { customerProfileId: string; paymentProfile: { paymentProfileId: string; cardCode?: string } };
  refTransId?: string;
  order?: { invoiceNumber?: string; description?: string };
  customer?: { id?: string; email?: string };
  billTo?: {
    firstName?: string;
    lastName?: string;
    address?: string;
    city?: string;
    state?: string;
    zip?: string;
    country?: string;
  };
  transactionSettings?: { setting: { settingName: string; settingValue: string }[] };
}

export interface TransactionResponse {
  responseCode: string;
  authCode: string;
  avsResultCode: string;
  cvvResultCode: string;
  transId: string;
  refTransID: string;
  accountNumber: string;
  accountType: string;
  transHashSha2: string;
  messages?: { code: string; description: string }[];
  errors?: { errorCode: string; errorText: string }[];
}

export interface AnetAnswer {
  messages: { resultCode: 'Ok' | 'Error'; message: { code: string; text: string }[] };
  refId?: string;
  transactionResponse?: TransactionResponse;
  [key: string]: unknown;
}

export const VISA: CreditCard = {
  cardNumber: '4111111111111111',
  expirationDate: '2035-12',
  cardCode: '900',
};
export const CHECKING: BankAccount = {
  accountType: 'checking',
  routingNumber: '121042882',
  accountNumber: '123456789012',
  nameOnAccount: 'Ada Lovelace',
  echeckType: 'WEB',
};

export interface Raw {
  status: number;
  bytes: Buffer;
  json: AnetAnswer;
}

export async function send(
  sim: AuthorizeNetSimulator,
  root: string,
  body: Record<string, unknown>,
  auth = true,
): Promise<Raw> {
  const merchantAuthentication = {
    name: sim.settings.apiLoginId,
    transactionKey: sim.settings.transactionKey,
  };
  const res = await fetch(sim.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ [root]: auth ? { merchantAuthentication, ...body } : body }),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    bytes,
    json: JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as AnetAnswer,
  };
}

export const transact = async (
  sim: AuthorizeNetSimulator,
  transactionRequest: TransactionRequest,
  refId?: string,
) => (await send(sim, 'createTransactionRequest', { ...(refId ? { refId } : {}), transactionRequest })).json;

/** A refund names the original's card by its last four digits. */
export const cardLast4 = (card: CreditCard): Payment => ({
  creditCard: { cardNumber: card.cardNumber.slice(-4), expirationDate: 'XXXX' },
});
