// The one logger of a server process (pino, JSON lines on stdout). Whatever is logged, secrets are not:
// API keys in query strings, passwords, cookies and authorization headers are replaced before writing.
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
