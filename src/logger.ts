// One pino logger for the process; secrets never reach a log line.
import { pino, type DestinationStream, type Logger } from 'pino';

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

/** Logs to stdout, or to `destination` (tests read the lines the real configuration writes). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
