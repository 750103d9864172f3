/**
 * The {@code cairn} command line: a thin edge over the engine. One class per command
 * ({@code BackupCommand}, {@code RestoreCommand}, ...) parses its options, calls one engine API and
 * prints the result; {@link io.cairn.cli.RepositoryOptions} (where the repository is, where the
 * password comes from) and {@link io.cairn.cli.Output} ({@code --json}) are mixins every command
 * shares. {@link io.cairn.cli.CairnCommand} maps failures to the documented exit codes
 * (docs/cli.md); {@link io.cairn.cli.Main} is the process entry point.
 */
package io.cairn.cli;
