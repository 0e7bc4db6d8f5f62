import { main } from './rongcuo.js';

process.exitCode = await main(process.argv.slice(2));
