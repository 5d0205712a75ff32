// How figures read on the page: whole numbers grouped, rates in percent, times in s or ms, costs in USD.

const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export const format = {
  count: (n: number) => whole.format(n),
  percent: (rate: number | null) =>
    rate === null ? '–' : `${(rate * 100).toFixed(rate === 0 || rate === 1 ? 0 : 1)}%`,
  /** 850 → "850 ms", 2400 → "2.4 s"; null (no replies) → "–". */
  duration: (ms: number | null) =>
    ms === null ? '–' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`,
  /** Cents for most sums; a tiny sum (a few calls to a cheap model) keeps two significant digits. */
  usd: (amount: number) =>
    `$${amount > 0 && amount < 0.01 ? amount.toFixed(Math.min(8, 1 - Math.floor(Math.log10(amount)))) : amount.toFixed(2)}`,
  /** "2024-05-01T09:30:00.000Z" → local date and time, minutes precision. */
  dateTime: (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }),
  /** WhatsApp numbers are stored as digits (wa_id); people read them with a +. */
  phone: (digits: string) => `+${digits}`,
};
