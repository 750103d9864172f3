package io.cairn.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which values a preview hides, and what it leaves alone. */
class SecretRedactionTest {

    @Test
    void values_of_secret_looking_keys_are_hidden_in_env_properties_yaml_and_json_lines() {
        SecretRedaction.Result r = SecretRedaction.redact("""
                export AWS_SECRET_ACCESS_KEY=abc/def
                db.password = p@ss word
                  apiKey: "k-123"
                  - client_credential: xyz
                  "refreshToken": "t-9",
                Session_Cookie='c'
                HOST=db.internal
                name: shop
                password:
                private_key: |
                """);
        assertThat(r.text()).isEqualTo("""
                export AWS_SECRET_ACCESS_KEY=REDACTED
                db.password = REDACTED
                  apiKey: REDACTED
                  - client_credential: REDACTED
                  "refreshToken": REDACTED,
                Session_Cookie=REDACTED
                HOST=db.internal
                name: shop
                password:
                private_key: |
                """);
        assertThat(r.redacted()).isEqualTo(6);
    }

    @Test
    void a_password_inside_a_url_is_hidden_and_plain_text_is_untouched() {
        assertThat(SecretRedaction.redact("url = mysql://app:s3cret@db:3306/shop").text())
                .isEqualTo("url = mysql://app:REDACTED@db:3306/shop");
        assertThat(SecretRedaction.redact("Just a sentence: nothing secret here.\n").text())
                .isEqualTo("Just a sentence: nothing secret here.\n");
    }

    @Test
    void password_hashes_in_database_dumps_are_hidden() {
        assertThat(SecretRedaction.redact("-- cairn-account CREATE USER `app`@`%` IDENTIFIED BY PASSWORD '*2B60229'")
                .text()).isEqualTo("-- cairn-account CREATE USER `app`@`%` IDENTIFIED BY PASSWORD 'REDACTED'");
        assertThat(SecretRedaction.redact("CREATE USER `a`@`%` IDENTIFIED WITH 'caching_sha2_password' AS '0x2441'"
                + " REQUIRE NONE").text()).isEqualTo("CREATE USER `a`@`%` IDENTIFIED WITH 'caching_sha2_password' AS"
                + " 'REDACTED' REQUIRE NONE");
        assertThat(SecretRedaction.redact("ALTER ROLE app WITH NOSUPERUSER LOGIN PASSWORD 'SCRAM-SHA-256$4096:x=';")
                .text()).isEqualTo("ALTER ROLE app WITH NOSUPERUSER LOGIN PASSWORD 'REDACTED';");
        assertThat(SecretRedaction.redact("INSERT INTO notes VALUES ('the password is long');").redacted()).isZero();
    }

    @Test
    void a_long_line_of_spaces_is_handled_in_one_pass() {
        String line = "token=x" + " ".repeat(60_000) + "y";
        assertThat(SecretRedaction.redact(line).text()).isEqualTo("token=REDACTED");
    }
}
