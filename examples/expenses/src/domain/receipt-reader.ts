/** The fields a receipt's text yields; each may be missing. */
export interface ReceiptFields {
  readonly amount?: number;
  readonly currency?: string;
  readonly merchant?: string;
  readonly date?: string;
}

const CURRENCIES: Record<string, string> = {
  '€': 'EUR',
  $: 'USD',
  '£': 'GBP',
  EUR: 'EUR',
  USD: 'USD',
  GBP: 'GBP',
  CHF: 'CHF',
};

/**
 * Reads amount (in minor units), currency, merchant and date from a
 * receipt's text: the merchant is the first line, the amount the one after
 * "TOTAL", the date the first ISO (2026-11-30) or European (30.11.2026) date.
 * Pure and deterministic, so it is unit-tested without OCR.
 */
export function readReceipt(text: string): ReceiptFields {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const fields: { amount?: number; currency?: string; merchant?: string; date?: string } = {};
  if (lines[0] && !/total|\d{4}-\d{2}-\d{2}/i.test(lines[0])) fields.merchant = lines[0].slice(0, 200);
  const total = text.match(
    /total\s*:?\s*(€|\$|£|EUR|USD|GBP|CHF)?\s*(\d+(?:[.,]\d{1,2})?)\s*(€|\$|£|EUR|USD|GBP|CHF)?/i,
  );
  if (total) {
    const [whole, fraction = ''] = total[2]!.split(/[.,]/);
    fields.amount = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
    const symbol = total[1] ?? total[3];
    if (symbol) fields.currency = CURRENCIES[symbol.toUpperCase()] ?? CURRENCIES[symbol];
  }
  const iso = text.match(/\b(\d{4})-(\d{2})-(\d{2})\b/);
  const european = text.match(/\b(\d{2})\.(\d{2})\.(\d{4})\b/);
  if (iso) fields.date = `${iso[1]}-${iso[2]}-${iso[3]}`;
  else if (european) fields.date = `${european[3]}-${european[2]}-${european[1]}`;
  return fields;
}
