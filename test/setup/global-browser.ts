import { existsSync } from 'node:fs';

/** With REQUIRE_ALL=1 a missing browser fails the run instead of skipping the browser tests. */
export default function setup(): void {
  if (!existsSync('/usr/bin/chromium')) {
    throw new Error('Chromium is required (REQUIRE_ALL=1) but /usr/bin/chromium is missing: apt-get install chromium');
  }
}
