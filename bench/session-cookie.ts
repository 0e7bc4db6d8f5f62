import { completeSignIn, httpTransport } from '../test/helpers/identity.js';

/** Prints the session cookie (`rongcuo_session=<token>`, `__Host-` prefixed behind TLS) of a user signed in the whole way (for curl, sqlmap, wapiti). */
const [url, username, password] = process.argv.slice(2);
if (!url || !username || !password) {
  process.stderr.write('usage: tsx bench/session-cookie.ts URL USERNAME PASSWORD\n');
  process.exit(2);
}
const transport = httpTransport(url, { localAddress: '127.0.0.1' });
await completeSignIn(transport, { username, password });
if (!transport.cookie) throw new Error(`sign-in as ${username} set no session cookie`);
process.stdout.write(`${transport.cookie.name}=${transport.cookie.value}\n`);
