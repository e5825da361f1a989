/** A tenant of the collections benchmark: its API key, and its loans each with the borrower's stored card. */
export interface BenchTenant {
  key: string;
  loans: { id: string; pm: string }[];
}

/** Makes the collections benchmark's tenants through Plinth's HTTP API at `base` (`admin`: the admin token). */
export function benchTenants(base: string, admin: string) {
  async function call(method: string, path: string, key: string, body?: unknown) {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : {} };
  }
  async function must(method: string, path: string, key: string, body?: unknown) {
    const r = await call(method, path, key, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  // A tenant with Stripe as its default processor (answers awaited at most `timeoutMs`), a program, `count` active
  // loans of one borrower each with a card.
  return async function setupTenant(
    name: string,
    count: number,
    timeoutMs: number,
    simulator: { url: string; apiKey: string },
  ): Promise<BenchTenant> {
    const tenant = await must('POST', '/v1/tenants', admin, { name });
    const key = tenant.api_key as string;
    await must('PUT', '/v1/business-date', key, { business_date: '2024-01-15' });
    await must('POST', '/v1/provider-configs', key, {
      label: 'Stripe',
      service_type: 'payment_processor',
      provider_key: 'stripe',
      is_default: true,
      config: {
        secret_key: simulator.apiKey,
        webhook_secret: `whsec_${'b'.repeat(32)}`,
        api_base_url: simulator.url,
        timeout_ms: timeoutMs,
        network_retries: 0,
      },
    });
    const program = await must('POST', '/v1/programs', key, {
      name: 'Bench',
      program_type: 'installment_loan',
      terms: {
        currency: 'USD',
        annual_interest_rate: { min: '0', max: '36', default: '12' },
        term_count: { min: 1, max: 360, default: 12 },
        principal: { min: 100, max: 100_000_000 },
      },
    });
    const loans: { id: string; pm: string }[] = [];
    for (let i = 0; i < count; i++) {
      const customer = await must('POST', '/v1/customers', key, { legal_name: `Borrower ${i}` });
      const loan = await must('POST', '/v1/loans', key, {
        program_id: program.id,
        customer_id: customer.id,
        principal: 10_000_000,
        disbursement_date: '2024-01-15',
      });
      await must('POST', `/v1/loans/${loan.id}/approve`, key, { effective_date: '2024-01-15' });
      await must('POST', `/v1/loans/${loan.id}/disburse`, key);
      const pm = await must('POST', '/v1/payment-methods', key, {
        customer_id: customer.id,
        type: 'card',
        token: 'pm_card_visa',
      });
      loans.push({ id: loan.id, pm: pm.id });
    }
    return { key, loans };
  };
}
