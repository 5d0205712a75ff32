// Where the reply worker's parts write their log lines (pino in production, a recorder in tests).
// In a file of its own so the parts and the processor that wires them both import it, not each other.
export interface ReplyLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
