/**
 * MySQL and MariaDB: {@link io.cairn.dumps.mysql.MysqlAdapter} dumps with {@code mariadb-dump
 * --single-transaction --routines --triggers --events} into plain SQL and restores with the
 * {@code mariadb} client. The password reaches the tools in a 0600 option file named by
 * {@code --defaults-extra-file}, which must be their first argument. Glossary: the <b>accounts block</b>
 * ({@link io.cairn.dumps.mysql.MysqlAccounts}) is the comment lines a one-database dump starts with: the
 * accounts that hold privileges on the database or define its objects, and their grants on it, applied
 * by a restore of roles and permissions; {@link io.cairn.dumps.mysql.AccountFilter} takes accounts out of
 * a script for a restore without them.
 */
package io.cairn.dumps.mysql;
