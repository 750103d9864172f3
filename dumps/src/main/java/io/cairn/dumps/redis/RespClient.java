package io.cairn.dumps.redis;

import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.TlsMode;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal, binary-safe Redis client (RESP2) for tests, descriptions and restores: commands are
 * arrays of bulk strings, replies are {@code String} (simple), {@code Long}, {@code byte[]} (bulk, or
 * null), {@code List<Object>} or a thrown {@link RedisError}. Not thread-safe.
 */
final class RespClient implements AutoCloseable {

    /** An error reply ({@code -ERR ...}, {@code -WRONGPASS ...}). */
    static final class RedisError extends IOException {
        private static final long serialVersionUID = 1L;

        RedisError(String message) {
            super(message);
        }

        /** The first word, such as {@code WRONGPASS} or {@code NOAUTH}. */
        String code() {
            String m = getMessage();
            int sp = m.indexOf(' ');
            return sp < 0 ? m : m.substring(0, sp);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    /** Connects (and, with a password, authenticates) to the server of {@code spec}. */
    static RespClient connect(ConnectionSpec spec) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(spec.host(), spec.port()), 10_000);
            s.setSoTimeout(60_000);
            s.setTcpNoDelay(true);
            if (spec.tls() == TlsMode.REQUIRE || spec.tls() == TlsMode.VERIFY_FULL) {
                s = tls(s, spec);
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        RespClient c = new RespClient(s);
        try {
            if (!spec.password().isEmpty()) {
                if (spec.username() != null) {
                    c.call("AUTH", spec.username(), spec.password().reveal());
                } else {
                    c.call("AUTH", spec.password().reveal());
                }
            }
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static Socket tls(Socket plain, ConnectionSpec spec) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (spec.tls() == TlsMode.VERIFY_FULL) {
                ctx.init(null, null, null);
            } else {
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
            }
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, spec.host(), spec.port(), true);
            ssl.setSoTimeout(5_000); // a plain server never answers a ClientHello: fail fast, then wait normally
            SSLParameters params = ssl.getSSLParameters();
            if (spec.tls() == TlsMode.VERIFY_FULL) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (!spec.host().matches("[0-9.:\\[\\]]+")) {
                params.setServerNames(List.of(new SNIHostName(spec.host())));
            }
            ssl.setSSLParameters(params);
            try {
                ssl.startHandshake();
            } catch (java.net.SocketTimeoutException e) {
                throw new javax.net.ssl.SSLException("the server did not answer a TLS handshake within 5 s: TLS is"
                        + " probably not enabled on port " + spec.port());
            }
            ssl.setSoTimeout(60_000);
            return ssl;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("TLS setup failed: " + e.getMessage(), e);
        }
    }

    /** Sends one command and reads its reply. */
    Object call(Object... args) throws IOException {
        send(args);
        out.flush();
        return read();
    }

    /** Queues one command without flushing (pipelining); read the replies with {@link #read()}. */
    void send(Object... args) throws IOException {
        out.write('*');
        out.write(Integer.toString(args.length).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
        for (Object a : args) {
            byte[] b = a instanceof byte[] bytes ? bytes : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
            out.write('$');
            out.write(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
            out.write('\r');
            out.write('\n');
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
    }

    /** Flushes queued commands. */
    void flush() throws IOException {
        out.flush();
    }

    /** Reads one reply. */
    Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the Redis server closed the connection");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RedisError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(len);
                if (b.length < len || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("truncated reply from the Redis server");
                }
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    try {
                        items.add(read());
                    } catch (RedisError e) {
                        items.add(e);
                    }
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply from the Redis server (type byte " + type + ")");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the Redis server closed the connection");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("malformed reply from the Redis server");
                }
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
    }

    /** A bulk or simple reply as text. */
    static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
