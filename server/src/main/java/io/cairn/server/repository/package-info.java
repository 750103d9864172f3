/**
 * Managed repositories: the backup repositories this server writes to. On first start the server
 * creates a local repository in the data directory with a generated password, sealed with the
 * server's secret key ({@link io.cairn.server.secret.SecretBox}) and offered once to the first admin
 * as a <b>recovery kit</b> (the password and the CLI commands that list and restore every snapshot
 * without the server). The repository itself stays the source of truth: the metadata database only
 * names it and holds its sealed password.
 */
package io.cairn.server.repository;
