// The response shapes the pages read. The routes do not declare response schemas in the OpenAPI document yet, so
// these are written from the routes' JSON functions (src/**/json.ts, routes.ts); requests are generated types.
export interface Page<T> {
  data: T[];
  next_before: string | null;
}

export interface Me {
  tenant: { id: string; name: string; time_zone: string };
  role: 'admin' | 'operator' | 'viewer' | null;
}

export interface Customer {
  id: string;
  legal_name: string;
  email: string | null;
  phone: string | null;
  external_ref: string | null;
  created_at: string;
}

export interface Program {
  id: string;
  name: string;
  program_type: string;
  currency: string;
  terms: Record<string, unknown>;
  status: string;
  description: string | null;
  /** Counts the program's changes; its ETag, sent back as If-Match when editing. */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Loan {
  id: string;
  program_id: string;
  product: string;
  customer_id: string | null;
  external_ref: string | null;
  currency: string;
  status: string;
  amount: number;
  start_date: string;
  maturity_date: string | null;
  disclosure: Record<string, unknown> | null;
  days_past_due: number;
  delinquency_bucket: string;
  next_due_date: string | null;
  version: number;
  updated_at: string;
}

export interface ScheduleRow {
  number: number;
  due_date: string;
  principal: number;
  interest: number;
  fees: number;
  total: number;
  balance: number | null;
  outstanding?: { principal: number; interest: number; fees: number; penalties: number };
}

export interface LoanEvent {
  id: string;
  sequence: number;
  type: string;
  effective_date: string;
  amount?: number;
  payment_id?: string;
  business_date?: string;
  recorded_at?: string;
  reversed?: boolean;
}

export interface JournalEntry {
  entry_date: string;
  kind: string;
  event_id: string | null;
  lines: { account: string; side: 'debit' | 'credit'; amount: number }[];
}

export interface LoanDetails extends Loan {
  business_date: string;
  balances: Record<string, number>;
  outstanding: Record<string, number>;
  delinquency: { days_past_due: number; bucket: string; oldest_unpaid_due: string | null };
  schedule: ScheduleRow[];
  transactions: LoanEvent[];
  journal: JournalEntry[];
  statements: Record<string, unknown>[];
}

export interface Quote {
  schedule?: ScheduleRow[];
  disclosure?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface Portfolio {
  business_date: string;
  by_program: {
    program_id: string;
    program_name: string;
    status: string;
    currency: string;
    loans: number;
    amount: number;
  }[];
  by_delinquency_bucket: { bucket: string; currency: string; loans: number; amount: number }[];
}

export interface CobRun {
  business_date: string;
  status: string;
  through_date: string;
  batches: { total: number; done: number };
  loans: { total: number; done: number };
  started_at: string;
  completed_at: string | null;
  error: string | null;
}

export interface ProviderDefinition {
  service_type: string;
  provider_key: string;
  display_name: string;
  metadata: Record<string, unknown>;
  config_schema: JsonSchema;
  secret_fields: string[];
}

export interface ProviderConfig {
  id: string;
  label: string;
  service_type: string;
  provider_key: string;
  config: Record<string, unknown>;
  is_active: boolean;
  is_default: boolean;
  updated_at?: string;
}

export interface AuditEntry {
  id: string;
  occurred_at: string;
  actor: { type: string; id: string | null };
  action: string;
  entity_type: string;
  entity_id: string | null;
  changes: Record<string, unknown>;
}

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

export interface CardDecision {
  id: string;
  card_id: string | null;
  owner_type: string;
  owner_ref: string;
  currency: string;
  status: string;
  decline_reason: string | null;
  amount_authorized: number;
  amount_held: number;
  amount_cleared: number;
  merchant: Record<string, unknown> | null;
  created_at: string;
}

export interface ProgramType {
  program_type: string;
  display_name: string;
  terms_schema: JsonSchema;
  request_schema: JsonSchema | null;
}

export interface Connection {
  id: string;
  provider: string;
  status: string;
  status_reason: string | null;
  last_sync_at: string | null;
  next_sync_at: string | null;
}

export interface LinkedAccount {
  id: string;
  name: string | null;
  account_type: string;
  currency: string;
  balance: number | null;
  account_number_masked: string | null;
  last_synced_at: string;
}

export interface AccountTransaction {
  id: string;
  transaction_date: string;
  description: string | null;
  amount: number;
  currency: string;
  status: string;
  needs_review: boolean;
  review_reason: string | null;
}

export interface CashFlow {
  currency: string;
  period: { start_date: string; end_date: string };
  months: { month: string; inflow: number; outflow: number; net: number; partial: boolean }[];
  average_daily_balance: number | null;
  nsf_overdraft: { count: number };
  income: { regularity: string; monthly_average: number };
}

export interface ExpenseCategory {
  id: string;
  code: string;
  name: string;
  terminated_at: string | null;
}

export interface CardLine {
  id: string;
  expense_category_id: string;
  owner_type: string;
  owner_ref: string;
  currency: string;
  credits_limit: number;
  expensed_credits: number;
  available_credits: number;
  terminated_at: string | null;
}

export interface CobRuns {
  business_date: string;
  data: CobRun[];
}

export interface Resolution {
  source: 'program' | 'tenant_default' | 'none';
  provider_config_id: string | null;
  provider_key: string | null;
}

/**
 * What each route answers, by path (the OpenAPI document has no response schemas yet): `api.get(path)` returns the
 * type named here, so a page cannot read one route's answer as another's.
 */
export interface GetResponses {
  '/v1/portfolio': Portfolio;
  '/v1/me': Me;
  '/v1/customers': Page<Customer>;
  '/v1/customers/{id}': Customer;
  '/v1/customers/{id}/cash-flow': CashFlow;
  '/v1/programs': Page<Program>;
  '/v1/programs/{id}': Program;
  '/v1/program-types': { data: ProgramType[] };
  '/v1/loans': Page<Loan>;
  '/v1/loans/{id}': LoanDetails;
  '/v1/close-of-business': CobRuns;
  '/v1/providers': { data: ProviderDefinition[] };
  '/v1/provider-configs': { data: ProviderConfig[] };
  '/v1/provider-resolution': Resolution;
  '/v1/audit-log': Page<AuditEntry>;
  '/v1/card-authorizations/authorization-requests': Page<CardDecision>;
  '/v1/card-authorizations/expense-categories': Page<ExpenseCategory>;
  '/v1/card-authorizations/lines-of-credit': Page<CardLine>;
  '/v1/connections': { data: Connection[] };
  '/v1/accounts': { data: LinkedAccount[] };
  '/v1/accounts/{id}/transactions': { data: AccountTransaction[]; next_cursor: string | null };
}

export interface PostResponses {
  '/v1/customers': Customer;
  '/v1/programs': Program;
  '/v1/programs/{id}/quotes': Quote;
  '/v1/loans': Loan;
  '/v1/loans/{id}/payoff-quotes': Record<string, unknown>;
}

export interface PatchResponses {
  '/v1/programs/{id}': Program;
}
