// One pino logger for the process; secrets never reach a log line.
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'headers.authorization',
  'accessToken',
  'apiKey',
  'appSecret',
  '*.accessToken',
  '*.apiKey',
  '*.appSecret',
  '*.whatsappAccessToken',
  '*.aiApiKey',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
