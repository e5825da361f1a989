import type { ScheduleRow } from '../api/types.js';
import { date, money } from './format.js';
import { Table } from './table.js';

/** The Truth in Lending box (Regulation Z §1026.18): the four figures as the API computed them. */
export function TilaBox(props: { disclosure: Record<string, unknown>; currency: string }) {
  const d = props.disclosure;
  const amount = (k: string) => (typeof d[k] === 'number' ? money(d[k] as number, props.currency) : '—');
  return (
    <section class="tila" aria-label="Truth in Lending disclosure">
      <div>
        <strong>Annual percentage rate</strong>
        <span class="big">{d.apr !== undefined ? `${d.apr}%` : '—'}</span>
        <small>The cost of your credit as a yearly rate.</small>
      </div>
      <div>
        <strong>Finance charge</strong>
        <span class="big">{amount('finance_charge')}</span>
        <small>The dollar amount the credit will cost you.</small>
      </div>
      <div>
        <strong>Amount financed</strong>
        <span class="big">{amount('amount_financed')}</span>
        <small>The amount of credit provided to you.</small>
      </div>
      <div>
        <strong>Total of payments</strong>
        <span class="big">{amount('total_of_payments')}</span>
        <small>What you will have paid after all payments as scheduled.</small>
      </div>
    </section>
  );
}

/** The columns every product's schedule has (a serviced loan's rows carry more). */
export type ScheduleLine = Pick<
  ScheduleRow,
  'number' | 'due_date' | 'principal' | 'interest' | 'fees' | 'total' | 'balance'
>;

export function ScheduleTable(props: { rows: ScheduleLine[]; currency: string }) {
  const m = (n: number | null | undefined) => money(n, props.currency);
  return (
    <Table
      caption="Repayment schedule"
      rows={props.rows}
      rowKey={(r) => String(r.number)}
      columns={[
        { key: 'n', label: '#', render: (r) => r.number, sort: (r) => r.number, numeric: true },
        { key: 'due', label: 'Due', render: (r) => date(r.due_date), sort: (r) => r.due_date },
        { key: 'principal', label: 'Principal', render: (r) => m(r.principal), numeric: true },
        { key: 'interest', label: 'Interest', render: (r) => m(r.interest), numeric: true },
        { key: 'fees', label: 'Fees', render: (r) => m(r.fees), numeric: true },
        { key: 'total', label: 'Total', render: (r) => m(r.total), sort: (r) => r.total, numeric: true },
        { key: 'balance', label: 'Balance', render: (r) => m(r.balance), numeric: true },
      ]}
    />
  );
}
