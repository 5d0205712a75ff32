// Meta's error envelope ({"error":{message, code, error_subcode, error_data, fbtrace_id, ...}}) as a
// GraphApiError. Proxies and outages answer with HTML or nothing, so any body yields an error.
import { z } from 'zod';
import { GraphApiError } from '../../domain/graphApiError.js';

const optString = z.string().optional().catch(undefined);
const optNumber = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
  .optional()
  .catch(undefined);

const errorBodySchema = z.looseObject({
  error: z.looseObject({
    message: optString,
    type: optString,
    code: optNumber,
    error_subcode: optNumber,
    error_user_msg: optString,
    error_data: z.looseObject({ details: optString }).optional().catch(undefined),
    fbtrace_id: optString,
  }),
});

const SNIPPET_LENGTH = 200;

export function graphApiErrorFromResponse(status: number, bodyText: string): GraphApiError {
  const parsed = errorBodySchema.safeParse(parseJson(bodyText));
  if (!parsed.success) {
    const snippet = bodyText.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_LENGTH);
    return new GraphApiError(`Graph API answered HTTP ${status} without an error body`, {
      httpStatus: status,
      code: null,
      subcode: null,
      type: null,
      details: snippet === '' ? null : snippet,
      fbtraceId: null,
    });
  }
  const error = parsed.data.error;
  const code = error.code ?? null;
  const subcode = error.error_subcode ?? null;
  const codeText = code === null ? '' : ` ${code}${subcode === null ? '' : `/${subcode}`}`;
  return new GraphApiError(`Graph API error${codeText} (HTTP ${status}): ${error.message ?? 'no message'}`, {
    httpStatus: status,
    code,
    subcode,
    type: error.type ?? null,
    details: error.error_data?.details ?? error.error_user_msg ?? null,
    fbtraceId: error.fbtrace_id ?? null,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
