package io.cairn.engine.crypto;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs the engine's tests with the crypto the command line runs with: when the system property
 * {@code cairn.test.crypto} is {@code native} (the engine's default test run, see engine/pom.xml), native crypto is
 * installed before the first test makes a cipher. A second run of the format's golden tests keeps the JDK's, so
 * both providers are held to the same bytes.
 */
public final class NativeCryptoForTests implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if ("native".equals(System.getProperty("cairn.test.crypto"))) {
            NativeCrypto.Status status = NativeCrypto.install();
            if (!status.active()) {
                throw new IllegalStateException("the tests asked for native crypto, but: " + status.description());
            }
        }
    }
}
