/**
 * Authorize.Net's transaction response reason codes the simulator answers with, each with the response code it
 * belongs to (1 approved, 2 declined, 3 error, 4 held for review) and the gateway's text (from its response
 * code reference).
 */
export const REASONS: Record<number, [responseCode: 1 | 2 | 3 | 4, text: string]> = {
  1: [1, 'This transaction has been approved.'],
  2: [2, 'This transaction has been declined.'],
  3: [2, 'This transaction has been declined.'],
  4: [2, 'This transaction has been declined.'],
  5: [3, 'A valid amount is required.'],
  6: [3, 'The credit card number is invalid.'],
  7: [3, 'Credit card expiration date is invalid.'],
  8: [3, 'The credit card has expired.'],
  9: [3, 'The ABA code is invalid'],
  10: [3, 'The account number is invalid'],
  11: [3, 'A duplicate transaction has been submitted.'],
  13: [3, 'The merchant login ID or password is invalid or the account is inactive.'],
  15: [3, 'The transaction ID is invalid or not present.'],
  16: [3, 'The transaction cannot be found.'],
  17: [3, 'The merchant does not accept this type of credit card.'],
  19: [3, 'An error occurred during processing. Please try again in 5 minutes.'],
  27: [
    2,
    'The transaction has been declined because of an AVS mismatch. The address provided does not match billing address of cardholder.',
  ],
  33: [3, '%s cannot be left blank.'],
  37: [2, 'The credit card number is invalid.'],
  39: [
    3,
    'The supplied currency code is either invalid, not supported, not allowed for this merchant or doesnt have an exchange rate.',
  ],
  44: [2, 'This transaction has been declined.'],
  45: [2, 'This transaction has been declined.'],
  47: [3, 'The amount requested for settlement cannot be greater than the original amount authorized.'],
  54: [3, 'The referenced transaction does not meet the criteria for issuing a credit.'],
  55: [3, 'The sum of credits against the referenced transaction would exceed original debit amount.'],
  57: [3, 'An error occurred in processing. Please try again in 5 minutes.'],
  65: [2, 'This transaction has been declined.'],
  250: [2, 'This transaction has been declined.'],
  251: [2, 'This transaction has been declined.'],
  252: [4, 'Your order has been received. Thank you for your business!'],
  253: [4, 'Your order has been received. Thank you for your business!'],
  254: [2, 'Your transaction has been declined.'],
  310: [1, 'This transaction has already been voided.'],
  311: [1, 'This transaction has already been captured.'],
};

export const responseCodeOf = (reason: number): 1 | 2 | 3 | 4 => REASONS[reason]?.[0] ?? 3;

export const reasonText = (reason: number, field = ''): string =>
  (REASONS[reason]?.[1] ?? 'An error occurred during processing.').replace('%s', field);

/** The NACHA return codes an eCheck can come back with, as Authorize.Net lists them on a returned item. */
export const ACH_RETURNS: Record<string, string> = {
  R01: 'Insufficient Funds',
  R02: 'Account Closed',
  R03: 'No Account/Unable to Locate Account',
  R04: 'Invalid Account Number',
  R05: 'Unauthorized Debit to Consumer Account Using Corporate SEC Code',
  R07: 'Authorization Revoked by Customer',
  R08: 'Payment Stopped',
  R09: 'Uncollected Funds',
  R10: 'Customer Advises Not Authorized',
  R16: 'Account Frozen',
  R20: 'Non-Transaction Account',
  R29: 'Corporate Customer Advises Not Authorized',
};
