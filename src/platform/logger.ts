// The one logger of a server process (pino, JSON lines on stdout). Whatever is logged, secrets are not:
// API keys in query strings, passwords, cookies and authorization headers are replaced before writing.
// At a terminal, `steward serve` writes each line for a person instead (humanDestination): time, level
// and message; piped or in production, the JSON lines stay exactly as they are.
import pino, { type DestinationStream, type Logger } from 'pino';

/** Query parameters whose values never reach a log. */
const SECRET_PARAMS = /([?&](?:api_key|api_key_decrypt_password|password|token|code|secret)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level: level === 'silent' ? 'silent' : level,
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.api_key',
          '*.api_key_decrypt_password',
          '*.secret',
          '*.totp_secret',
          'body.password',
          'body.api_key',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { method?: string; url?: string; ip?: string; id?: string }) => ({
          method: req.method,
          url: redactUrl(req.url ?? ''),
          ip: req.ip,
          id: req.id,
        }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields a human line shows in its own way, or leaves out as noise at a terminal. */
const SHOWN_APART = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'err']);

/**
 * One JSON log line as a person reads it at a terminal: "22:10:05 INFO  Steward 0.1.0 on sqlite, …",
 * a request as "GET /assets 200 12 ms", other fields as key=value, an error's message after the text.
 */
export function humanLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const at = typeof entry.time === 'number' ? new Date(entry.time) : new Date();
  const time = [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  const level = (LEVEL_NAMES[entry.level as number] ?? String(entry.level)).padEnd(5);
  let text = typeof entry.msg === 'string' ? entry.msg : '';
  const rest = Object.entries(entry).filter(([k]) => !SHOWN_APART.has(k));
  if (text === 'request' && 'method' in entry && 'status' in entry) {
    text = `${entry.method} ${entry.path ?? entry.route} ${entry.status} ${entry.ms} ms`;
    const who = ['user', 'key'].filter((k) => k in entry).map((k) => `${k}=${String(entry[k])}`);
    if (who.length) text += ` (${who.join(', ')})`;
  } else if (rest.length) {
    text += ` ${rest.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}`;
  }
  const err = entry.err as { type?: string; message?: string } | undefined;
  if (err?.message) text += `: ${err.type ? `${err.type}: ` : ''}${err.message}`;
  return `${time} ${level} ${text.trim()}\n`;
}

/** A destination writing human lines (humanLine) to a stream, for a terminal. */
export function humanDestination(out: { write(text: string): unknown } = process.stdout): DestinationStream {
  return { write: (line: string) => void out.write(humanLine(line)) };
}
