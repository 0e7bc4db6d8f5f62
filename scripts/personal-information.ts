import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INVENTORY_DOC_PATH, renderInventoryMarkdown } from '../src/privacy/inventory-doc.js';

/**
 * Writes docs/personal-information.md from the personal-information inventory (src/privacy/inventory.ts).
 * Run after changing the inventory: `npm run privacy:inventory`. A test fails while the file is not current.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, INVENTORY_DOC_PATH);
writeFileSync(target, renderInventoryMarkdown(), 'utf8');
process.stdout.write(`已写入 ${INVENTORY_DOC_PATH}\n`);
