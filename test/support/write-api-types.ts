// npm run api:types [file]: writes the TypeScript types of API v2 for integrators (api-types.ts).
import { resolve } from 'node:path';
import { writeApiTypes } from './api-types.ts';

const out = resolve(process.argv[2] ?? 'steward-api-v2.d.ts');
await writeApiTypes(out);
console.log(`Wrote the API v2 types to ${out}`);
process.exit(0);
