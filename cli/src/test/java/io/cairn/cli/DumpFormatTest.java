package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.dumps.SourceKind;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link DumpFormat} recognises each dump format by its first bytes, and nothing else. */
class DumpFormatTest {

    private static Optional<SourceKind> recognise(String head) {
        return DumpFormat.recognise(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void postgresCustomFormatAllDatabasesScriptAndPlainScripts() {
        assertThat(recognise("PGDMP\u0001\u000e\u0000\u0004\u0008\u0001\u0001")).contains(SourceKind.POSTGRESQL);
        assertThat(recognise("-- cairn-dump all-databases v1 3f2a\n-- Restore with: psql")).contains(SourceKind.POSTGRESQL);
        assertThat(recognise("--\n-- PostgreSQL database cluster dump\n--\n")).contains(SourceKind.POSTGRESQL);
        assertThat(recognise("--\n-- PostgreSQL database dump\n--\n")).contains(SourceKind.POSTGRESQL);
    }

    @Test
    void mysqlAndMariadbDumpsAlsoAfterMariadbsSandboxComment() {
        assertThat(recognise("-- MySQL dump 10.13  Distrib 8.0.36\n")).contains(SourceKind.MYSQL);
        assertThat(recognise("-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB\n")).contains(SourceKind.MYSQL);
        assertThat(recognise("/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19-11.4.2-MariaDB\n"))
                .contains(SourceKind.MYSQL);
        assertThat(recognise("-- cairn-dump mysql-accounts v1 `shop`\n-- Accounts with privileges" + " ".repeat(600)))
                .as("Cairn's accounts block before mariadb-dump's output").contains(SourceKind.MYSQL);
    }

    @Test
    void redisMongoAndSqliteMagics() {
        assertThat(recognise("REDIS0011\u00fa\tredis-ver")).contains(SourceKind.REDIS);
        assertThat(recognise("CAIRN-MONGODB-ARCHIVE 1\n{")).contains(SourceKind.MONGODB);
        assertThat(recognise("SQLite format 3\u0000\u0010\u0000")).contains(SourceKind.SQLITE);
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(recognise("")).isEmpty();
        assertThat(recognise("PGDM")).isEmpty();
        assertThat(recognise("SQLite format 3 without its NUL")).isEmpty();
        assertThat(recognise("hello, world\n-- not a dump header\n")).isEmpty();
        assertThat(recognise("CAIRN-MONGODB-ARCHIVE 2\n")).isEmpty();
    }

    @Test
    void kindLabelsAreTheTagAndOptionNames() {
        assertThat(DumpFormat.label(SourceKind.POSTGRESQL)).isEqualTo("postgresql");
        assertThat(DumpFormat.kindOf("MySQL")).contains(SourceKind.MYSQL);
        assertThat(DumpFormat.kindOf("oracle")).isEmpty();
    }
}
