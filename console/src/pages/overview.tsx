import { api } from '../api/client.js';
import { BarChart } from '../ui/chart.js';
import { date, label, money, timestamp } from '../ui/format.js';
import { useLoad } from '../ui/load.js';
import { Badge, Empty, ErrorNotice, Facts, Link, Loading, Page } from '../ui/parts.js';
import { Table } from '../ui/table.js';

export function OverviewPage() {
  const portfolio = useLoad((signal) => api.get('/v1/portfolio', { signal }), []);
  const runs = useLoad((signal) => api.get('/v1/close-of-business', { query: { limit: 1 }, signal }), []);
  const decisions = useLoad(
    (signal) => api.get('/v1/card-authorizations/authorization-requests', { query: { limit: 5 }, signal }),
    [],
  );
  const p = portfolio.data;
  const last = runs.data?.data[0];
  return (
    <Page title="Overview">
      <div class="grid">
        <div class="card">
          <h2>Today</h2>
          {runs.error && <ErrorNotice error={runs.error} retry={runs.reload} />}
          {p ? (
            <Facts
              items={[
                ['Business date', date(p.business_date)],
                [
                  'Last close of business',
                  last ? (
                    <>
                      {date(last.business_date)} <Badge value={last.status} />
                    </>
                  ) : (
                    'none yet'
                  ),
                ],
              ]}
            />
          ) : (
            !portfolio.error && <Loading />
          )}
        </div>
        <div class="card">
          <h2>Delinquency</h2>
          {portfolio.error && <ErrorNotice error={portfolio.error} retry={portfolio.reload} />}
          {p &&
            (p.by_delinquency_bucket.length === 0 ? (
              <Empty>No loans in servicing yet.</Empty>
            ) : (
              <BarChart
                title="Loans in servicing by delinquency bucket"
                bars={p.by_delinquency_bucket.map((b) => ({
                  label: `${label(b.bucket)}${p.by_delinquency_bucket.some((x) => x.currency !== b.currency) ? ` ${b.currency}` : ''}`,
                  value: b.loans,
                  text: `${b.loans} · ${money(b.amount, b.currency)}`,
                }))}
              />
            ))}
        </div>
      </div>
      <h2>Portfolio by program and status</h2>
      {portfolio.loading && !p && <Loading what="the portfolio" />}
      {p &&
        (p.by_program.length === 0 ? (
          <Empty>
            No loans yet. <Link href="/programs">Create a program</Link> and originate one.
          </Empty>
        ) : (
          <Table
            caption="Portfolio by program and status"
            rows={p.by_program}
            rowKey={(r) => `${r.program_id}-${r.status}-${r.currency}`}
            columns={[
              {
                key: 'program',
                label: 'Program',
                render: (r) => <Link href={`/loans?program_id=${r.program_id}`}>{r.program_name}</Link>,
                sort: (r) => r.program_name,
              },
              {
                key: 'status',
                label: 'Status',
                render: (r) => (
                  <Link href={`/loans?program_id=${r.program_id}&status=${r.status}`}>
                    <Badge value={r.status} />
                  </Link>
                ),
                sort: (r) => r.status,
              },
              { key: 'loans', label: 'Loans', render: (r) => r.loans, sort: (r) => r.loans, numeric: true },
              {
                key: 'amount',
                label: 'Amount',
                render: (r) => money(r.amount, r.currency),
                sort: (r) => r.amount,
                numeric: true,
              },
            ]}
          />
        ))}
      <h2>Recent card decisions</h2>
      {decisions.error && <ErrorNotice error={decisions.error} retry={decisions.reload} />}
      {decisions.loading && !decisions.data && <Loading what="card decisions" />}
      {decisions.data &&
        (decisions.data.data.length === 0 ? (
          <Empty>No card authorizations yet.</Empty>
        ) : (
          <ul class="feed">
            {decisions.data.data.map((d) => (
              <li key={d.id}>
                <Badge value={d.status} /> {money(d.amount_authorized, d.currency)}
                {d.decline_reason && <> · {label(d.decline_reason)}</>} · {timestamp(d.created_at)}
              </li>
            ))}
          </ul>
        ))}
    </Page>
  );
}
