package io.cairn.server.secret;

import io.cairn.server.config.CairnProperties;
import java.security.SecureRandom;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the {@link SecretBox} and checks, at start, that the key is the one the database's secrets
 * were sealed with (its check value is kept in the {@code settings} table). A wrong or lost key stops
 * the server with a message that says which key was expected, instead of failing later on each secret.
 */
@Configuration(proxyBeanMethods = false)
public class SecretsConfig {

    static final String CHECK_SETTING = "secret_key_check";

    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    @Bean
    @DependsOnDatabaseInitialization
    SecretBox secretBox(CairnProperties properties, SecureRandom random, JdbcClient jdbc) {
        String stored = jdbc.sql("SELECT value FROM settings WHERE name = ?").param(CHECK_SETTING)
                .query(String.class).optional().orElse(null);
        SecretKeySource.LoadedKey loaded = SecretKeySource.load(properties, random, stored == null);
        SecretBox box = new SecretBox(loaded.key(), random);
        if (stored == null) {
            jdbc.sql("INSERT INTO settings (name, value) VALUES (?, ?)").param(CHECK_SETTING).param(box.checkValue())
                    .update();
        } else if (!box.matches(stored)) {
            throw new SecretKeyUnavailableException("The secret key from " + loaded.origin() + " is not the key this "
                    + "metadata database was set up with. Restore the original key file or CAIRN_SECRET_KEY; "
                    + "without it the stored secrets cannot be read.");
        }
        return box;
    }
}
