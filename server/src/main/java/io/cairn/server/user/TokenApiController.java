package io.cairn.server.user;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller's personal API tokens. A new token's secret is in the creation response and nowhere else. */
@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "API tokens")
public class TokenApiController {

    private final ApiTokenService tokens;
    private final Clock clock;

    public TokenApiController(ApiTokenService tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    public record CreateToken(@NotBlank @Size(max = 80) String name) {
    }

    public record TokenView(long id, String name, String prefix, Instant createdAt, Instant lastUsedAt,
                            Instant revokedAt, boolean active) {
    }

    public record CreatedToken(long id, String name, String prefix, Instant createdAt, String token) {
    }

    @GetMapping
    @Operation(summary = "List your personal API tokens (never their secrets)")
    public List<TokenView> list(@AuthenticationPrincipal CairnPrincipal me) {
        Instant now = clock.instant();
        return tokens.listPersonal(me.id()).stream().map(t -> new TokenView(t.id(), t.name(), t.prefix(), t.createdAt(),
                t.lastUsedAt(), t.revokedAt(), t.isActive(now))).toList();
    }

    @PostMapping
    @Operation(summary = "Create a personal API token; its secret is shown in this response only")
    public ResponseEntity<CreatedToken> create(@AuthenticationPrincipal CairnPrincipal me,
                                               @Valid @RequestBody CreateToken body) {
        ApiTokenService.IssuedToken issued = tokens.createPersonal(me.id(), body.name());
        ApiToken t = issued.token();
        return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new CreatedToken(t.id(), t.name(), t.prefix(), t.createdAt(), issued.secret()));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke one of your personal API tokens")
    public ResponseEntity<Void> revoke(@AuthenticationPrincipal CairnPrincipal me, @PathVariable long id) {
        tokens.revokePersonal(me.id(), id);
        return ResponseEntity.noContent().build();
    }
}
