// The ceiling for the HTTP benchmark: a bare Fastify route returning one SQLite row by id.
import SQLite from '../src/platform/db/sqlite-binding.ts';
import Fastify from 'fastify';

const [file, port] = [process.argv[2]!, Number(process.argv[3])];
const db = new SQLite(file, { readonly: true });
const byId = db.prepare('select * from assets where id = ?');
const app = Fastify();
app.get('/row/:id', async (request) => byId.get(Number((request.params as { id: string }).id)) ?? null);
await app.listen({ host: '127.0.0.1', port });
console.log('ready');
