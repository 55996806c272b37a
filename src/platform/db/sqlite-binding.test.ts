import { describe, expect, it } from 'vitest';
import SQLite, { SQLITE_DRIVER } from './sqlite-binding.ts';

describe('the better-sqlite3 build', () => {
  it('is 12 on Node.js 20 and 13 from Node.js 22 on (12 aborts Node.js 24 when its statements are garbage-collected)', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(SQLITE_DRIVER).toMatch(major >= 22 ? /node_modules\/better-sqlite3-13\// : /node_modules\/better-sqlite3\//);
    const db = new SQLite(':memory:');
    try {
      expect(db.prepare('select 1 + 1 as two').get()).toEqual({ two: 2 });
    } finally {
      db.close();
    }
  });
});
