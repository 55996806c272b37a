// One-time messages after a redirect ("Asset saved."), carried in a short-lived cookie.
import { cookieOptions } from './site.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';

const COOKIE = 'steward_flash';

export interface Flash {
  kind: 'success' | 'danger' | 'info';
  text: string;
}

/** Longest message kept: a message that quotes what was typed quotes only a short excerpt of it. */
const MAX_TEXT = 300;

export function setFlash(reply: FastifyReply, flash: Flash): void {
  const text = flash.text.length > MAX_TEXT ? `${flash.text.slice(0, MAX_TEXT - 1)}…` : flash.text;
  reply.setCookie(COOKIE, JSON.stringify({ kind: flash.kind, text }), cookieOptions(reply, { httpOnly: true, sameSite: 'lax', maxAge: 60 }));
}

/** The pending message, removed as it is read. */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | null {
  const raw = request.cookies[COOKIE];
  if (!raw) return null;
  reply.clearCookie(COOKIE, cookieOptions(reply));
  try {
    const parsed = JSON.parse(raw) as Flash;
    return ['success', 'danger', 'info'].includes(parsed.kind) && typeof parsed.text === 'string'
      ? { kind: parsed.kind, text: parsed.text.slice(0, MAX_TEXT) }
      : null;
  } catch {
    return null;
  }
}
