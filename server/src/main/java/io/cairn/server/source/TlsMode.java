package io.cairn.server.source;

/** How a database connection uses TLS. */
public enum TlsMode {
    /** Never. */
    DISABLE,
    /** When the server offers it. */
    PREFER,
    /** Always, without checking the certificate. */
    REQUIRE,
    /** Always, checking the certificate and the host name. */
    VERIFY_FULL
}
