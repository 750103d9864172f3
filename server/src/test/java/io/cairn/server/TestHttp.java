package io.cairn.server;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real HTTP client against the running test server: keeps cookies like a browser (one instance =
 * one browser session), does not follow redirects (tests assert them), knows the CSRF dance of forms.
 */
public final class TestHttp {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    private final String base;
    private final HttpClient client;
    private String bearer;

    public TestHttp(int port) {
        this.base = "http://localhost:" + port;
        this.client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Sends {@code Authorization: Bearer token} with every request from now on. */
    public TestHttp withBearer(String token) {
        this.bearer = token;
        return this;
    }

    public String base() {
        return base;
    }

    /**
     * GETs a streaming endpoint (server-sent events): returns once the headers arrived, with the body
     * left unread (its first bytes only), so a stream that never ends does not hang the test.
     */
    public HttpResponse<String> getStreamHead(String path) {
        try {
            HttpResponse<java.io.InputStream> r = client.send(request(path).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String first;
            try (java.io.InputStream in = r.body()) {
                byte[] buf = new byte[256];
                int n = r.statusCode() == 200 ? in.read(buf) : in.readAllBytes().length;
                first = n > 0 && r.statusCode() == 200 ? new String(buf, 0, n) : "";
            }
            String body = first;
            return new HttpResponse<>() {
                public int statusCode() { return r.statusCode(); }
                public HttpRequest request() { return r.request(); }
                public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
                public java.net.http.HttpHeaders headers() { return r.headers(); }
                public String body() { return body; }
                public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return r.sslSession(); }
                public URI uri() { return r.uri(); }
                public HttpClient.Version version() { return r.version(); }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    public HttpResponse<String> send(String method, String path, String json) {
        HttpRequest.Builder b = request(path);
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b);
    }

    public HttpResponse<String> postJson(String path, String json) {
        return send("POST", path, json);
    }

    /** Posts a form exactly as given (no CSRF token added). */
    public HttpResponse<String> postFormRaw(String path, Map<String, String> fields) {
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields))));
    }

    /** Loads {@code pagePath} to get a CSRF token, then posts the form with it, as a browser would. */
    public HttpResponse<String> postForm(String pagePath, String actionPath, Map<String, String> fields) {
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.put("_csrf", csrfFrom(get(pagePath).body()));
        return postFormRaw(actionPath, withToken);
    }

    /** Signs in through the login form; returns the response to the login post. */
    public HttpResponse<String> login(String username, String password) {
        return postForm("/login", "/login", Map.of("username", username, "password", password));
    }

    public static String csrfFrom(String html) {
        Matcher m = CSRF_FIELD.matcher(html);
        if (m.find()) {
            return m.group(1);
        }
        m = CSRF_META.matcher(html);
        if (m.find()) {
            return m.group(1);
        }
        throw new AssertionError("no CSRF token in the page:\n" + html.substring(0, Math.min(html.length(), 2000)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b;
    }

    public HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String encode(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** The Location header of a redirect, relative to the server, or null. */
    public static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").map(l -> l.replaceFirst("^https?://[^/]+", "")).orElse(null);
    }
}
