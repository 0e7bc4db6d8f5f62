import { signIn } from './fault-kit.js';

/** Prints `rongcuo_session=<token>` for a user signed in the whole way (for curl, sqlmap, wapiti). */
const [url, username, password] = process.argv.slice(2);
if (!url || !username || !password) {
  process.stderr.write('usage: tsx bench/session-cookie.ts URL USERNAME PASSWORD\n');
  process.exit(2);
}
process.stdout.write(`rongcuo_session=${await signIn(url, username, password, '127.0.0.1')}\n`);
