// What a person reads at a terminal: each JSON log line as time, level and message; a request as
// method, path, status and milliseconds; and the JSON lines unchanged when the logger is not given
// the human destination (piped, production).
import { describe, expect, it } from 'vitest';
import { createLogger, humanDestination, humanLine } from './logger.ts';

const at = new Date(2026, 11, 7, 22, 10, 5).getTime();

describe('log lines for a terminal', () => {
  it('shows time, level and message', () => {
    const line = JSON.stringify({
      level: 30,
      time: at,
      pid: 1,
      hostname: 'h',
      msg: 'Steward 0.1.0 on sqlite, 2 processes, listening on http://127.0.0.1:3000',
    });
    expect(humanLine(`${line}\n`)).toBe('22:10:05 INFO  Steward 0.1.0 on sqlite, 2 processes, listening on http://127.0.0.1:3000\n');
  });

  it('shows a request in one short line, and an error with its message', () => {
    const request = {
      level: 30,
      time: at,
      reqId: 'r1',
      method: 'GET',
      route: '/assets',
      path: '/assets',
      status: 200,
      ms: 12.4,
      user: 3,
      ip: '::1',
      msg: 'request',
    };
    expect(humanLine(JSON.stringify(request))).toBe('22:10:05 INFO  GET /assets 200 12.4 ms (user=3)\n');
    const failed = { level: 50, time: at, err: { type: 'Error', message: 'disk full', stack: '…' }, msg: 'closing the server' };
    expect(humanLine(JSON.stringify(failed))).toBe('22:10:05 ERROR closing the server: Error: disk full\n');
    expect(humanLine(JSON.stringify({ level: 40, time: at, msg: 'slow query', ms: 900 }))).toBe('22:10:05 WARN  slow query ms=900\n');
  });

  it('writes human lines through the destination, secrets still redacted, and JSON without it', () => {
    const human: string[] = [];
    createLogger('info', humanDestination({ write: (text) => human.push(text) })).info({ body: { password: 'hunter2' } }, 'signed in');
    expect(human).toHaveLength(1);
    expect(human[0]).toMatch(/^\d\d:\d\d:\d\d INFO  signed in body=\{"password":"\[redacted\]"\}\n$/);
    const json: string[] = [];
    createLogger('info', { write: (line: string) => void json.push(line) }).info('plain');
    expect(JSON.parse(json[0]!)).toMatchObject({ level: 30, msg: 'plain' });
  });
});
