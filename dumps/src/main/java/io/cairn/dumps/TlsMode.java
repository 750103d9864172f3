package io.cairn.dumps;

/**
 * Whether and how strictly the connection to a database server is encrypted. The names follow
 * PostgreSQL's {@code sslmode}; each adapter maps them onto its client's own options.
 */
public enum TlsMode {
    /** Plain TCP; never TLS. */
    DISABLE,
    /** TLS when the server offers it, plain otherwise; the certificate is not checked. */
    PREFER,
    /** TLS or fail; the certificate is not checked (protects against eavesdropping only). */
    REQUIRE,
    /** TLS or fail, with the server certificate checked against the trusted CAs and the host name. */
    VERIFY_FULL
}
