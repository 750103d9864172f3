package io.cairn.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.config.CairnProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secret key file and sealing secrets with it. */
class SecretBoxTest {

    @TempDir
    Path dir;

    private CairnProperties properties(String secretKey) {
        return new CairnProperties(dir, secretKey, null, new CairnProperties.Database(null, null, null, 8),
                new CairnProperties.Session(java.time.Duration.ofHours(8)),
                new CairnProperties.Login(5, 20, java.time.Duration.ofMinutes(15)),
                new CairnProperties.Api(java.time.Duration.ofMinutes(15), java.time.Duration.ofDays(30)),
                new CairnProperties.DefaultRepository("Local", null),
                new CairnProperties.Jobs(2, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(2)),
                new CairnProperties.Cluster(null, java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(60)));
    }

    @Test
    void the_key_file_is_created_once_with_owner_only_permissions_and_read_back() throws Exception {
        SecretKeySource.LoadedKey first = SecretKeySource.load(properties(null), new SecureRandom(), true);
        Path file = dir.resolve("secret.key");
        assertThat(first.created()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
        SecretKeySource.LoadedKey again = SecretKeySource.load(properties(null), new SecureRandom(), true);
        assertThat(again.created()).isFalse();
        assertThat(again.key()).isEqualTo(first.key());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret.key");
        }
    }

    @Test
    void an_environment_key_is_used_instead_of_a_file_and_a_bad_one_is_explained() {
        byte[] key = new byte[32];
        key[0] = 7;
        String b64 = Base64.getEncoder().encodeToString(key);
        assertThat(SecretKeySource.load(properties(b64), new SecureRandom(), true).key()).isEqualTo(key);
        assertThat(Files.exists(dir.resolve("secret.key"))).isFalse();
        assertThatThrownBy(() -> SecretKeySource.load(properties("not base64!"), new SecureRandom(), true))
                .isInstanceOf(SecretKeyUnavailableException.class).hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> SecretKeySource.load(properties("AAAA"), new SecureRandom(), true))
                .hasMessageContaining("holds 3 bytes; it must hold exactly 32");
    }

    @Test
    void a_missing_key_file_is_not_silently_replaced_once_secrets_exist() {
        assertThatThrownBy(() -> SecretKeySource.load(properties(null), new SecureRandom(), false))
                .isInstanceOf(SecretKeyUnavailableException.class).hasMessageContaining("is missing")
                .hasMessageContaining("Put the original key file back");
        assertThat(Files.exists(dir.resolve("secret.key"))).isFalse();
    }

    @Test
    void a_sealed_secret_opens_only_with_its_key_and_purpose() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        SecretBox box = new SecretBox(key, new SecureRandom());
        String sealed = box.seal("hunter2 hunter2", "repository-password:1");
        assertThat(sealed).startsWith("v1:").doesNotContain("hunter2");
        assertThat(box.seal("hunter2 hunter2", "repository-password:1")).as("fresh nonce each time").isNotEqualTo(sealed);
        assertThat(box.open(sealed, "repository-password:1")).isEqualTo("hunter2 hunter2");
        assertThatThrownBy(() -> box.open(sealed, "repository-password:2"))
                .isInstanceOf(SecretKeyUnavailableException.class);
        byte[] other = key.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> new SecretBox(other, new SecureRandom()).open(sealed, "repository-password:1"))
                .isInstanceOf(SecretKeyUnavailableException.class).hasMessageContaining("not the one it was sealed with");
        assertThat(box.matches(box.checkValue())).isTrue();
        assertThat(new SecretBox(other, new SecureRandom()).matches(box.checkValue())).isFalse();
    }
}
