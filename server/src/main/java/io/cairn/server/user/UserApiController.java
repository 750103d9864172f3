package io.cairn.server.user;

import io.cairn.server.problem.ProblemException;
import io.cairn.server.api.ApiPage;
import io.cairn.server.api.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** User accounts, for admins. */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users")
public class UserApiController {

    private final UserService users;

    public UserApiController(UserService users) {
        this.users = users;
    }

    public record CreateUser(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 128) String password,
                             @NotNull Role role) {
    }

    /** Both fields optional; what is given is changed. */
    public record UpdateUser(Role role, Boolean enabled) {
    }

    public record ResetPassword(@NotBlank @Size(max = 128) String password) {
    }

    @GetMapping
    @Operation(summary = "List users, by name")
    public ApiPage<UserView> list(@RequestParam(required = false) Integer page,
                                  @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        UserService.Page result = users.list(paging.offset(), paging.size());
        return ApiPage.of(result.items().stream().map(UserView::of).toList(), paging.page(), paging.size(),
                result.total());
    }

    @PostMapping
    @Operation(summary = "Create a user")
    public ResponseEntity<UserView> create(@Valid @RequestBody CreateUser body) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(UserView.of(users.create(body.username(), body.password(), body.role())));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One user")
    public UserView get(@PathVariable long id) {
        return UserView.of(users.get(new UserId(id)));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a user's role or enable/disable them; disabling ends their sessions")
    public UserView update(@AuthenticationPrincipal CairnPrincipal me, @PathVariable long id,
                           @RequestBody UpdateUser body) {
        if (body.role() == null && body.enabled() == null) {
            throw ProblemException.invalid("role", "Give a role or enabled (or both).");
        }
        UserId target = new UserId(id);
        if (body.role() != null) {
            users.changeRole(target, body.role(), me.id());
        }
        if (body.enabled() != null) {
            users.setEnabled(target, body.enabled(), me.id());
        }
        return UserView.of(users.get(target));
    }

    @PutMapping("/{id}/password")
    @Operation(summary = "Set a new password for another user; ends their sessions")
    public ResponseEntity<Void> resetPassword(@AuthenticationPrincipal CairnPrincipal me, @PathVariable long id,
                                              @Valid @RequestBody ResetPassword body) {
        users.resetPassword(new UserId(id), body.password(), me.id());
        return ResponseEntity.noContent().build();
    }
}
