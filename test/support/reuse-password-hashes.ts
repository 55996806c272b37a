// Test set-up (vitest setupFiles): a password hashed once in a test process is not hashed again, and a
// check of a password against a hash already checked reuses its answer. Argon2 at Steward's settings
// takes ~0.3 s per hash by design, and the tests create hundreds of users with the same few passwords;
// what a hash is and which passwords it accepts are unchanged. Servers the tests start as separate
// processes (test/support/fleet.ts) hash for real.
import argon2 from 'argon2';

const hashes = new Map<string, Promise<string>>();
const verdicts = new Map<string, Promise<boolean>>();
const realHash = argon2.hash;
const realVerify = argon2.verify;

function remembered<T>(cache: Map<string, Promise<T>>, key: string, compute: () => Promise<T>): Promise<T> {
  let answer = cache.get(key);
  if (!answer) {
    answer = compute();
    cache.set(key, answer);
    answer.catch(() => cache.delete(key));
  }
  return answer;
}

Object.assign(argon2, {
  hash: ((password: string | Buffer, options?: object) =>
    remembered(
      hashes,
      `${String(password)}\u0000${JSON.stringify(options ?? {})}`,
      () => realHash(password, options as never) as unknown as Promise<string>,
    )) as typeof argon2.hash,
  verify: ((digest: string, password: string | Buffer, options?: object) =>
    remembered(verdicts, `${digest}\u0000${String(password)}`, () => realVerify(digest, password, options as never))) as typeof argon2.verify,
});
