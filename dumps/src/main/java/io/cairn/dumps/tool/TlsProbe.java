package io.cairn.dumps.tool;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells whether a server speaks TLS at all: a plain server (Redis, mongod without TLS) does not answer
 * a ClientHello, it waits for the rest of a command, so a client asking for TLS hangs until some
 * timeout and then reports a time-out, not a TLS problem. This probe connects, attempts a handshake
 * with a short timeout and names the problem.
 */
public final class TlsProbe {
    private TlsProbe() {
    }

    /** Why a TLS handshake with {@code host:port} fails, or empty if it succeeds or the host does not answer at all. */
    public static Optional<String> problem(String host, int port, Duration timeout) {
        int ms = (int) timeout.toMillis();
        try (Socket plain = new Socket()) {
            try {
                plain.connect(new InetSocketAddress(host, port), ms);
            } catch (IOException unreachable) {
                return Optional.empty();
            }
            plain.setSoTimeout(ms);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, false)) {
                ssl.startHandshake();
                return Optional.empty();
            }
        } catch (SocketTimeoutException e) {
            return Optional.of("the server did not answer a TLS handshake within " + timeout.toSeconds()
                    + " s: TLS is probably not enabled on port " + port);
        } catch (SSLException e) {
            return Optional.of("the TLS handshake failed: " + e.getMessage());
        } catch (IOException e) {
            return Optional.of("the server closed the connection during the TLS handshake: TLS is probably not enabled"
                    + " on port " + port);
        } catch (java.security.GeneralSecurityException e) {
            return Optional.of("TLS is not available in this Java runtime: " + e.getMessage());
        }
    }
}
