/**
 * The {@code cairn} command line: a thin edge over the engine. One class per command
 * ({@code BackupCommand}, {@code RestoreCommand}, ...) parses its options, calls one engine API and
 * prints the result; {@link io.cairn.cli.RepositoryOptions} (where the repository is, where the
 * password comes from) and {@link io.cairn.cli.Output} ({@code --json}) are mixins every command
 * shares. {@link io.cairn.cli.CairnCommand} maps failures to the documented exit codes
 * (docs/cli.md); {@link io.cairn.cli.Main} is the process entry point.
 *
 * <p>Database restores: {@code cairn restore --to-postgres|--to-mysql|--to-redis|--to-mongodb|--to-sqlite}
 * takes its target from {@link io.cairn.cli.DatabaseTargetOptions} (a mixin; the database password
 * only from a file or {@code $CAIRN_DB_PASSWORD}) and runs {@link io.cairn.cli.DatabaseRestore}, which
 * finds the dump in the snapshot, learns its kind from the snapshot's {@code kind-} tag or its first
 * bytes ({@link io.cairn.cli.DumpFormat}) and streams it into the adapter of module {@code dumps}.
 */
package io.cairn.cli;
