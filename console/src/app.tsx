import { useEffect, useState } from 'preact/hooks';
import { session } from './api/session.js';
import { AuditPage } from './pages/audit.js';
import { CardsPage } from './pages/cards.js';
import { CobPage } from './pages/cob.js';
import { CompliancePage } from './pages/compliance.js';
import { ComplianceChecksPage } from './pages/compliance-checks.js';
import { CustomerPage, CustomersPage } from './pages/customers.js';
import { DocumentsPage } from './pages/documents.js';
import { FinancialDataPage } from './pages/financial-data.js';
import { LoanPage } from './pages/loan.js';
import { LoansPage } from './pages/loans.js';
import { MessagePage, MessagesPage } from './pages/messages.js';
import { OverviewPage } from './pages/overview.js';
import { PaymentPage, PaymentsPage } from './pages/payments.js';
import { ProgramPage, ProgramsPage } from './pages/programs.js';
import { ProvidersPage } from './pages/providers.js';
import { ReportPage, ReportRunPage, ReportsPage } from './pages/reports.js';
import { SignInPage } from './pages/sign-in.js';
import { TemplatePage, TemplatesPage } from './pages/templates.js';
import { match, navigate, useLocation } from './router.js';
import { Link } from './ui/parts.js';

// A module that lands after the console brings its pages and its entries here (docs/ARCHITECTURE.md).
const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/customers', 'Customers'],
  ['/programs', 'Programs'],
  ['/loans', 'Loans'],
  ['/close-of-business', 'Close of business'],
  ['/providers', 'Providers'],
  ['/payments', 'Payments'],
  ['/documents', 'Documents'],
  ['/messages', 'Messages'],
  ['/templates', 'Templates'],
  ['/compliance', 'Compliance'],
  ['/reports', 'Reports'],
  ['/cards', 'Card authorizations'],
  ['/financial-data', 'Financial data'],
  ['/audit', 'Audit log'],
];

const ROUTES: [string, (p: Record<string, string>) => preact.JSX.Element][] = [
  ['/', () => <OverviewPage />],
  ['/customers', () => <CustomersPage />],
  ['/customers/:id', (p) => <CustomerPage id={p.id!} />],
  ['/programs', () => <ProgramsPage />],
  ['/programs/:id', (p) => <ProgramPage id={p.id!} />],
  ['/loans', () => <LoansPage />],
  ['/loans/:id', (p) => <LoanPage id={p.id!} />],
  ['/close-of-business', () => <CobPage />],
  ['/providers', () => <ProvidersPage />],
  ['/payments', () => <PaymentsPage />],
  ['/payments/:id', (p) => <PaymentPage id={p.id!} />],
  ['/documents', () => <DocumentsPage />],
  ['/messages', () => <MessagesPage />],
  ['/messages/:id', (p) => <MessagePage id={p.id!} />],
  ['/templates', () => <TemplatesPage />],
  ['/templates/:key', (p) => <TemplatePage templateKey={p.key!} />],
  ['/compliance', () => <CompliancePage />],
  ['/compliance/checks', () => <ComplianceChecksPage />],
  ['/reports', () => <ReportsPage />],
  ['/reports/:key', (p) => <ReportPage generatorKey={p.key!} />],
  ['/report-runs/:id', (p) => <ReportRunPage id={p.id!} />],
  ['/cards', () => <CardsPage />],
  ['/financial-data', () => <FinancialDataPage />],
  ['/audit', () => <AuditPage />],
];

export function App() {
  const loc = useLocation();
  const [, setVersion] = useState(0);
  useEffect(() => session.subscribe(() => setVersion((v) => v + 1)), []);
  const [menu, setMenu] = useState(false);
  const current = session.get();

  // Move focus to the new page's heading, so keyboard and screen-reader users land on what changed.
  useEffect(() => {
    setMenu(false);
    document.getElementById('page-title')?.focus({ preventScroll: true });
  }, [loc.path]);

  if (loc.path === '/sign-in' || !current) return <SignInPage />;

  let page: preact.JSX.Element | undefined;
  for (const [pattern, render] of ROUTES) {
    const m = match(pattern, loc.path);
    if (m) {
      page = render(m);
      break;
    }
  }
  const section = `/${loc.path.split('/')[1] ?? ''}`;
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menu}
          aria-controls="nav"
          onClick={() => setMenu(!menu)}
        >
          Menu
        </button>
        <span class="brand">Plinth</span>
        <span class="who">
          {current.tenantName} · <span class="role">{current.role}</span>
        </span>
        <button
          type="button"
          onClick={() => {
            session.set(null);
            navigate('/sign-in');
          }}
        >
          Sign out
        </button>
      </header>
      <nav id="nav" class={menu ? 'nav open' : 'nav'} aria-label="Console">
        <ul>
          {NAV.map(([href, text]) => (
            <li key={href}>
              <Link href={href} aria-current={section === href ? 'page' : undefined}>
                {text}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">
        {page ?? (
          <section class="page">
            <h1 id="page-title" tabIndex={-1}>
              Not found
            </h1>
            <p>
              No console page at <code>{loc.path}</code>. <Link href="/">Go to the overview</Link>.
            </p>
          </section>
        )}
      </main>
    </div>
  );
}
