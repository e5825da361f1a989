// The response shapes the pages read, taken from the types generated from the API's OpenAPI document
// (schema.d.ts): every route declares its response schema, so a page cannot drift from what the API answers.
import type { paths } from './schema.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON body of an operation's success (200, 201 or 202). */
export type Success<O> = O extends { responses: infer R }
  ? JsonOf<R[200 & keyof R]> | JsonOf<R[201 & keyof R]> | JsonOf<R[202 & keyof R]>
  : never;
/** What `method path` answers. */
export type ResponseOf<P extends keyof paths, M extends Method> = Success<paths[P][M]>;
type Get<P extends keyof paths> = ResponseOf<P, 'get'>;
type Item<T> = T extends { data: (infer I)[] } ? I : never;

export interface Page<T> {
  data: T[];
  next_before: string | null;
}

export type Me = Get<'/v1/me'>;
export type Customer = Get<'/v1/customers/{id}'>;
export type Program = Get<'/v1/programs/{id}'>;
export type Loan = Item<Get<'/v1/loans'>>;
export type LoanDetails = Get<'/v1/loans/{id}'>;
export type ScheduleRow = LoanDetails['schedule'][number];
export type LoanEvent = LoanDetails['transactions'][number];
export type JournalEntry = LoanDetails['journal'][number];
export type LoanServicingStatus = Get<'/v1/loans/{id}/servicing-status'>;
export type Quote = ResponseOf<'/v1/programs/{id}/quotes', 'post'>;
export type Portfolio = Get<'/v1/portfolio'>;
export type CobRuns = Get<'/v1/close-of-business'>;
export type CobRun = CobRuns['data'][number];
export type ProviderDefinition = Item<Get<'/v1/providers'>>;
export type ProviderConfig = Item<Get<'/v1/provider-configs'>>;
export type Resolution = Get<'/v1/provider-resolution'>;
export type AuditEntry = Item<Get<'/v1/audit-log'>>;
export type CardDecision = Item<Get<'/v1/card-authorizations/authorization-requests'>>;
export type ExpenseCategory = Item<Get<'/v1/card-authorizations/expense-categories'>>;
export type CardLine = Item<Get<'/v1/card-authorizations/lines-of-credit'>>;
export type ProgramType = Item<Get<'/v1/program-types'>>;
export type Connection = Item<Get<'/v1/connections'>>;
export type LinkedAccount = Item<Get<'/v1/accounts'>>;
export type AccountTransaction = Item<Get<'/v1/accounts/{id}/transactions'>>;
export type CashFlow = Get<'/v1/customers/{id}/cash-flow'>;

/** The subset of JSON Schema (draft 2020-12, as zod writes it) that the generated forms understand. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
}

export type Payment = Get<'/v1/payments/{id}'>;
export type PaymentListItem = Item<Get<'/v1/payments'>>;
export type PaymentMethod = Item<Get<'/v1/payment-methods'>>;
export type Autopay = Get<'/v1/loans/{id}/autopay'>['autopay'];
export type Document = Get<'/v1/documents/{id}'>;
export type Message = Get<'/v1/messages/{id}'>;
export type MessageListItem = Item<Get<'/v1/messages'>>;
export type Template = Get<'/v1/templates/{key}'>;
export type Rendered = ResponseOf<'/v1/templates/{key}/preview', 'post'>;
export type ComplianceRule = Item<Get<'/v1/compliance/rules'>>;
export type ComplianceCheck = Item<Get<'/v1/compliance/checks'>>;
export type OfacList = Item<Get<'/v1/compliance/ofac-lists'>>;
export type ReportGenerator = Item<Get<'/v1/reports'>>;
export type ReportRun = Get<'/v1/report-runs/{id}'>;
