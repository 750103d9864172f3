package io.cairn.engine.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;

/**
 * Puts AWS-LC, through the Amazon Corretto Crypto Provider (ACCP), in front of the JDK's own providers, so that
 * AES-GCM, HMAC-SHA256, SHA-256 and the random generator run as native code from a process's first call.
 *
 * <p>Why: the JDK's AES-GCM and SHA-256 are fast only once HotSpot's C2 compiler has made their intrinsic form,
 * which takes thousands of calls and much of a short command's CPU (the JIT was a third of a restore's). With
 * native crypto the command line can run on C1 alone, and its backups and restores need a third less CPU
 * (docs/adr/0016). The bytes are the same: AES-GCM, HMAC and SHA-256 are standards, and {@code NativeCryptoTest}
 * checks that each provider opens what the other sealed.
 *
 * <p>Call {@link #install()} once, first thing in {@code main}, before any cipher is made: objects already
 * made (the thread-local ciphers of {@link Seal}) keep their provider. If the native library cannot be loaded
 * (another operating system or architecture, a {@code noexec} temporary directory) the JDK's providers stay in
 * charge and {@link #status()} says why; nothing else changes. {@code CAIRN_CRYPTO=jdk} (or the system property
 * {@code cairn.crypto=jdk}) keeps the JDK's on purpose.
 */
public final class NativeCrypto {

    /** What {@link #install()} did: whether native crypto is in charge, and a line for {@code cairn --version}. */
    public record Status(boolean active, String description) {
    }

    private static final String EXTERNAL_LIBRARY_PROPERTY = "com.amazon.corretto.crypto.provider.useExternalLib";
    private static final String LIBRARY = "com/amazon/corretto/crypto/provider/libamazonCorrettoCryptoProvider.so";

    private static Status status;

    private NativeCrypto() {
    }

    /** Installs the native provider if it can be loaded and is not turned off; idempotent; never throws. */
    public static synchronized Status install() {
        if (status != null) {
            return status;
        }
        String choice = System.getProperty("cairn.crypto", System.getenv("CAIRN_CRYPTO"));
        if (choice != null && choice.trim().equalsIgnoreCase("jdk")) {
            return status = new Status(false, "JDK providers (native crypto turned off by CAIRN_CRYPTO=jdk)");
        }
        if (!Boolean.getBoolean(EXTERNAL_LIBRARY_PROPERTY) && NativeCrypto.class.getClassLoader().getResource(LIBRARY) == null) {
            // neither pointed at an unpacked library (bin/cairn) nor one in a jar: the provider would try, fail,
            // and leave an empty temporary directory behind at every start
            return status = new Status(false, "JDK providers (native crypto unavailable: its library is neither on the"
                    + " class path nor named by -D" + EXTERNAL_LIBRARY_PROPERTY + "=true; bin/cairn sets that)");
        }
        try {
            AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = provider.getLoadingError();
            if (error != null) {
                return status = new Status(false, "JDK providers (native crypto unavailable: " + reason(error) + ")");
            }
            if (Security.getProvider(provider.getName()) == null) {
                Security.insertProviderAt(provider, 1);
            }
            return status = new Status(true,
                    provider.getAwsLcVersionStr() + " (Amazon Corretto Crypto Provider " + provider.getVersionStr() + ")");
        } catch (LinkageError | RuntimeException e) {
            return status = new Status(false, "JDK providers (native crypto unavailable: " + reason(e) + ")");
        }
    }

    /** What {@link #install()} did, or that it was not called. */
    public static synchronized Status status() {
        return status != null ? status : new Status(false, "JDK providers (native crypto not installed)");
    }

    /** True when the provider that {@code Cipher.getInstance("AES/GCM/NoPadding")} now returns is the native one. */
    public static boolean inCharge() {
        Provider[] gcm = Security.getProviders("Cipher.AES/GCM/NoPadding");
        return gcm != null && gcm.length > 0 && gcm[0].getName().equals(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
    }

    private static String reason(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
