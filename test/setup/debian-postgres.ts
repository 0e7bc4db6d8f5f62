/** Where Debian's postgresql-15 package puts its server binaries. */
export const debianPostgresBinDir = '/usr/lib/postgresql/15/bin';
