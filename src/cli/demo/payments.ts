import { randomBytes } from 'node:crypto';
import { startAuthorizeNetSimulator } from '../../../sandbox/simulators/authorizenet/index.js';
import { CHECKING, send } from '../../../sandbox/simulators/authorizenet/test-client.js';
import { startStripeSimulator } from '../../../sandbox/simulators/stripe/index.js';
import { addDays, type CalendarDate } from '../../kernel/dates.js';
import { closeThrough, type DemoClient, expectStatus, money, say, section } from './client.js';
import type { DemoTenant } from './foundation.js';

type Json = Record<string, unknown>;
type Payment = {
  id: string;
  state: string;
  processor_id: string;
  amount: number;
  loan: { applied: number } | null;
};

const VISA = { cardNumber: '4111111111111111', expirationDate: '2035-12', cardCode: '123' };
const MANDATE = { ip_address: '203.0.113.7', user_agent: 'Mozilla/5.0 (Plinth demo)' };

/**
 * Payments: Stripe as the tenant's default and Authorize.Net assigned to one program, both local simulators that
 * speak the vendors' wire formats. Card and bank collections on both, a decline, a refund, an ACH return (by the
 * simulator's own signed webhook) that reverses a loan payment and leaves a late fee, and autopay through close of
 * business. Answers what to stop afterwards.
 */
export async function paymentsTour(api: DemoClient, tenant: DemoTenant): Promise<() => Promise<void>> {
  const key = tenant.key;
  const call = <T = Json>(method: string, path: string, body?: unknown, idem?: string) =>
    api.call<T>(method, path, { key, body, ...(idem && { headers: { 'idempotency-key': idem } }) });
  const stripe = await startStripeSimulator({ bankSettlementDelayMs: null });
  const anet = await startAuthorizeNetSimulator({ echeckDeclineAboveCents: null, webhookDelivery: 'manual' });
  const stop = async () => {
    await stripe.close();
    await anet.close();
  };

  section('Payments: Stripe by default, Authorize.Net for one program');
  const whsec = `whsec_${randomBytes(24).toString('hex')}`;
  const stripeConfig = await expectStatus(
    call<{ id: string }>('POST', '/v1/provider-configs', {
      label: 'Stripe',
      service_type: 'payment_processor',
      provider_key: 'stripe',
      is_default: true,
      config: { secret_key: stripe.apiKey, webhook_secret: whsec, api_base_url: stripe.url },
    }),
    201,
    'stripe config',
  );
  stripe.addWebhookEndpoint(`${api.baseUrl}/v1/webhooks/payment-processors/${stripeConfig.id}`, {
    secret: whsec,
  });
  const anetConfig = await expectStatus(
    call<{ id: string }>('POST', '/v1/provider-configs', {
      label: 'Authorize.Net',
      service_type: 'payment_processor',
      provider_key: 'authorizenet',
      config: {
        api_login_id: anet.settings.apiLoginId,
        transaction_key: anet.settings.transactionKey,
        signature_key: anet.settings.signatureKey,
        endpoint: anet.endpoint,
      },
    }),
    201,
    'authorize.net config',
  );
  const terms = {
    currency: 'USD',
    annual_interest_rate: { min: '5', max: '24.99', default: '11.99' },
    term_count: { min: 6, max: 60, default: 12 },
    principal: { min: 100_000, max: 5_000_000 },
    late_fee: { type: 'flat', amount: 2500, grace_days: 10 },
  };
  const program = async (name: string) =>
    (
      await expectStatus(
        call<{ id: string }>('POST', '/v1/programs', { name, program_type: 'installment_loan', terms }),
        201,
        'program',
      )
    ).id;
  const stripeProgram = await program('Auto refinance (Stripe)');
  const anetProgram = await program('Home improvement (Authorize.Net)');
  await expectStatus(
    call('PUT', `/v1/programs/${anetProgram}/provider-assignments/payment_processor`, {
      provider_config_id: anetConfig.id,
    }),
    200,
    'assignment',
  );
  say(`Stripe is the tenant's default; program "Home improvement" is assigned Authorize.Net`);

  const borrower = await expectStatus(
    call<{ id: string }>('POST', '/v1/customers', { legal_name: 'Grace Hopper', email: 'grace@example.com' }),
    201,
    'customer',
  );
  const { business_date: today } = await expectStatus(
    call<{ business_date: CalendarDate }>('GET', '/v1/business-date'),
    200,
    'business date',
  );
  const loan = async (programId: string) => {
    const l = await expectStatus(
      call<{ id: string; start_date: string }>('POST', '/v1/loans', {
        program_id: programId,
        customer_id: borrower.id,
        principal: 600_000,
        term_count: 12,
        disbursement_date: today,
      }),
      201,
      'loan',
    );
    await expectStatus(
      call('POST', `/v1/loans/${l.id}/approve`, { effective_date: l.start_date }),
      201,
      'approve',
    );
    await expectStatus(call('POST', `/v1/loans/${l.id}/disburse`), 201, 'disburse');
    return l.id;
  };
  const stripeLoan = await loan(stripeProgram);
  const anetLoan = await loan(anetProgram);
  const method = async (body: Json, what: string) =>
    await expectStatus(
      call<{ id: string; brand: string | null; last4: string }>('POST', '/v1/payment-methods', {
        customer_id: borrower.id,
        ...body,
      }),
      201,
      what,
    );
  const stripeCard = await method({ type: 'card', token: 'pm_card_visa' }, 'stripe card');
  const stripeBank = await method(
    { type: 'bank_account', token: 'pm_usBankAccount_success', mandate: MANDATE },
    'stripe bank',
  );
  const declining = await method({ type: 'card', token: 'pm_card_chargeCustomerFail' }, 'declining card');
  const anetCard = await method(
    { type: 'card', token: anet.nonce(VISA).dataValue, program_id: anetProgram },
    'anet card',
  );
  const anetBank = await method(
    {
      type: 'bank_account',
      program_id: anetProgram,
      profile: await anetBankProfile(anet, borrower.id),
      mandate: MANDATE,
    },
    'anet bank',
  );
  say(
    `stored: Stripe ${stripeCard.brand} …${stripeCard.last4}, Stripe bank …${stripeBank.last4}; Authorize.Net ${anetCard.brand ?? 'card'} …${anetCard.last4}, eCheck …${anetBank.last4} (references only)`,
  );

  const collect = async (
    loanId: string,
    pm: string,
    amount: number | 'due' | 'payoff',
    idem: string,
    status = 201,
  ) =>
    expectStatus(
      call<Payment & Json>(
        'POST',
        `/v1/loans/${loanId}/collections`,
        { amount, payment_method_id: pm },
        idem,
      ),
      status,
      `collection ${idem}`,
    );
  const c1 = await collect(stripeLoan, stripeCard.id, 20_000, 'demo-c1');
  const c2 = await collect(anetLoan, anetCard.id, 20_000, 'demo-c2');
  const c3 = await collect(anetLoan, anetBank.id, 15_000, 'demo-c3');
  say(`card collection at Stripe: ${c1.state}, ${money(c1.loan!.applied)} applied to the loan`);
  say(`card collection at Authorize.Net: ${c2.state}, ${money(c2.loan!.applied)} applied`);
  say(`eCheck at Authorize.Net: ${c3.state} (applied when initiated: ${money(c3.loan!.applied)})`);
  const again = await collect(stripeLoan, stripeCard.id, 20_000, 'demo-c1');
  say(
    `the same Idempotency-Key again answers the same payment (${again.id === c1.id ? 'same id' : 'DIFFERENT'}): nothing charged twice`,
  );
  const declined = await call<{ code: string; decline_code: string }>(
    'POST',
    `/v1/loans/${stripeLoan}/collections`,
    { amount: 5_000, payment_method_id: declining.id },
  );
  say(
    `a declining card: ${declined.status} ${declined.body.code} (${declined.body.decline_code}); the loan receives nothing`,
  );
  const refund = await expectStatus(
    call<{ refund: Json; payment: Payment }>(
      'POST',
      `/v1/payments/${c1.id}/refunds`,
      { amount: 5_000 },
      'demo-r1',
    ),
    201,
    'refund',
  );
  say(
    `refund of ${money(5_000)}: payment ${refund.payment.state}, the loan now holds ${money(refund.payment.loan!.applied)} of it`,
  );

  section('Autopay through close of business, and an ACH return');
  await expectStatus(
    call('PUT', `/v1/loans/${stripeLoan}/autopay`, { payment_method_id: stripeBank.id }),
    200,
    'autopay',
  );
  const schedule = (
    await expectStatus(
      call<{ schedule: { due_date: CalendarDate; total: number }[] }>('GET', `/v1/loans/${stripeLoan}`),
      200,
      'loan',
    )
  ).schedule;
  const due = schedule[1]!.due_date;
  await closeThrough(api, key, addDays(due, -1));
  const auto = await waitFor(
    call,
    `/v1/payments?loan_id=${stripeLoan}&state=processing`,
    (d) => d.length > 0,
  );
  const debit = auto[0]!;
  say(
    `close of business through ${addDays(due, -1)}: autopay debited ${money(debit.amount)} from the bank account on the installment's due date (${debit.state}), applied to the loan`,
  );
  stripe.settleBankPayment(debit.processor_id, { returnCode: 'R01' });
  const returned = await waitFor(
    call,
    `/v1/payments?loan_id=${stripeLoan}&state=returned`,
    (d) => d.length > 0,
  );
  say(
    `the bank returned it (R01, insufficient funds); Stripe's signed webhook arrived: payment ${returned[0]!.state}, loan payment reversed`,
  );
  await closeThrough(api, key, addDays(due, 11));
  const after = await expectStatus(
    call<{ schedule: { late_fee_assessed: boolean; outstanding: Json }[]; status: string }>(
      'GET',
      `/v1/loans/${stripeLoan}`,
    ),
    200,
    'loan',
  );
  say(
    `after the grace period: installment #2 late fee assessed: ${after.schedule[1]!.late_fee_assessed}; loan ${after.status}`,
  );
  return stop;
}

async function waitFor(
  call: <T>(method: string, path: string) => Promise<{ status: number; body: T }>,
  path: string,
  done: (data: Payment[]) => boolean,
): Promise<Payment[]> {
  for (let i = 0; i < 100; i++) {
    const r = await call<{ data: Payment[] }>('GET', path);
    if (done(r.body.data)) return r.body.data;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`waited in vain for ${path}`);
}

/** The borrower's bank account, stored at Authorize.Net by the lender's front end (CIM): Plinth gets references. */
async function anetBankProfile(
  anet: Awaited<ReturnType<typeof startAuthorizeNetSimulator>>,
  customerId: string,
) {
  const r = await send(anet, 'createCustomerProfileRequest', {
    profile: {
      merchantCustomerId: customerId.replaceAll('-', '').slice(0, 20),
      paymentProfiles: [{ customerType: 'individual', payment: { bankAccount: CHECKING } }],
    },
    validationMode: 'none',
  });
  const ids = r.json as unknown as { customerProfileId: string; customerPaymentProfileIdList: string[] };
  return {
    customer_ref: ids.customerProfileId,
    method_ref: ids.customerPaymentProfileIdList[0]!,
    routing_number: CHECKING.routingNumber,
  };
}
