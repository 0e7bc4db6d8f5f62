// A PDF of a document for printing, through LibreOffice when it is installed (Debian's libreoffice-writer).
// The product works without it: convertToPdf then answers undefined and only the .docx is kept.
//
// Each conversion runs in its own temporary directory with its own LibreOffice profile, so conversions can
// run in parallel, and with a fontconfig file that maps the official fonts of GB/T 9704 (仿宋_GB2312,
// 方正小标宋简体, 黑体, 楷体_GB2312, 宋体), which a server seldom has, to the Noto CJK fonts (fonts-noto-cjk).
// Nothing of the document's content is logged: errors carry LibreOffice's exit status only.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const NAMES = ['soffice', 'libreoffice'];
const EXTRA_DIRS = ['/usr/bin', '/usr/local/bin', '/usr/lib/libreoffice/program', '/opt/libreoffice/program'];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The LibreOffice executable (soffice or libreoffice) on PATH or in the usual places; undefined if absent. */
export function libreOfficePath(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const name of NAMES) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (existsSync(file) && executable(file)) return file;
    }
  }
  return undefined;
}

/** The official fonts and the installed fonts that stand in for them. */
const FONT_SUBSTITUTES: readonly (readonly [string, string])[] = [
  ['仿宋_GB2312', 'Noto Serif CJK SC'],
  ['仿宋', 'Noto Serif CJK SC'],
  ['FangSong', 'Noto Serif CJK SC'],
  ['方正小标宋简体', 'Noto Serif CJK SC'],
  ['方正小标宋_GBK', 'Noto Serif CJK SC'],
  ['小标宋', 'Noto Serif CJK SC'],
  ['宋体', 'Noto Serif CJK SC'],
  ['SimSun', 'Noto Serif CJK SC'],
  ['楷体_GB2312', 'Noto Serif CJK SC'],
  ['楷体', 'Noto Serif CJK SC'],
  ['KaiTi', 'Noto Serif CJK SC'],
  ['黑体', 'Noto Sans CJK SC'],
  ['SimHei', 'Noto Sans CJK SC'],
];
/** Title fonts are heavy: their stand-in is the bold weight. */
const BOLD = new Set(['方正小标宋简体', '方正小标宋_GBK', '小标宋']);

function fontConfig(): string {
  const matches = FONT_SUBSTITUTES.map(
    ([family, substitute]) =>
      `  <match target="pattern"><test name="family"><string>${family}</string></test>` +
      `<edit name="family" mode="assign" binding="strong"><string>${substitute}</string></edit>` +
      (BOLD.has(family) ? '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>' : '') +
      '</match>',
  ).join('\n');
  return `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n${matches}\n</fontconfig>\n`;
}

export interface ConvertOptions {
  /** Milliseconds before LibreOffice is killed; 60 s by default. */
  timeoutMs?: number;
}

/**
 * Converts a .docx to PDF with LibreOffice. Undefined when LibreOffice is not installed; throws when it is
 * installed but the conversion fails or times out.
 */
export async function convertToPdf(docx: Buffer, options: ConvertOptions = {}): Promise<Buffer | undefined> {
  const soffice = libreOfficePath();
  if (!soffice) return undefined;
  const work = await mkdtemp(path.join(tmpdir(), 'rongcuo-pdf-'));
  try {
    const input = path.join(work, 'document.docx');
    const outDir = path.join(work, 'out');
    const profile = path.join(work, 'profile');
    const fonts = path.join(work, 'fonts.conf');
    await Promise.all([writeFile(input, docx), mkdir(outDir), mkdir(profile), writeFile(fonts, fontConfig())]);
    await run(
      soffice,
      [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--nologo', '--nodefault', '--nolockcheck', '--convert-to', 'pdf:writer_pdf_Export', '--outdir', outDir, input],
      { ...process.env, FONTCONFIG_FILE: fonts, HOME: work, TMPDIR: work },
      options.timeoutMs ?? 60_000,
    );
    const output = path.join(outDir, 'document.pdf');
    if (!existsSync(output)) throw new Error('LibreOffice finished without producing a PDF');
    return await readFile(output);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Runs LibreOffice in its own process group, so a timeout kills soffice.bin too. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'ignore', detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`LibreOffice could not be started: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`LibreOffice did not finish the conversion within ${timeoutMs} ms`));
      else if (code !== 0) reject(new Error(`LibreOffice failed to convert the document (exit ${code ?? signal})`));
      else resolve();
    });
  });
}
