/**
 * The two ways a backup or restore stops on purpose. Each carries a Chinese message (shown to the operator) and
 * an English detail; neither ever names a row's content, only tables, files by hash, and counts.
 */

/** The input is not something we can work on at all (not an archive, a missing key file, a bad path): exit 2. */
export class BackupInputError extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
  ) {
    super(message);
    this.name = 'BackupInputError';
  }
}

/**
 * A check failed: the archive was altered, truncated or reordered, the target database is not empty, or what was
 * restored does not match the manifest. Exit 1; nothing was committed.
 */
export class BackupCheckError extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
  ) {
    super(message);
    this.name = 'BackupCheckError';
  }
}
