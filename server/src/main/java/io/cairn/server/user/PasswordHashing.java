package io.cairn.server.user;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Argon2id at OWASP's minimum or above: 19 MiB of memory, 2 passes, 1 lane, 16-byte salt, 32-byte
 * hash (Spring Security's defaults are below it). Hashes record their parameters, so raising them
 * later still verifies old hashes.
 */
@Configuration(proxyBeanMethods = false)
public class PasswordHashing {

    public static final int MEMORY_KIB = 19 * 1024;
    public static final int ITERATIONS = 2;

    @Bean
    PasswordEncoder passwordEncoder() {
        return new Argon2PasswordEncoder(16, 32, 1, MEMORY_KIB, ITERATIONS);
    }
}
