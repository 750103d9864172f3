package io.cairn.dumps;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskerTest {

    @Test
    void masksTheKnownPasswordInEveryFormTheAdaptersWriteIt() {
        SecretMasker m = SecretMasker.of(Secret.of("s3:cr\\et\"x"));
        assertThat(m.mask("pgpass line *:*:*:*:s3\\:cr\\\\et\"x")).doesNotContain("s3").contains(SecretMasker.MASK);
        assertThat(m.mask("raw s3:cr\\et\"x here")).isEqualTo("raw ****** here");
        assertThat(m.mask("cnf password=\"s3:cr\\\\et\\\"x\"")).doesNotContain("s3");
        assertThat(m.mask("url s3%3Acr%5Cet%22x")).doesNotContain("s3");
    }

    @Test
    void masksWhateverFollowsPasswordKeysAndUrlPasswords() {
        SecretMasker m = SecretMasker.of();
        assertThat(m.mask("connect host=db password=hunter2 user=app")).isEqualTo("connect host=db password=****** user=app");
        assertThat(m.mask("PGPASSWORD='x y' pg_dump")).isEqualTo("PGPASSWORD=****** pg_dump");
        assertThat(m.mask("REDISCLI_AUTH=abc")).isEqualTo("REDISCLI_AUTH=******");
        assertThat(m.mask("postgresql://app:hunter2@db:5432/x")).isEqualTo("postgresql://app:******@db:5432/x");
        assertThat(m.mask("Access denied for user 'app'@'h' (using password: YES)"))
                .as("MySQL's hint stays readable").endsWith("(using password: YES)");
        assertThat(m.mask(null)).isNull();
    }

    @Test
    void secretsNeverPrint() {
        Secret s = Secret.of("hunter2");
        assertThat(s.toString()).isEqualTo("******");
        assertThat(Secret.none().toString()).isEqualTo("(none)");
        ConnectionSpec spec = ConnectionSpec.server(SourceKind.POSTGRESQL, "db", 0, "app", "u", s, TlsMode.REQUIRE);
        assertThat(spec.toString()).doesNotContain("hunter2").contains("db:5432");
    }
}
