// Answers compressed (br or gzip, as the client accepts) when they are JSON, HTML, CSS or JavaScript of
// 1 KB or more: API lists, pages and the API reference's scripts. CSV exports and server-sent events
// are streamed as they are, uncompressed, so a download starts at once and events arrive as they happen.
// Request bodies are never decompressed (a client sends JSON, forms or uploads as they are).
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import { constants } from 'node:zlib';

const COMPRESSIBLE = /^(?:text\/(?:html|css|javascript)|application\/(?:json|problem\+json|javascript))(?:;|$)/;

export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    global: true,
    globalDecompression: false,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    customTypes: COMPRESSIBLE,
    // Brotli's default (quality 11) spends about a second of CPU on Bootstrap's stylesheet, on every
    // request; quality 4 compresses better than gzip in a few milliseconds.
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
}
