// WhatsApp's customer service window: free-form text may be sent only within 24 hours of the
// customer's last message; outside it Meta delivers templates only.

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export const OUTSIDE_SERVICE_WINDOW = 'outside the 24-hour customer service window';

export function isWithinServiceWindow(lastInboundAt: Date, now: Date): boolean {
  return now.getTime() - lastInboundAt.getTime() < SERVICE_WINDOW_MS;
}
