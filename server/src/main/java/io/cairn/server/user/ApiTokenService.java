package io.cairn.server.user;

import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.config.CairnProperties;
import io.cairn.server.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens: personal tokens (created and revoked by their owner) and API logins (an access token
 * of {@code cairn.api.access-token-ttl} and a refresh token of {@code cairn.api.refresh-token-ttl}).
 * A token is {@code <kind prefix><43 characters of base64url>} (256 random bits); only its SHA-256 is
 * stored. A refresh token works once: refreshing revokes it and issues a new pair in the same family;
 * presenting a used refresh token again ends the whole family (it was probably stolen).
 */
@Service
public class ApiTokenService {

    private static final int TOKEN_BYTES = 32;
    private static final int SHOWN_PREFIX = 4;
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final ApiTokens tokens;
    private final Users users;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration accessTtl;
    private final Duration refreshTtl;

    public ApiTokenService(ApiTokens tokens, Users users, AuditLog audit, Clock clock, SecureRandom random,
                           CairnProperties properties) {
        this.tokens = tokens;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.accessTtl = properties.api().accessTokenTtl();
        this.refreshTtl = properties.api().refreshTokenTtl();
    }

    /** A token just created: the secret is here and nowhere else, ever again. */
    public record IssuedToken(ApiToken token, String secret) {
    }

    /** An API login's pair of tokens. */
    public record TokenPair(String accessToken, Instant accessExpiresAt, String refreshToken, Instant refreshExpiresAt) {
    }

    public List<ApiToken> listPersonal(UserId user) {
        return tokens.listPersonal(user);
    }

    public IssuedToken createPersonal(UserId user, String name) {
        if (name == null || name.isBlank()) {
            throw ProblemException.invalid("name", "Name the token after what will use it, for example \"grafana\".");
        }
        if (name.trim().length() > 80) {
            throw ProblemException.invalid("name", "Use at most 80 characters.");
        }
        IssuedToken issued = issue(user, ApiTokenKind.PERSONAL, name.trim(), null, null);
        audit.record(AuditAction.TOKEN_CREATED, "token " + issued.token().id(), AuditOutcome.SUCCESS,
                "personal token \"" + name.trim() + "\" (" + issued.token().prefix() + "…)");
        return issued;
    }

    /** Revokes a personal token of {@code owner}; 404 for anyone else's token. */
    public void revokePersonal(UserId owner, long tokenId) {
        ApiToken token = tokens.find(tokenId).filter(t -> t.userId().equals(owner) && t.kind() == ApiTokenKind.PERSONAL)
                .orElseThrow(() -> ProblemException.notFound("You have no API token with id " + tokenId + "."));
        if (tokens.revoke(tokenId, clock.instant()) > 0) {
            audit.record(AuditAction.TOKEN_REVOKED, "token " + tokenId, AuditOutcome.SUCCESS,
                    "personal token \"" + token.name() + "\" (" + token.prefix() + "…)");
        }
    }

    /** Issues the tokens of a new API login for an authenticated user. */
    @Transactional
    public TokenPair login(UserId user) {
        String family = UUID.randomUUID().toString();
        Instant now = clock.instant();
        IssuedToken access = issue(user, ApiTokenKind.ACCESS, "API login", family, now.plus(accessTtl));
        IssuedToken refresh = issue(user, ApiTokenKind.REFRESH, "API login", family, now.plus(refreshTtl));
        return new TokenPair(access.secret(), access.token().expiresAt(), refresh.secret(), refresh.token().expiresAt());
    }

    /** Exchanges a refresh token for a new pair. A second use of the same refresh token ends the login. */
    @Transactional(noRollbackFor = ProblemException.class) // the revocation of a reused token's login must stay
    public TokenPair refresh(String refreshToken) {
        Instant now = clock.instant();
        ApiToken token = lookup(refreshToken).filter(t -> t.kind() == ApiTokenKind.REFRESH)
                .orElseThrow(ApiTokenService::invalidRefresh);
        if (token.revokedAt() != null) {
            tokens.revokeFamily(token.family(), now);
            users.find(token.userId()).ifPresent(u -> audit.recordAs(u.username(), AuditAction.API_REFRESH_REUSED,
                    "login " + token.family(), AuditOutcome.DENIED, "a used refresh token was presented again"));
            throw invalidRefresh();
        }
        if (!token.isActive(now) || users.find(token.userId()).map(u -> !u.enabled()).orElse(true)) {
            throw invalidRefresh();
        }
        tokens.revoke(token.id(), now);
        IssuedToken access = issue(token.userId(), ApiTokenKind.ACCESS, "API login", token.family(), now.plus(accessTtl));
        IssuedToken refresh = issue(token.userId(), ApiTokenKind.REFRESH, "API login", token.family(),
                now.plus(refreshTtl));
        return new TokenPair(access.secret(), access.token().expiresAt(), refresh.secret(), refresh.token().expiresAt());
    }

    /** Ends the API login that {@code accessToken} belongs to. */
    public void logout(String accessToken) {
        lookup(accessToken).filter(t -> t.family() != null).ifPresent(t -> tokens.revokeFamily(t.family(), clock.instant()));
    }

    /**
     * The enabled user a bearer token (personal or access) belongs to, or empty if the token is unknown,
     * revoked, expired, a refresh token, or its user is disabled.
     */
    public Optional<User> authenticate(String bearer) {
        Instant now = clock.instant();
        Optional<ApiToken> token = lookup(bearer).filter(t -> t.kind() != ApiTokenKind.REFRESH && t.isActive(now));
        if (token.isEmpty()) {
            return Optional.empty();
        }
        ApiToken t = token.get();
        Optional<User> user = users.find(t.userId()).filter(User::enabled);
        if (user.isPresent() && (t.lastUsedAt() == null || t.lastUsedAt().plus(TOUCH_INTERVAL).isBefore(now))) {
            tokens.touch(t.id(), now);
        }
        return user;
    }

    @EventListener
    public void onAccessRevoked(UserAccessRevoked event) {
        tokens.revokeLogins(event.userId(), clock.instant());
    }

    /** Daily: forget login tokens that expired more than a week ago. */
    @Scheduled(fixedDelayString = "PT24H", initialDelayString = "PT1M")
    public void forgetExpiredLogins() {
        tokens.deleteExpiredLogins(clock.instant().minus(Duration.ofDays(7)));
    }

    private Optional<ApiToken> lookup(String secret) {
        if (secret == null || secret.length() > 100 || !secret.startsWith("cairn_")) {
            return Optional.empty();
        }
        return tokens.findByHash(hash(secret));
    }

    private IssuedToken issue(UserId user, ApiTokenKind kind, String name, String family, Instant expiresAt) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String secret = kind.prefix() + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String prefix = secret.substring(0, kind.prefix().length() + SHOWN_PREFIX);
        Instant now = clock.instant();
        long id = tokens.insert(user, kind, name, hash(secret), prefix, family, now, expiresAt);
        return new IssuedToken(new ApiToken(id, user, kind, name, prefix, family, now, expiresAt, null, null), secret);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException invalidRefresh() {
        return new ProblemException(org.springframework.http.HttpStatus.UNAUTHORIZED, "Invalid refresh token",
                "The refresh token is unknown, used, expired or revoked. Log in again with POST /api/v1/auth/login.",
                java.util.Map.of());
    }
}
