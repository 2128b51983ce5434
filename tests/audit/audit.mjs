// The GraphQL-over-HTTP audits of graphql-http, run against a server:
//   node tests/audit/audit.mjs http://127.0.0.1:8080/graphql
// Prints every warning and error and a summary; exits 1 unless all pass.
import { serverAudits } from 'graphql-http';

const url = process.argv[2] ?? 'http://127.0.0.1:8080/graphql';
const results = [];
for (const audit of serverAudits({ url })) {
  results.push(await audit.fn());
}
const count = (status) => results.filter((r) => r.status === status).length;
for (const r of results.filter((r) => r.status !== 'ok')) {
  console.log(`${r.status.toUpperCase()} ${r.id} ${r.name}: ${r.reason}`);
}
const [ok, warn, error] = [count('ok'), count('warn'), count('error')];
console.log(`graphql-http ${url}: ${results.length} audits, ${ok} ok, ${warn} warnings, ${error} errors`);
process.exit(warn + error === 0 ? 0 : 1);
