// The Password and Timestamp of an STK push or query: base64(shortcode + passkey + timestamp), the
// timestamp being Nairobi's wall clock as YYYYMMDDHHmmss (Daraja refuses one too far off its own).

const NAIROBI = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Nairobi',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export function darajaTimestamp(at: Date): string {
  const parts = Object.fromEntries(NAIROBI.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts['year']}${parts['month']}${parts['day']}${parts['hour']}${parts['minute']}${parts['second']}`;
}

export function darajaPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`, 'utf8').toString('base64');
}

/** Daraja's TransactionDate (20191219102115, Nairobi time) as an instant; null when malformed. */
export function fromDarajaTimestamp(value: unknown): Date | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  // Nairobi is UTC+3 all year (no daylight saving).
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+03:00`);
  return Number.isNaN(date.getTime()) ? null : date;
}
