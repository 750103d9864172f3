package io.cairn.server.user;

import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.problem.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * API sign-in with opaque tokens: {@code login} returns an access token (send it as
 * {@code Authorization: Bearer ...}) and a refresh token; {@code refresh} exchanges a refresh token
 * for a new pair; {@code logout} ends the login. Personal tokens from the account page work as bearer
 * tokens too.
 */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Authentication")
public class AuthApiController {

    private final AuthenticationManager authentication;
    private final ApiTokenService tokens;
    private final UserService users;
    private final AuditLog audit;

    public AuthApiController(AuthenticationManager authentication, ApiTokenService tokens, UserService users,
                             AuditLog audit) {
        this.authentication = authentication;
        this.tokens = tokens;
        this.users = users;
        this.audit = audit;
    }

    public record LoginRequest(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 128) String password) {
    }

    public record RefreshRequest(@NotBlank @Size(max = 100) String refreshToken) {
    }

    public record PasswordChange(@NotBlank @Size(max = 128) String currentPassword,
                                 @NotBlank @Size(max = 128) String newPassword) {
    }

    public record TokenResponse(String accessToken, String tokenType, long expiresIn, Instant expiresAt,
                                String refreshToken, Instant refreshExpiresAt) {
        static TokenResponse of(ApiTokenService.TokenPair pair) {
            return new TokenResponse(pair.accessToken(), "Bearer",
                    Math.max(0, pair.accessExpiresAt().getEpochSecond() - Instant.now().getEpochSecond()),
                    pair.accessExpiresAt(), pair.refreshToken(), pair.refreshExpiresAt());
        }
    }

    public record Me(long id, String username, Role role, String signedInWith) {
    }

    @PostMapping("/login")
    @Operation(summary = "Log in with username and password; returns an access and a refresh token")
    public ResponseEntity<TokenResponse> login(@Valid @RequestBody LoginRequest body, HttpServletRequest request) {
        UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(
                body.username(), body.password());
        attempt.setDetails(new WebAuthenticationDetails(request));
        Authentication result;
        try {
            result = authentication.authenticate(attempt);
        } catch (LoginThrottledException e) {
            throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "Too many failed sign-ins", e.getMessage(),
                    Map.of());
        } catch (DisabledException e) {
            throw ProblemException.forbidden(e.getMessage());
        } catch (AuthenticationException e) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "Sign-in failed",
                    PasswordAuthenticationProvider.BAD_CREDENTIALS, Map.of());
        }
        CairnPrincipal me = (CairnPrincipal) result.getPrincipal();
        users.recordLogin(me.id());
        audit.recordAs(me.getUsername(), AuditAction.API_LOGIN, null, AuditOutcome.SUCCESS, "API tokens issued");
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(TokenResponse.of(tokens.login(me.id())));
    }

    @PostMapping("/refresh")
    @Operation(summary = "Exchange a refresh token for a new access and refresh token (each refresh token works once)")
    public ResponseEntity<TokenResponse> refresh(@Valid @RequestBody RefreshRequest body) {
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(TokenResponse.of(tokens.refresh(body.refreshToken())));
    }

    @PostMapping("/logout")
    @Operation(summary = "End the API login of the access token in the Authorization header")
    public ResponseEntity<Void> logout(HttpServletRequest request, @AuthenticationPrincipal CairnPrincipal me) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            tokens.logout(header.substring(7).trim());
        }
        audit.recordAs(me.getUsername(), AuditAction.LOGOUT, null, AuditOutcome.SUCCESS, "API login ended");
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/me")
    @Operation(summary = "Who the caller is")
    public Me me(@AuthenticationPrincipal CairnPrincipal me, Authentication auth) {
        return new Me(me.id().value(), me.getUsername(), me.role(),
                auth.getDetails() instanceof TokenSignIn ? "token" : "session");
    }

    @PutMapping("/password")
    @Operation(summary = "Change your own password; ends your web sessions and API logins")
    public ResponseEntity<Void> changePassword(@AuthenticationPrincipal CairnPrincipal me,
                                               @Valid @RequestBody PasswordChange body) {
        users.changeOwnPassword(me.id(), body.currentPassword(), body.newPassword(), null, null);
        return ResponseEntity.noContent().build();
    }
}
