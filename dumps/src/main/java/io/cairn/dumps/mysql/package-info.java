/**
 * MySQL and MariaDB: {@link io.cairn.dumps.mysql.MysqlAdapter} dumps with {@code mariadb-dump
 * --single-transaction --routines --triggers --events} into plain SQL and restores with the
 * {@code mariadb} client. The password reaches the tools in a 0600 option file named by
 * {@code --defaults-extra-file}, which must be their first argument.
 */
package io.cairn.dumps.mysql;
