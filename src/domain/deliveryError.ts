// Meta's error code and title out of an outbound row's error_message. Two writers fill it: status
// webhooks ("131047: Re-engagement message: details", code and title optional) and failed sends
// ("Graph API 400 error: 131030: (subcode): message: details").

export interface DeliveryError {
  code: number | null;
  title: string | null;
}

const SEND_FAILURE = /^Graph API (?:\d+|network) error(?:: (.*))?$/s;

export function deliveryErrorOf(errorMessage: string | null): DeliveryError {
  const text = errorMessage?.trim();
  if (!text) return { code: null, title: null };
  const send = SEND_FAILURE.exec(text);
  const parts = (send ? (send[1] ?? '') : text).split(': ').filter((part) => part !== '');
  const code = wholeNumber(parts[0]);
  if (code === null) return { code: null, title: parts[0] ?? null };
  // A failed send names the subcode, when Meta gave one, between the code and the message.
  const rest = send && wholeNumber(parts[1]) !== null ? parts.slice(2) : parts.slice(1);
  return { code, title: rest[0] ?? null };
}

function wholeNumber(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : null;
}
