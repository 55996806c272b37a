// One-time messages after a redirect ("Asset saved."), carried in a short-lived cookie.
import { cookieOptions } from './site.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';

const COOKIE = 'steward_flash';

export interface Flash {
  kind: 'success' | 'danger' | 'info';
  text: string;
}

export function setFlash(reply: FastifyReply, flash: Flash): void {
  reply.setCookie(COOKIE, JSON.stringify(flash), cookieOptions(reply, { httpOnly: true, sameSite: 'lax', maxAge: 60 }));
}

/** The pending message, removed as it is read. */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | null {
  const raw = request.cookies[COOKIE];
  if (!raw) return null;
  reply.clearCookie(COOKIE, cookieOptions(reply));
  try {
    const parsed = JSON.parse(raw) as Flash;
    return ['success', 'danger', 'info'].includes(parsed.kind) && typeof parsed.text === 'string' ? { kind: parsed.kind, text: parsed.text.slice(0, 300) } : null;
  } catch {
    return null;
  }
}
